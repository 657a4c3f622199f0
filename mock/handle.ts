// The handle every way in gives a test or an SDK suite: createMock, startMockServer's
// `mock` and createMswHandlers' `mock` are each a new object holding the core's handles
// (state, clock, limiter, journal, reset, serve). Nothing here needs Node or Express, so the
// MSW surface and its browser build share it.
import type { ClockPosition, ControllableClock } from './clock';
import type { MockCore } from './core';

/** The core's handles, as every surface returns them; a Mock adds node:http and Express. */
export type MockHandle = Readonly<MockCore>;

/**
 * A new object with the core's handles and `extra`: the core itself is left as it is. Copied
 * as property descriptors, so a getter (`app`) stays one and is not run here.
 */
export function handleOf<T extends object>(core: MockCore, extra: T): MockHandle & T {
  const clock = core.shared ? sharedClock(core.clock, core.shared.clock) : core.clock;
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(core), clock: { value: clock, enumerable: true }, ...Object.getOwnPropertyDescriptors(extra) }) as MockHandle & T;
}

/**
 * The clock of a mock on a shared store: advance and set go through the shared log
 * (`mock.shared.clock`), and return its promise, which a caller may await (typed void, as the
 * memory store's clock answers at once). The rest (now, isFrozen, position, and reset and
 * restore, which stay this instance's) is the core's clock.
 */
function sharedClock(clock: ControllableClock, shared: NonNullable<MockCore['shared']>['clock']): ControllableClock {
  return {
    now: () => clock.now(),
    isFrozen: () => clock.isFrozen(),
    position: () => clock.position(),
    reset: () => clock.reset(),
    restore: (position: ClockPosition) => clock.restore(position),
    advance: (ms) => shared.advance(ms) as unknown as void,
    set: (epochMs, options) => shared.set(epochMs, options) as unknown as void,
  };
}
