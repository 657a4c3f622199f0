// The rate-limit stage (429): one request counted against the caller's account, on its
// plan's (possibly overridden) limit, at the request's time. Sets the context's `rate`; every
// answer from here on carries the rate-limit fields (X-RateLimit-*, RateLimit-Policy and
// RateLimit, as config.rate_limit_headers says), the plan's id naming the IETF policy.
import type { RateLimiter } from '../domain/limits/rate-limit';
import { ApiError } from '../errors/api-error';
import type { Identified, Stage } from './context';
import type { ContributeRateLimit } from './rate-limit-headers';

/** Creates the rate-limit stage over the app's limiter. */
export function createRateLimitStage(limiter: RateLimiter, contribute: ContributeRateLimit): Stage<Identified> {
  return (ctx) => {
    const { principal, plan, limit } = ctx.caller;
    const rate = limiter.consume(principal.account.id, limit, ctx.now);
    ctx.rate = rate;
    contribute(ctx.headers, rate, plan.id, ctx.now);
    if (!rate.allowed) return ApiError.rateLimited({ ...rate, plan: plan.id });
  };
}
