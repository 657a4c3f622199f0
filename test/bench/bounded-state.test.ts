// The rate limiter's state is bounded: windows that ended are dropped lazily, with no timers.
import { createClock } from '../../mock/clock';
import { createRateLimiter } from '../../mock/domain/limits/rate-limit';

it('should drop the windows of 100,000 accounts once the clock has moved two windows on', () => {
  const clock = createClock({ start: Date.parse('2026-11-01T09:00:30Z') });
  const limiter = createRateLimiter(clock);
  const limit = { limit: 5, windowSeconds: 60 };
  for (let i = 0; i < 100_000; i++) limiter.consume(`acct_${i}`, limit);
  expect(limiter.store.size()).toBe(100_000);
  clock.advance(120_000);
  limiter.consume('acct_next', limit);
  expect(limiter.store.size()).toBe(1);
});
