// Fixed-window rate limiting on the mock's clock, read by the caller: consume and peek take
// the request's `now`, so a request reads the clock once. Windows are aligned to the epoch, so
// X-RateLimit-Reset is the same for every request of a window. The store's interface is
// increment-style, as express-rate-limit's is: `increment` checks every window that applies
// to a request and counts one in each, in one atomic step (one synchronous call in memory,
// one Lua script on Redis: mock/store/redis-rate-limit.ts), and returns each count; nothing
// reads, compares and then writes, so concurrent requests, on one instance or many, cannot
// slip past the limit, and a refused request consumes nothing. Each window's count is its
// own, and a key keeps its windows by window index, not by where the clock stands: a clock
// moved up to KEPT_WINDOWS windows away and back finds every count where it was.
/**
 * How many windows the limiter keeps, each way of the clock's current window: a key's count
 * survives the clock moving that many windows on (or back) and returning. A key holds at most
 * this many windows, and a window farther than this from the clock is dropped, so the state
 * is bounded by the keys in use, whatever the clock does.
 */
export const KEPT_WINDOWS = 4;

/** A value, or a promise of it: the memory store answers at once, Redis later. */
export type Maybe<T> = T | Promise<T>;

/** `f(value)`, at once when `value` is no promise (a GET on the memory store gets no tick). */
export function after<T, U>(value: Maybe<T>, f: (value: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/** One window of a key, as a store counts it: its length, its index on the epoch and its limit. */
export interface WindowRef {
  windowMs: number;
  /** floor(now / windowMs): the same for every instance at the same `now`. */
  index: number;
  limit: number;
}

/** What `increment` did: counted one in every window, or refused (nothing counted); each window's count after it. */
export interface Counted {
  allowed: boolean;
  counts: number[];
}

/**
 * The store's answer to a fenced call (mock/store: `fence` is the state version the instance
 * holds) when the shared state has moved on: nothing was read or changed, and `version` is
 * the state's. The memory store is never stale.
 */
export interface Stale {
  stale: true;
  version: number;
}

/** Whether a store's answer is the stale reply of a fence. */
export const isStale = (reply: unknown): reply is Stale => (reply as Stale | undefined)?.stale === true;

/** Counters behind a small increment-style interface (as express-rate-limit does), one instance per app. */
export interface RateLimitStore {
  /**
   * Atomically: when every window of `key` is below its limit, counts one in each; otherwise
   * counts nothing. The counts after it, one per window, in the order given.
   */
  increment(key: string, windows: readonly WindowRef[], now: number, fence?: number): Maybe<Counted | Stale>;
  /** Each window's count, unchanged. */
  counts(key: string, windows: readonly WindowRef[], now: number, fence?: number): Maybe<number[] | Stale>;
  /** Gives one back in each window (never below 0): the counts after it. */
  decrement(key: string, windows: readonly WindowRef[], now: number, fence?: number): Maybe<number[] | Stale>;
  reset(): Maybe<void>;
}

/** The memory store: the interface, synchronous, plus what its tests and the bench look into. */
export interface MemoryRateLimitStore extends RateLimitStore {
  increment(key: string, windows: readonly WindowRef[], now: number, fence?: number): Counted;
  counts(key: string, windows: readonly WindowRef[], now: number, fence?: number): number[];
  decrement(key: string, windows: readonly WindowRef[], now: number, fence?: number): number[];
  reset(): void;
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

export function createMemoryStore(): MemoryRateLimitStore {
  // Each key's windows, at most KEPT_WINDOWS: a key's windows never share a count. A chain,
  // not an array, keeps a key with one window (nearly every key) as small as one object.
  const keys = new Map<string, Window>();
  let held = 0;
  const distance = (w: Window, end: number) => Math.abs(indexOf(w.end, w.ms) - indexOf(end, w.ms));
  // Far windows are dropped lazily, at most once per shortest window: no timers.
  let nextSweep = 0;
  let sweepEvery = Infinity;
  const get = (key: string, windowEnd: number) => find(keys.get(key), windowEnd)?.count ?? 0;
  const endOf = (w: WindowRef) => (w.index + 1) * w.windowMs;
  const store: MemoryRateLimitStore = {
    increment(key, windows, now) {
      for (const w of windows) if (w.windowMs < sweepEvery) sweepEvery = w.windowMs;
      if (now >= nextSweep) {
        store.sweep(now);
        nextSweep = now + sweepEvery;
      }
      // One synchronous step: no other request runs between the check and the count.
      const counts = windows.map((w) => get(key, endOf(w)));
      if (windows.some((w, i) => counts[i] >= w.limit)) return { allowed: false, counts };
      windows.forEach((w, i) => store.set(key, endOf(w), ++counts[i], w.windowMs));
      return { allowed: true, counts };
    },
    counts: (key, windows) => windows.map((w) => get(key, endOf(w))),
    decrement(key, windows) {
      return windows.map((w) => {
        const count = Math.max(0, get(key, endOf(w)) - 1);
        store.set(key, endOf(w), count, w.windowMs);
        return count;
      });
    },
    get,
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
      nextSweep = 0;
    },
  };
  return store;
}

/** A limit: how many requests per window. */
export interface Limit {
  limit: number;
  windowSeconds: number;
}

/** The limits of a call: one, or several (a plan may set more than one window); all are checked at once. */
export type Limits = Limit | readonly Limit[];

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

/**
 * A limiter over a store that may answer later (Redis). With `fence` (the state version the
 * instance holds, mock/store), a store whose shared state has moved on answers Stale and
 * changes nothing.
 */
export interface RateLimiter {
  /** Counts one request for `key` at `now` (the mock's clock) in every window of `limits`, if each has budget left. */
  consume(key: string, limits: Limits, now: number): Maybe<RateLimitState>;
  consume(key: string, limits: Limits, now: number, fence: number | undefined): Maybe<RateLimitState | Stale>;
  /** The state at `now` without counting. */
  peek(key: string, limits: Limits, now: number): Maybe<RateLimitState>;
  peek(key: string, limits: Limits, now: number, fence: number | undefined): Maybe<RateLimitState | Stale>;
  /**
   * Gives back one request `consume` counted for `key` in the windows of `now` (a 304 costs no
   * budget), in the same request as its consume.
   */
  refund(key: string, limits: Limits, now: number): Maybe<RateLimitState>;
  reset(): Maybe<void>;
  store: RateLimitStore;
}

/** The limiter of the memory store: every answer at once. */
export interface MemoryRateLimiter extends RateLimiter {
  consume(key: string, limits: Limits, now: number, fence?: number): RateLimitState;
  peek(key: string, limits: Limits, now: number, fence?: number): RateLimitState;
  refund(key: string, limits: Limits, now: number): RateLimitState;
  reset(): void;
  store: MemoryRateLimitStore;
}

/** The windows of `limits` at `now`. */
function windowsOf(limits: Limits, now: number): WindowRef[] {
  const list = Array.isArray(limits) ? (limits as readonly Limit[]) : [limits as Limit];
  return list.map((l) => {
    const windowMs = l.windowSeconds * 1000;
    return { windowMs, index: Math.floor(now / windowMs), limit: l.limit };
  });
}

/**
 * The figures of the window a client must heed, from each window's count: of a refused
 * request, the exhausted window that ends last (the one that lets it through again); else the
 * window with the least left (the first of equals).
 */
function stateOf(limits: Limits, windows: readonly WindowRef[], counts: readonly number[], allowed: boolean, now: number): RateLimitState {
  const list = Array.isArray(limits) ? (limits as readonly Limit[]) : [limits as Limit];
  let at = 0;
  for (let i = 1; i < windows.length; i++) {
    const left = windows[i].limit - counts[i];
    const best = windows[at].limit - counts[at];
    const ends = (w: WindowRef) => (w.index + 1) * w.windowMs;
    if (!allowed ? left <= 0 && (best > 0 || ends(windows[i]) > ends(windows[at])) : left < best) at = i;
  }
  const w = windows[at];
  const reset = Math.ceil(((w.index + 1) * w.windowMs) / 1000);
  return {
    allowed,
    limit: w.limit,
    remaining: Math.max(0, w.limit - counts[at]),
    reset,
    retryAfterSeconds: reset - Math.floor(now / 1000),
    windowSeconds: list[at].windowSeconds,
  };
}

/** A limiter over the memory store (the default): every answer at once, never stale. */
export function createRateLimiter(store?: MemoryRateLimitStore): MemoryRateLimiter;
/** A limiter over any store (Redis: mock/store/redis-rate-limit.ts); answers may be promises. */
export function createRateLimiter(store: RateLimitStore): RateLimiter;
export function createRateLimiter(store: RateLimitStore = createMemoryStore()): RateLimiter {
  const consume = (key: string, limits: Limits, now: number, fence?: number): Maybe<RateLimitState | Stale> => {
    const windows = windowsOf(limits, now);
    return after(store.increment(key, windows, now, fence), (reply) => (isStale(reply) ? reply : stateOf(limits, windows, reply.counts, reply.allowed, now)));
  };
  const peek = (key: string, limits: Limits, now: number, fence?: number): Maybe<RateLimitState | Stale> => {
    const windows = windowsOf(limits, now);
    return after(store.counts(key, windows, now, fence), (counts) => (isStale(counts) ? counts : stateOf(limits, windows, counts, windows.every((w, i) => counts[i] < w.limit), now)));
  };
  const refund = (key: string, limits: Limits, now: number): Maybe<RateLimitState> => {
    const windows = windowsOf(limits, now);
    return after(store.decrement(key, windows, now), (counts) => {
      if (isStale(counts)) throw new Error('refund: a store answered stale to an unfenced call');
      return stateOf(limits, windows, counts, true, now);
    });
  };
  return { store, consume, peek, refund, reset: () => store.reset() } as RateLimiter;
}
