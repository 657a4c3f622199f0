// The rate-limit stage (429): one request counted against the caller's account, on its
// plan's (possibly overridden) limit, at the request's time. Sets the context's `rate`; every
// answer from here on carries the rate-limit fields (X-RateLimit-*, RateLimit-Policy and
// RateLimit, as config.rate_limit_headers says), the plan's id naming the IETF policy. On the
// memory store it answers at once; on Redis it waits for the one script that counts the
// request (and fences the shared state, mock/store/fence.ts).
import { isStale, type RateLimiter, type RateLimitState, type Stale } from '../domain/limits/rate-limit';
import { ApiError } from '../errors/api-error';
import { StaleStateError, type StateFence } from '../store/fence';
import type { Identified, Stage } from './context';
import type { ContributeRateLimit } from './rate-limit-headers';

/** Creates the rate-limit stage over the app's limiter; `fence` when the state is shared. */
export function createRateLimitStage(limiter: RateLimiter, contribute: ContributeRateLimit, fence?: StateFence): Stage<Identified> {
  /** What the count says: the context's `rate`, its fields, and a 429 when refused (a stale replica runs again). */
  const decide = (ctx: Identified, rate: RateLimitState | Stale) => {
    if (isStale(rate)) throw new StaleStateError(rate.version);
    // The script found the shared state at this replica's version: the answer reads the newest.
    if (fence) ctx.fenced = true;
    const { plan } = ctx.caller;
    ctx.rate = rate;
    contribute(ctx.headers, rate, plan.id, ctx.now);
    if (!rate.allowed) return ApiError.rateLimited({ ...rate, plan: plan.id });
  };
  return (ctx) => {
    const { principal, limit } = ctx.caller;
    const reply = limiter.consume(principal.account.id, limit, ctx.now, fence?.version());
    // Only a store's reply is a promise: the memory store's is decided without a closure.
    return reply instanceof Promise ? reply.then((rate) => decide(ctx, rate)) : decide(ctx, reply);
  };
}
