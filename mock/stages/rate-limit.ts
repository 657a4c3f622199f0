// The rate-limit stage (429): one request counted against the caller's account, on its
// plan's (possibly overridden) limit, at the request's time. Sets the context's `rate`; every
// answer from here on carries the X-RateLimit-* headers.
import type { RateLimiter } from '../domain/limits/rate-limit';
import { ApiError } from '../errors/api-error';
import { contributeRateLimit, type Identified, type Stage } from './context';

/** Creates the rate-limit stage over the app's limiter. */
export function createRateLimitStage(limiter: RateLimiter): Stage<Identified> {
  return (ctx) => {
    const { principal, plan, limit } = ctx.caller;
    const rate = limiter.consume(principal.account.id, limit, ctx.now);
    ctx.rate = rate;
    contributeRateLimit(ctx.headers, rate);
    if (!rate.allowed) return ApiError.rateLimited({ ...rate, plan: plan.id });
  };
}
