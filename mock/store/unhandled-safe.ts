// A promise whose rejection no caller may wait for: the handle's and the reset's shared changes.
/**
 * A promise nobody has to await: a caller that does not wait must not crash the process with
 * an unhandled rejection (a store away); one that awaits still sees the error.
 */
export function unhandledSafe<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
