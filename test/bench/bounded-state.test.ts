// The mock's state is bounded: rate-limit windows farther from the clock than the limiter
// keeps, rotated-out secrets whose grace ended and idempotency records past their day are
// dropped lazily, with no timers.
import { createClock } from '../../mock/clock';
import { KEPT_WINDOWS, createRateLimiter } from '../../mock/domain/limits/rate-limit';
import { createKeyStore, type KeyRecord } from '../../mock/domain/auth/key-store';
import { createIdempotencyStore } from '../../mock/domain/resources/idempotency';
import { T0 } from '../helpers/start-time';

it('should drop the windows of 100,000 accounts once the clock has moved past the windows the limiter keeps', () => {
  const clock = createClock({ start: T0 });
  const limiter = createRateLimiter();
  const limit = { limit: 5, windowSeconds: 60 };
  for (let i = 0; i < 100_000; i++) limiter.consume(`acct_${i}`, limit, clock.now());
  expect(limiter.store.size()).toBe(100_000);
  clock.advance(KEPT_WINDOWS * 60_000);
  limiter.consume('acct_next', limit, clock.now());
  expect(limiter.store.size()).toBe(100_001); // KEPT_WINDOWS on: still kept
  clock.advance(60_000);
  limiter.consume('acct_next', limit, clock.now());
  expect(limiter.store.size()).toBe(2); // acct_next's two windows
});

it('should hold at most KEPT_WINDOWS windows of a key, however the clock jumps, and keep the current one', () => {
  const clock = createClock({ start: T0 });
  const limiter = createRateLimiter();
  const limit = { limit: 5, windowSeconds: 60 };
  const start = clock.now();
  // Back and forth over 1,000 windows, faster than a sweep would run.
  for (let i = 0; i < 1_000; i++) {
    clock.set(start + (i % 2 === 0 ? i : -i) * 60_000);
    limiter.consume('acct_a', limit, clock.now());
    expect(limiter.peek('acct_a', limit, clock.now()).remaining).toBe(4);
  }
  expect(limiter.store.size()).toBeLessThanOrEqual(KEPT_WINDOWS);
});

describe('key history', () => {
  const account = { id: 'acct_a', name: 'A', plan: 'developer' };
  const key = (): KeyRecord => ({ id: 'key_1', name: 'k', accountId: 'acct_a', permissions: [], mode: 'test', createdAt: 0, expiresAt: null, revoked: false, last4: '0000' });
  const secret = (i: number) => `sk_test_rotated_${String(i).padStart(24, '0')}`;

  it('should drop rotated-out secrets once their grace ends, keeping the last one to answer expired', () => {
    const store = createKeyStore();
    store.addAccount(account);
    store.addKey(key(), secret(0));
    let now = 0;
    for (let i = 1; i <= 10_000; i++) {
      store.rotate('key_1', secret(i), now + 1_000, now);
      now += 2_000; // past the grace of the one before
    }
    // The current secret, the one still in its grace, and one that ended to answer `expired`.
    expect(store.secretCount()).toBeLessThanOrEqual(3);
    expect(store.lookup(secret(10_000), now).ok).toBe(true);
    expect(store.lookup(secret(9_999), now)).toEqual({ ok: false, reason: 'expired' });
    expect(store.lookup(secret(1), now)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('should keep every secret still in its grace, then drop them when it ends, whoever is rotated next', () => {
    const store = createKeyStore();
    store.addAccount(account);
    store.addKey(key(), secret(0));
    store.addKey({ ...key(), id: 'key_2' }, 'sk_test_other_000000000000000000000000');
    for (let i = 1; i <= 1_000; i++) store.rotate('key_1', secret(i), 3_600_000 + i, i);
    expect(store.secretCount()).toBe(1_002);
    expect(store.lookup(secret(500), 1_000).ok).toBe(true);
    // An hour on, rotating another key sweeps the first key's ended secrets too.
    store.rotate('key_2', 'sk_test_other_000000000000000000000001', 7_300_000, 7_200_000);
    expect(store.secretCount()).toBeLessThanOrEqual(5);
    expect(store.lookup(secret(1_000), 7_200_000).ok).toBe(true);
  });
});

it('should drop idempotency records whose day has passed', () => {
  const store = createIdempotencyStore();
  for (let i = 0; i < 5_000; i++) store.remember('acct_a createScan', `key-${i}`, 'print', { status: 201 }, i);
  expect(store.size()).toBe(5_000);
  store.remember('acct_a createScan', 'later', 'print', { status: 201 }, 24 * 60 * 60 * 1000 + 5_000);
  expect(store.size()).toBe(1);
  expect(store.check('acct_a createScan', 'later', 'print', 24 * 60 * 60 * 1000 + 5_000).kind).toBe('replay');
});
