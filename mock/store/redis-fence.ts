// The state fence on its own (fence.ts), for a request that touches no limiter window (a
// 401 before the rate limit, a 404 before it): one round trip that only compares the
// version the instance holds with `<prefix>state:version` (missing = 0).
import type { Stale } from '../domain/limits/rate-limit';
import type { LuaScript, RedisStore } from './redis';

/** KEYS[1]: `<prefix>state:version`; ARGV[1]: the instance's version. {'fresh'} or {'stale', version}. */
export const FENCE_CHECK: LuaScript = {
  name: 'cortex_fence_check',
  lua: `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current ~= tonumber(ARGV[1]) then return {'stale', current} end
return {'fresh'}
`,
};

/** Stale when the shared state is at another version than `version`; undefined when the instance holds it. */
export async function checkFence(redis: RedisStore, version: number): Promise<Stale | undefined> {
  const reply = await redis.run<[string, number?]>(FENCE_CHECK, [`${redis.prefix}state:version`], [version]);
  return reply[0] === 'stale' ? { stale: true, version: Number(reply[1]) } : undefined;
}
