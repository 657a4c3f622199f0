// The tests' start time, in a module of its own so that suites which must not load the mock
// (the contract harness's, the bench's) can share it with the fixtures.

/** The start time as the config's `clock` and the control API's GET /clock write it. */
export const T0_ISO = '2026-11-01T09:00:30.000Z';

/** 2026-11-01T09:00:30Z: not on a window boundary, so windows have time left. */
export const T0 = Date.parse(T0_ISO);
