// The limiter's store on Redis: the same increment-style interface as the memory store
// (domain/limits/rate-limit.ts), each call one Lua script (one round trip, EVALSHA) that
// checks every window of the request and counts one in each, or counts nothing, atomically
// across every instance on the same Redis and prefix. `now` is the mock's clock, passed as
// an argument: a window is keyed by floor(now / window_ms), never by the server's clock,
// which serves only to clean up (PEXPIRE). Every script can carry the state fence
// (fence.ts): KEYS[1] is `<prefix>state:version`, ARGV[1] the version the instance holds or
// -1; when they differ, the script changes nothing and answers {'stale', version}.
import { KEPT_WINDOWS, type Counted, type RateLimitStore, type Stale, type WindowRef } from '../domain/limits/rate-limit';
import type { LuaScript, RedisStore } from './redis';
import { StoreUnavailableError } from './unavailable';

const PING: LuaScript = { name: 'cortex_ping', lua: 'return 1' };

/** The fence every script opens with: stale first thing, before anything is read or changed. */
const FENCE = `
local fence = tonumber(ARGV[1])
if fence >= 0 then
  local current = tonumber(redis.call('GET', KEYS[1]) or '0')
  if current ~= fence then return {'stale', current} end
end
local n = #KEYS - 1
`;

/**
 * KEYS[2..]: one key per window; ARGV[2i], ARGV[2i+1]: window i's limit and its clean-up TTL
 * in ms (0: none). Counts one in every window when each is below its limit; otherwise none.
 * Answers {'counted' | 'refused', count...}.
 */
export const INCREMENT: LuaScript = {
  name: 'cortex_limit_increment',
  lua: `${FENCE}
local counts = {}
local refused = false
for i = 1, n do
  counts[i] = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
  if counts[i] >= tonumber(ARGV[2 * i]) then refused = true end
end
if refused then return {'refused', unpack(counts)} end
for i = 1, n do
  counts[i] = redis.call('INCR', KEYS[i + 1])
  local ttl = tonumber(ARGV[2 * i + 1])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[i + 1], ttl) else redis.call('PERSIST', KEYS[i + 1]) end
end
return {'counted', unpack(counts)}
`,
};

/** Each window's count, unchanged: {'counts', count...}. */
export const COUNTS: LuaScript = {
  name: 'cortex_limit_counts',
  lua: `${FENCE}
local counts = {}
for i = 1, n do counts[i] = tonumber(redis.call('GET', KEYS[i + 1]) or '0') end
return {'counts', unpack(counts)}
`,
};

/** One given back in each window, never below 0 (a 304 is free): {'counts', count...}. */
export const DECREMENT: LuaScript = {
  name: 'cortex_limit_decrement',
  lua: `${FENCE}
local counts = {}
for i = 1, n do
  local count = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
  if count > 0 then count = redis.call('DECR', KEYS[i + 1]) end
  counts[i] = count
end
return {'counts', unpack(counts)}
`,
};

/**
 * How long Redis keeps a window after it was counted (PEXPIRE, on Redis's own clock: clean-up
 * only, it decides no count). With the mock's clock running, the rest of the window plus the
 * KEPT_WINDOWS windows after it, so the clock moved that far on and back finds the count, as
 * in memory. With the clock frozen, none (0): the clock stands still, so its window stays the
 * current one however long the test takes; it goes with a reset, or gets its TTL the next
 * time it is counted with the clock running.
 */
export function cleanUpTtl(window: WindowRef, now: number, frozen: boolean): number {
  if (frozen) return 0;
  return (window.index + 1) * window.windowMs - now + KEPT_WINDOWS * window.windowMs;
}

export interface RedisRateLimitOptions {
  /** What the limiter's keys start with after the store's prefix: `limit:` for plans, `auth-failures:` for guessed keys. */
  namespace: string;
  /** Whether the mock's clock is frozen (then windows get no expiry). */
  frozen(): boolean;
}

type Reply = [string, ...number[]];

/** The limiter's store over `redis`, under `<prefix><namespace>`. */
export function createRedisRateLimitStore(redis: RedisStore, options: RedisRateLimitOptions): RateLimitStore {
  const base = `${redis.prefix}${options.namespace}`;
  const versionKey = `${redis.prefix}state:version`;
  const keysOf = (key: string, windows: readonly WindowRef[]) => [versionKey, ...windows.map((w) => `${base}${key}:${w.windowMs}:${w.index}`)];
  const stale = (reply: Reply): Stale | undefined => (reply[0] === 'stale' ? { stale: true, version: Number(reply[1]) } : undefined);
  const countsOf = (reply: Reply) => reply.slice(1).map(Number);
  return {
    async increment(key, windows, now, fence): Promise<Counted | Stale> {
      const frozen = options.frozen();
      const args: (string | number)[] = [fence ?? -1];
      for (const w of windows) args.push(w.limit, cleanUpTtl(w, now, frozen));
      const reply = await redis.run<Reply>(INCREMENT, keysOf(key, windows), args);
      return stale(reply) ?? { allowed: reply[0] === 'counted', counts: countsOf(reply) };
    },
    async counts(key, windows, _now, fence) {
      const reply = await redis.run<Reply>(COUNTS, keysOf(key, windows), [fence ?? -1]);
      return stale(reply) ?? countsOf(reply);
    },
    async decrement(key, windows, _now, fence) {
      const reply = await redis.run<Reply>(DECREMENT, keysOf(key, windows), [fence ?? -1]);
      return stale(reply) ?? countsOf(reply);
    },
    async reset() {
      // Connected (and the store up) first: the same StoreUnavailableError as any request.
      await redis.run(PING, [], []);
      try {
        // Every window of this limiter, a batch at a time (SCAN never blocks Redis for long).
        let cursor = '0';
        do {
          const [next, found] = await redis.client.scan(cursor, 'MATCH', `${escapeGlob(base)}*`, 'COUNT', 1000);
          if (found.length > 0) await redis.client.unlink(...found);
          cursor = next;
        } while (cursor !== '0');
      } catch (err) {
        throw new StoreUnavailableError(`reset: ${(err as Error).message}`);
      }
    },
  };
}

/** `text` with SCAN's glob characters escaped. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
