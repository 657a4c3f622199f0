// The Redis store in the browser build of the MSW handlers: a page cannot open a TCP
// connection, so a mock there keeps its state in memory and a redis:// store is refused.
import type { RedisStore, RedisStoreOptions } from '../store/redis';

export { StoreUnavailableError } from '../store/unavailable';

export const MAX_RECONNECT_DELAY_MS = 1000;

export function reconnectDelay(attempt: number): number {
  return Math.min(MAX_RECONNECT_DELAY_MS, 50 * 2 ** Math.min(attempt - 1, 10));
}

export function redactedStoreUrl(): string {
  return '(redis store)';
}

/** Throws: a page has no TCP; the MSW handlers in a browser take `store: memory` only. */
export function connectRedisStore(options: RedisStoreOptions): RedisStore {
  void options;
  throw new Error('store: a redis:// store needs Node.js; in a browser the mock keeps its state in memory');
}
