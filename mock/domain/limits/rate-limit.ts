// Fixed-window rate limiting on the injected clock. Windows are aligned to the epoch, so
// X-RateLimit-Reset is the same for every request of a window. Counting happens in one
// synchronous step (check, then increment) so concurrent requests cannot slip past the
// limit, and a refused request consumes nothing. Each window's count is its own and is kept
// until a window's length after it ends, so a clock moved back into the previous window and
// forward again finds both counts where they were.
import type { Clock } from '../../clock';

/** Counters behind a small interface (as express-rate-limit does), one instance per app. */
export interface RateLimitStore {
  /** The count of `key` in the window ending at `windowEnd` (0 for a new window). */
  get(key: string, windowEnd: number): number;
  /** Sets the count of `key` for the window ending at `windowEnd`, to be kept until `keepUntil` (the window's end by default). */
  set(key: string, windowEnd: number, count: number, keepUntil?: number): void;
  /** Drops every window whose keeping ended by `now`. */
  sweep(now: number): void;
  /** How many windows are held. */
  size(): number;
  reset(): void;
}

export function createMemoryStore(): RateLimitStore {
  // One entry per key and window: a key's windows never share a count.
  const windows = new Map<string, { count: number; keepUntil: number }>();
  const id = (key: string, windowEnd: number) => `${windowEnd}\u0000${key}`;
  return {
    get: (key, windowEnd) => windows.get(id(key, windowEnd))?.count ?? 0,
    set(key, windowEnd, count, keepUntil = windowEnd) {
      const entry = windows.get(id(key, windowEnd));
      if (entry) {
        entry.count = count;
        entry.keepUntil = keepUntil;
      } else {
        windows.set(id(key, windowEnd), { count, keepUntil });
      }
    },
    sweep(now) {
      for (const [key, entry] of windows) if (entry.keepUntil <= now) windows.delete(key);
    },
    size: () => windows.size,
    reset: () => windows.clear(),
  };
}

/** A limit: how many requests per window. */
export interface Limit {
  limit: number;
  windowSeconds: number;
}

/** The state of a key's window after a request, with the figures for the headers. */
export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** UNIX epoch seconds at which the window ends (X-RateLimit-Reset). */
  reset: number;
  /** Whole seconds until the window ends (Retry-After); reset minus the current second. */
  retryAfterSeconds: number;
  windowSeconds: number;
}

export interface RateLimiter {
  /** Counts one request for `key` if budget remains. */
  consume(key: string, limit: Limit): RateLimitState;
  /** The state without counting. */
  peek(key: string, limit: Limit): RateLimitState;
  reset(): void;
  store: RateLimitStore;
}

export function createRateLimiter(clock: Clock, store: RateLimitStore = createMemoryStore()): RateLimiter {
  let nextSweep = 0;
  let sweepEvery = Infinity;

  function windowOf(limit: Limit, now: number) {
    const windowMs = limit.windowSeconds * 1000;
    const windowEnd = Math.floor(now / windowMs) * windowMs + windowMs;
    return { windowEnd, windowMs };
  }

  function state(count: number, allowed: boolean, limit: Limit, windowEnd: number, now: number): RateLimitState {
    const reset = Math.ceil(windowEnd / 1000);
    return {
      allowed,
      limit: limit.limit,
      remaining: Math.max(0, limit.limit - count),
      reset,
      retryAfterSeconds: reset - Math.floor(now / 1000),
      windowSeconds: limit.windowSeconds,
    };
  }

  return {
    store,
    consume(key, limit) {
      const now = clock.now();
      const { windowEnd, windowMs } = windowOf(limit, now);
      // Old windows are dropped lazily, at most once per shortest window: no timers.
      if (windowMs < sweepEvery) sweepEvery = windowMs;
      if (now >= nextSweep) {
        store.sweep(now);
        nextSweep = now + sweepEvery;
      }
      const count = store.get(key, windowEnd);
      if (count >= limit.limit) return state(count, false, limit, windowEnd, now);
      store.set(key, windowEnd, count + 1, windowEnd + windowMs);
      return state(count + 1, true, limit, windowEnd, now);
    },
    peek(key, limit) {
      const now = clock.now();
      const { windowEnd } = windowOf(limit, now);
      const count = store.get(key, windowEnd);
      return state(count, count < limit.limit, limit, windowEnd, now);
    },
    reset() {
      store.reset();
      nextSweep = 0;
    },
  };
}
