// @ts-nocheck
// Fixed-window rate limiting on the injected clock. Windows are aligned to the epoch, so
// X-RateLimit-Reset is the same for every request of a window. Counting happens in one
// synchronous step (check, then increment) so concurrent requests cannot slip past the
// limit, and a refused request consumes nothing.
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import type { Clock } from '../clock';

/** Counters behind a small interface (as express-rate-limit does), one instance per app. */
export interface RateLimitStore {
  /** The count of `key` in the window ending at `windowEnd` (0 for a new window). */
  get(key: string, windowEnd: number): number;
  /** Sets the count of `key` for the window ending at `windowEnd`. */
  set(key: string, windowEnd: number, count: number): void;
  /** Drops every window that has ended by `now`. */
  sweep(now: number): void;
  size(): number;
  reset(): void;
}
export function createMemoryStore(): RateLimitStore {
  if (stryMutAct_9fa48("726")) {
    {}
  } else {
    stryCov_9fa48("726");
    const windows = new Map<string, {
      windowEnd: number;
      count: number;
    }>();
    return stryMutAct_9fa48("727") ? {} : (stryCov_9fa48("727"), {
      get(key, windowEnd) {
        if (stryMutAct_9fa48("728")) {
          {}
        } else {
          stryCov_9fa48("728");
          const entry = windows.get(key);
          return (stryMutAct_9fa48("731") ? entry || entry.windowEnd === windowEnd : stryMutAct_9fa48("730") ? false : stryMutAct_9fa48("729") ? true : (stryCov_9fa48("729", "730", "731"), entry && (stryMutAct_9fa48("733") ? entry.windowEnd !== windowEnd : stryMutAct_9fa48("732") ? true : (stryCov_9fa48("732", "733"), entry.windowEnd === windowEnd)))) ? entry.count : 0;
        }
      },
      set(key, windowEnd, count) {
        if (stryMutAct_9fa48("734")) {
          {}
        } else {
          stryCov_9fa48("734");
          const entry = windows.get(key);
          if (stryMutAct_9fa48("736") ? false : stryMutAct_9fa48("735") ? true : (stryCov_9fa48("735", "736"), entry)) {
            if (stryMutAct_9fa48("737")) {
              {}
            } else {
              stryCov_9fa48("737");
              entry.windowEnd = windowEnd;
              entry.count = count;
            }
          } else {
            if (stryMutAct_9fa48("738")) {
              {}
            } else {
              stryCov_9fa48("738");
              windows.set(key, stryMutAct_9fa48("739") ? {} : (stryCov_9fa48("739"), {
                windowEnd,
                count
              }));
            }
          }
        }
      },
      sweep(now) {
        if (stryMutAct_9fa48("740")) {
          {}
        } else {
          stryCov_9fa48("740");
          for (const [key, entry] of windows) if (stryMutAct_9fa48("744") ? entry.windowEnd > now : stryMutAct_9fa48("743") ? entry.windowEnd < now : stryMutAct_9fa48("742") ? false : stryMutAct_9fa48("741") ? true : (stryCov_9fa48("741", "742", "743", "744"), entry.windowEnd <= now)) windows.delete(key);
        }
      },
      size: stryMutAct_9fa48("745") ? () => undefined : (stryCov_9fa48("745"), () => windows.size),
      reset: stryMutAct_9fa48("746") ? () => undefined : (stryCov_9fa48("746"), () => windows.clear())
    });
  }
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
  if (stryMutAct_9fa48("747")) {
    {}
  } else {
    stryCov_9fa48("747");
    let nextSweep = 0;
    let sweepEvery = Infinity;
    function windowOf(limit: Limit, now: number) {
      if (stryMutAct_9fa48("748")) {
        {}
      } else {
        stryCov_9fa48("748");
        const windowMs = stryMutAct_9fa48("749") ? limit.windowSeconds / 1000 : (stryCov_9fa48("749"), limit.windowSeconds * 1000);
        const windowEnd = stryMutAct_9fa48("750") ? Math.floor(now / windowMs) * windowMs - windowMs : (stryCov_9fa48("750"), (stryMutAct_9fa48("751") ? Math.floor(now / windowMs) / windowMs : (stryCov_9fa48("751"), Math.floor(stryMutAct_9fa48("752") ? now * windowMs : (stryCov_9fa48("752"), now / windowMs)) * windowMs)) + windowMs);
        return stryMutAct_9fa48("753") ? {} : (stryCov_9fa48("753"), {
          windowEnd,
          windowMs
        });
      }
    }
    function state(count: number, allowed: boolean, limit: Limit, windowEnd: number, now: number): RateLimitState {
      if (stryMutAct_9fa48("754")) {
        {}
      } else {
        stryCov_9fa48("754");
        const reset = Math.ceil(stryMutAct_9fa48("755") ? windowEnd * 1000 : (stryCov_9fa48("755"), windowEnd / 1000));
        return stryMutAct_9fa48("756") ? {} : (stryCov_9fa48("756"), {
          allowed,
          limit: limit.limit,
          remaining: stryMutAct_9fa48("757") ? Math.min(0, limit.limit - count) : (stryCov_9fa48("757"), Math.max(0, stryMutAct_9fa48("758") ? limit.limit + count : (stryCov_9fa48("758"), limit.limit - count))),
          reset,
          retryAfterSeconds: stryMutAct_9fa48("759") ? reset + Math.floor(now / 1000) : (stryCov_9fa48("759"), reset - Math.floor(stryMutAct_9fa48("760") ? now * 1000 : (stryCov_9fa48("760"), now / 1000))),
          windowSeconds: limit.windowSeconds
        });
      }
    }
    return stryMutAct_9fa48("761") ? {} : (stryCov_9fa48("761"), {
      store,
      consume(key, limit) {
        if (stryMutAct_9fa48("762")) {
          {}
        } else {
          stryCov_9fa48("762");
          const now = clock.now();
          const {
            windowEnd,
            windowMs
          } = windowOf(limit, now);
          // Old windows are dropped lazily, at most once per shortest window: no timers.
          if (stryMutAct_9fa48("766") ? windowMs >= sweepEvery : stryMutAct_9fa48("765") ? windowMs <= sweepEvery : stryMutAct_9fa48("764") ? false : stryMutAct_9fa48("763") ? true : (stryCov_9fa48("763", "764", "765", "766"), windowMs < sweepEvery)) sweepEvery = windowMs;
          if (stryMutAct_9fa48("770") ? now < nextSweep : stryMutAct_9fa48("769") ? now > nextSweep : stryMutAct_9fa48("768") ? false : stryMutAct_9fa48("767") ? true : (stryCov_9fa48("767", "768", "769", "770"), now >= nextSweep)) {
            if (stryMutAct_9fa48("771")) {
              {}
            } else {
              stryCov_9fa48("771");
              store.sweep(now);
              nextSweep = stryMutAct_9fa48("772") ? now - sweepEvery : (stryCov_9fa48("772"), now + sweepEvery);
            }
          }
          const count = store.get(key, windowEnd);
          if (stryMutAct_9fa48("776") ? count < limit.limit : stryMutAct_9fa48("775") ? count > limit.limit : stryMutAct_9fa48("774") ? false : stryMutAct_9fa48("773") ? true : (stryCov_9fa48("773", "774", "775", "776"), count >= limit.limit)) return state(count, stryMutAct_9fa48("777") ? true : (stryCov_9fa48("777"), false), limit, windowEnd, now);
          store.set(key, windowEnd, stryMutAct_9fa48("778") ? count - 1 : (stryCov_9fa48("778"), count + 1));
          return state(stryMutAct_9fa48("779") ? count - 1 : (stryCov_9fa48("779"), count + 1), stryMutAct_9fa48("780") ? false : (stryCov_9fa48("780"), true), limit, windowEnd, now);
        }
      },
      peek(key, limit) {
        if (stryMutAct_9fa48("781")) {
          {}
        } else {
          stryCov_9fa48("781");
          const now = clock.now();
          const {
            windowEnd
          } = windowOf(limit, now);
          const count = store.get(key, windowEnd);
          return state(count, stryMutAct_9fa48("785") ? count >= limit.limit : stryMutAct_9fa48("784") ? count <= limit.limit : stryMutAct_9fa48("783") ? false : stryMutAct_9fa48("782") ? true : (stryCov_9fa48("782", "783", "784", "785"), count < limit.limit), limit, windowEnd, now);
        }
      },
      reset() {
        if (stryMutAct_9fa48("786")) {
          {}
        } else {
          stryCov_9fa48("786");
          store.reset();
          nextSweep = 0;
        }
      }
    });
  }
}