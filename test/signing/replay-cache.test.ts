// The replay cache of request signing (domain/auth/signing/replay-cache.ts): a nonce is
// remembered until its signature's tolerance has passed on the mock's clock (no timers),
// per key, and the cache never holds more than its bound.
import { createReplayCache } from '../../mock/domain/auth/signing/replay-cache';

const T = 1_793_523_600_000;

describe('the replay cache', () => {
  it('says a nonce was seen while it is remembered, and forgets it once the tolerance has passed', () => {
    const cache = createReplayCache(10);
    expect(cache.seen('key_a', 'n1', T, T + 300_000)).toBe(false);
    expect(cache.seen('key_a', 'n1', T + 300_000, T + 600_000)).toBe(true);
    expect(cache.seen('key_a', 'n1', T + 300_001, T + 600_001)).toBe(false);
  });

  it('keeps the nonces of different keys apart', () => {
    const cache = createReplayCache(10);
    expect(cache.seen('key_a', 'n1', T, T + 1000)).toBe(false);
    expect(cache.seen('key_b', 'n1', T, T + 1000)).toBe(false);
    expect(cache.seen('key_b', 'n1', T, T + 1000)).toBe(true);
  });

  it('drops ended entries and, past its bound, the oldest first', () => {
    const cache = createReplayCache(3);
    for (const n of ['a', 'b', 'c']) cache.seen('k', n, T, T + 1000);
    expect(cache.size()).toBe(3);
    cache.seen('k', 'd', T, T + 1000);
    expect(cache.size()).toBe(3);
    // 'a' went first: it is new again; 'd' is still remembered.
    expect(cache.seen('k', 'd', T, T + 1000)).toBe(true);
    expect(cache.seen('k', 'a', T, T + 1000)).toBe(false);
    // Once their time has passed, the next check clears them.
    cache.seen('k', 'e', T + 2000, T + 3000);
    expect(cache.size()).toBe(1);
  });

  it('empties on clear (a mock reset)', () => {
    const cache = createReplayCache(3);
    cache.seen('k', 'a', T, T + 1000);
    cache.clear();
    expect(cache.seen('k', 'a', T, T + 1000)).toBe(false);
  });
});
