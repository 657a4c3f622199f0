// Fixed-window rate limiting on the mock's clock, read by the caller: consume and peek take
// the request's `now`, so a request reads the clock once. Windows are aligned to the epoch, so
// X-RateLimit-Reset is the same for every request of a window. Counting happens in one
// synchronous step (check, then increment) so concurrent requests cannot slip past the
// limit, and a refused request consumes nothing. Each window's count is its own, and a key
// keeps its windows by window index, not by where the clock stands: a clock moved up to
// KEPT_WINDOWS windows away and back finds every count where it was.
/**
 * How many windows the limiter keeps, each way of the clock's current window: a key's count
 * survives the clock moving that many windows on (or back) and returning. A key holds at most
 * this many windows, and a window farther than this from the clock is dropped, so the state
 * is bounded by the keys in use, whatever the clock does.
 */
export const KEPT_WINDOWS = 4;

/** Counters behind a small interface (as express-rate-limit does), one instance per app. */
export interface RateLimitStore {
  /** The count of `key` in the window ending at `windowEnd` (0 for a new window). */
  get(key: string, windowEnd: number): number;
  /**
   * Sets the count of `key` for the window of `windowMs` ending at `windowEnd`. A key keeps
   * KEPT_WINDOWS windows: a new one displaces the window farthest from it by index.
   */
  set(key: string, windowEnd: number, count: number, windowMs: number): void;
  /** Drops every window more than KEPT_WINDOWS windows from the one holding `now`. */
  sweep(now: number): void;
  /** How many windows are held. */
  size(): number;
  reset(): void;
}

/** One of a key's windows; a key's windows are a short chain, the newest first. */
interface Window {
  end: number;
  ms: number;
  count: number;
  next: Window | undefined;
}

/** The window index of `at` on a window's own length. */
const indexOf = (at: number, ms: number) => Math.floor(at / ms);

function find(head: Window | undefined, end: number): Window | undefined {
  for (let w = head; w; w = w.next) if (w.end === end) return w;
  return undefined;
}

export function createMemoryStore(): RateLimitStore {
  // Each key's windows, at most KEPT_WINDOWS: a key's windows never share a count. A chain,
  // not an array, keeps a key with one window (nearly every key) as small as one object.
  const keys = new Map<string, Window>();
  let held = 0;
  const distance = (w: Window, end: number) => Math.abs(indexOf(w.end, w.ms) - indexOf(end, w.ms));
  return {
    get: (key, windowEnd) => find(keys.get(key), windowEnd)?.count ?? 0,
    set(key, windowEnd, count, windowMs) {
      const head = keys.get(key);
      const entry = find(head, windowEnd);
      if (entry) {
        entry.count = count;
        return;
      }
      const added: Window = { end: windowEnd, ms: windowMs, count, next: head };
      // The window being counted is the clock's own, so it stays; past KEPT_WINDOWS the
      // one farthest from it goes.
      let length = 0;
      let farthest: Window | undefined;
      let beforeFarthest = added;
      for (let before = added, w = head; w; before = w, w = w.next) {
        length++;
        if (!farthest || distance(w, windowEnd) > distance(farthest, windowEnd)) {
          farthest = w;
          beforeFarthest = before;
        }
      }
      if (farthest && length >= KEPT_WINDOWS) {
        beforeFarthest.next = farthest.next;
        held--;
      }
      keys.set(key, added);
      held++;
    },
    sweep(now) {
      for (const [key, head] of keys) {
        let first: Window | undefined;
        let last: Window | undefined;
        for (let w: Window | undefined = head; w; w = w.next) {
          if (Math.abs(indexOf(w.end - 1, w.ms) - indexOf(now, w.ms)) > KEPT_WINDOWS) {
            held--;
            continue;
          }
          if (last) last.next = w;
          else first = w;
          last = w;
        }
        if (last) last.next = undefined;
        if (!first) keys.delete(key);
        else if (first !== head) keys.set(key, first);
      }
    },
    size: () => held,
    reset() {
      keys.clear();
      held = 0;
    },
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
  /** Counts one request for `key` at `now` (the mock's clock) if budget remains. */
  consume(key: string, limit: Limit, now: number): RateLimitState;
  /** The state at `now` without counting. */
  peek(key: string, limit: Limit, now: number): RateLimitState;
  /**
   * Gives back one request `consume` counted for `key` in the window of `now` (a 304 costs no
   * budget). Called in the same synchronous request as its consume, so no other request runs
   * between them.
   */
  refund(key: string, limit: Limit, now: number): RateLimitState;
  reset(): void;
  store: RateLimitStore;
}

/** A limiter over `store`; it reads no clock: every call says when it is. */
export function createRateLimiter(store: RateLimitStore = createMemoryStore()): RateLimiter {
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
    consume(key, limit, now) {
      const { windowEnd, windowMs } = windowOf(limit, now);
      // Far windows are dropped lazily, at most once per shortest window: no timers.
      if (windowMs < sweepEvery) sweepEvery = windowMs;
      if (now >= nextSweep) {
        store.sweep(now);
        nextSweep = now + sweepEvery;
      }
      const count = store.get(key, windowEnd);
      if (count >= limit.limit) return state(count, false, limit, windowEnd, now);
      store.set(key, windowEnd, count + 1, windowMs);
      return state(count + 1, true, limit, windowEnd, now);
    },
    peek(key, limit, now) {
      const { windowEnd } = windowOf(limit, now);
      const count = store.get(key, windowEnd);
      return state(count, count < limit.limit, limit, windowEnd, now);
    },
    refund(key, limit, now) {
      const { windowEnd, windowMs } = windowOf(limit, now);
      const count = Math.max(0, store.get(key, windowEnd) - 1);
      store.set(key, windowEnd, count, windowMs);
      return state(count, true, limit, windowEnd, now);
    },
    reset() {
      store.reset();
      nextSweep = 0;
    },
  };
}
