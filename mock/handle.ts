// The handle every way in gives a test or an SDK suite: createMock, startMockServer's
// `mock` and createMswHandlers' `mock` are each a new object holding the core's handles
// (state, clock, limiter, journal, reset, serve). Nothing here needs Node or Express, so the
// MSW surface and its browser build share it.
import type { MockCore } from './core';

/** The core's handles, as every surface returns them; a Mock adds node:http and Express. */
export type MockHandle = Readonly<MockCore>;

/**
 * A new object with the core's handles and `extra`: the core itself is left as it is. Copied
 * as property descriptors, so a getter (`app`) stays one and is not run here.
 */
export function handleOf<T extends object>(core: MockCore, extra: T): MockHandle & T {
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(core), ...Object.getOwnPropertyDescriptors(extra) }) as MockHandle & T;
}
