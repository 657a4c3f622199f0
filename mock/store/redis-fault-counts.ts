// The fault rules' counts on Redis (issue 25: "fault rules and their counts"): every instance
// counts a request against the rules it matches in one script, fenced like the limiter's
// (fence.ts), so `first: 1` fires once across the instances and `times: 3` three times. The
// rules themselves travel through the shared log; only their seen and fired live here, in
// one hash (`<prefix>faults:counts`, fields `<id>:seen` and `<id>:fired`), which a reset
// deletes. A probability schedule draws in the script from the rule's seed and its shared
// seen (mulberry32 seeded by deriveSeed(seed, seen), as domain/faults/prng.ts sharedDraws).
import type { CountedRule, RuleCounts, SharedFaultCounts } from '../domain/faults';
import type { StateFence } from './fence';
import { StaleStateError } from './fence';
import type { LuaScript, RedisStore } from './redis';

/**
 * KEYS: `<prefix>state:version`, the counts hash. ARGV[1]: the fence (-1: none); then five
 * per rule: id, schedule, its number, times (-1: no cap), seed. Answers {'stale', version} or
 * {'counted', fired index (0: none), seen1, fired1, seen2, fired2, ...}. The 32-bit products
 * are taken in 16-bit halves: Lua's numbers are doubles, exact only to 2^53.
 */
export const FAULT_COUNT: LuaScript = {
  name: 'cortex_fault_count',
  lua: `
local fence = tonumber(ARGV[1])
if fence >= 0 then
  local current = tonumber(redis.call('GET', KEYS[1]) or '0')
  if current ~= fence then return {'stale', current} end
end
local M = 4294967296
local function imul(a, b)
  local al, ah = a % 65536, math.floor(a / 65536)
  local bl, bh = b % 65536, math.floor(b / 65536)
  return (al * bl + ((ah * bl + al * bh) % 65536) * 65536) % M
end
local function xor(a, b) return bit.bxor(a, b) % M end
local function shr(a, n) return bit.rshift(a, n) % M end
local function derive(seed, ordinal)
  local z = (seed + imul(ordinal % M, 2654435769)) % M
  z = imul(xor(z, shr(z, 16)), 2246822507)
  z = imul(xor(z, shr(z, 13)), 3266489909)
  return xor(z, shr(z, 16))
end
local function draw(seed)
  local t = (seed + 1831565813) % M
  t = imul(xor(t, shr(t, 15)), bit.bor(t, 1) % M)
  t = xor(t, (t + imul(xor(t, shr(t, 7)), bit.bor(t, 61) % M)) % M)
  return xor(t, shr(t, 14)) / M
end
local fired = 0
local out = {}
for i = 1, (#ARGV - 1) / 5 do
  local at = 2 + (i - 1) * 5
  local id, schedule, param, times, seed = ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3]), tonumber(ARGV[at + 4])
  local seen = redis.call('HINCRBY', KEYS[2], id .. ':seen', 1)
  local due
  if schedule == 'first' then due = seen <= param
  elseif schedule == 'after' then due = seen > param
  elseif schedule == 'every' then due = seen % param == 0
  else due = draw(derive(seed, seen)) < param end
  local count = tonumber(redis.call('HGET', KEYS[2], id .. ':fired') or '0')
  if due and fired == 0 and (times < 0 or count < times) then
    count = redis.call('HINCRBY', KEYS[2], id .. ':fired', 1)
    fired = i
  end
  out[#out + 1] = seen
  out[#out + 1] = count
end
return {'counted', fired, unpack(out)}
`,
};

/** KEYS[1]: the counts hash; ARGV: rule ids. Answers seen1, fired1, ... (0 where never counted). */
export const FAULT_READ: LuaScript = {
  name: 'cortex_fault_read',
  lua: `
local out = {}
for i = 1, #ARGV do
  out[#out + 1] = tonumber(redis.call('HGET', KEYS[1], ARGV[i] .. ':seen') or '0')
  out[#out + 1] = tonumber(redis.call('HGET', KEYS[1], ARGV[i] .. ':fired') or '0')
end
return out
`,
};

const pairs = (values: readonly unknown[]): RuleCounts[] => {
  const counts: RuleCounts[] = [];
  for (let i = 0; i + 1 < values.length; i += 2) counts.push({ seen: Number(values[i]), fired: Number(values[i + 1]) });
  return counts;
};

/** The fault counts of every instance on `redis`; the counting script carries `fence` (a stale instance catches up and runs the request again). */
export function createRedisFaultCounts(redis: RedisStore, fence?: StateFence): SharedFaultCounts & { clear(): Promise<void> } {
  const countsKey = `${redis.prefix}faults:counts`;
  const versionKey = `${redis.prefix}state:version`;
  return {
    async count(rules: readonly CountedRule[]) {
      const args: (string | number)[] = [fence?.version() ?? -1];
      for (const r of rules) args.push(r.id, r.schedule, r.param, r.times, r.seed);
      const reply = await redis.run<[string, ...number[]]>(FAULT_COUNT, [versionKey, countsKey], args);
      if (reply[0] === 'stale') throw new StaleStateError(Number(reply[1]));
      return { counts: pairs(reply.slice(2)), fired: Number(reply[1]) - 1 };
    },
    async read(ids: readonly string[]) {
      if (ids.length === 0) return [];
      return pairs(await redis.run<number[]>(FAULT_READ, [countsKey], [...ids]));
    },
    async clear() {
      await redis.run({ name: 'cortex_fault_clear', lua: "redis.call('DEL', KEYS[1]) return 1" }, [countsKey], []);
    },
  };
}
