// The error of a store that cannot answer: Redis unreachable, or slower than
// store_timeout_ms. Its own file, with no import, so the pipeline (and the browser bundle of
// the MSW handlers) can know it without loading the Redis client.

/** The store did not answer in time, or could not be reached: the request gets 503 store_unavailable. */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** Whole seconds a client is told to wait (Retry-After) when the store is away: the reconnection backoff's cap, rounded up. */
export const STORE_RETRY_AFTER_SECONDS = 1;
