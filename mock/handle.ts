// The handle every way in gives a test or an SDK suite: createMock, startMockServer's
// `mock` and createMswHandlers' `mock` are each a new object holding the core's handles
// (state, clock, limiter, journal, reset, serve). Nothing here needs Node or Express, so the
// MSW surface and its browser build share it.
import type { ClockPosition, ControllableClock } from './clock';
import type { MockCore } from './core';
import { unhandledSafe } from './store/unhandled-safe';

/**
 * The clock as the handle gives it. With the memory store it is the core's clock itself
 * (advance and set answer at once); with a shared store, advance and set go through the
 * shared log as POST /_mock/clock/advance and PUT /_mock/clock do, and answer with a promise
 * that resolves once this instance has applied the move (every instance applies it).
 */
export interface MockClock extends ControllableClock {
  advance(ms: number): void | Promise<void>;
  set(epochMs: number, options?: { running?: boolean }): void | Promise<void>;
}

/** The core's handles, as every surface returns them; a Mock adds node:http and Express. */
export type MockHandle = Readonly<Omit<MockCore, 'clock'> & { clock: MockClock }>;

/**
 * A new object with the core's handles and `extra`: the core itself is left as it is. Copied
 * as property descriptors, so a getter (`app`) stays one and is not run here.
 */
export function handleOf<T extends object>(core: MockCore, extra: T): MockHandle & T {
  const clock = core.replica ? sharedClock(core.clock, core.mutations) : core.clock;
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(core), clock: { value: clock, enumerable: true }, ...Object.getOwnPropertyDescriptors(extra) }) as MockHandle & T;
}

/**
 * The clock of a mock on a shared store: moves are mutations of the shared log (mutations.ts);
 * a move the clock cannot take throws ClockRangeError at once, before anything is shared. The
 * rest (now, isFrozen, position, and reset and restore, which stay this instance's) is the
 * core's clock.
 */
function sharedClock(clock: ControllableClock, mutations: MockCore['mutations']): MockClock {
  return {
    now: () => clock.now(),
    isFrozen: () => clock.isFrozen(),
    position: () => clock.position(),
    reset: () => clock.reset(),
    restore: (position: ClockPosition) => clock.restore(position),
    advance: (ms) => unhandledSafe(Promise.resolve(mutations.advanceClock(ms))),
    set(epochMs, options = {}) {
      // Where the clock would stand once set, found on this clock without moving it.
      const before = clock.position();
      let position: ClockPosition;
      try {
        clock.set(epochMs, options);
        position = clock.position();
      } finally {
        clock.restore(before);
      }
      return unhandledSafe(Promise.resolve(mutations.setClock(position)));
    },
  };
}
