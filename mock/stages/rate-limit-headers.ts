// The rate-limit fields of a response, in the forms the config asks for
// (`rate_limit_headers`: `x` for X-RateLimit-*, `ietf` for RateLimit-Policy and RateLimit of
// draft-ietf-httpapi-ratelimit-headers). One contributor for every stage that sends them
// (the limiter's answers, a forced 429, the failed-authentication 429), so both forms always
// come from the same figures at the same instant.
import { rateLimitPolicyField, secondsToReset } from '../domain/limits/ietf-headers';
import type { RateLimitState } from '../domain/limits/rate-limit';
import type { ResponseHeaders } from '../http/response-headers';

/** The forms a mock sends, as config.rate_limit_headers names them. */
export type RateLimitForms = ReadonlyArray<'x' | 'ietf'>;

/**
 * Contributes a window's figures to a response: `policy` is the IETF policy's name (the
 * account's plan id, or the failed-authentication limit's name), `now` the request's time.
 */
export type ContributeRateLimit = (headers: ResponseHeaders, state: RateLimitState, policy: string, now: number) => void;

/** A policy's RateLimit-Policy value and its quoted name, made once per limit and window. */
interface PolicyFields {
  limit: number;
  windowSeconds: number;
  /** `"developer";q=500;w=60` */
  field: string;
  /** `"developer"`: the Item RateLimit's parameters follow. */
  item: string;
}

/** The contributor of `forms`, made once per mock. */
export function createRateLimitContributor(forms: RateLimitForms): ContributeRateLimit {
  const x = forms.includes('x');
  const ietf = forms.includes('ietf');
  // RateLimit-Policy is the same for every request on a plan: formatted (and its name
  // checked as an sf-string) once, not per request. A plan is a handful of entries.
  const policies = new Map<string, PolicyFields>();
  const policyOf = (name: string, s: RateLimitState): PolicyFields => {
    const known = policies.get(name);
    if (known && known.limit === s.limit && known.windowSeconds === s.windowSeconds) return known;
    const field = rateLimitPolicyField({ plan: name, limit: s.limit, remaining: s.remaining, reset: s.reset, windowSeconds: s.windowSeconds });
    const made = { limit: s.limit, windowSeconds: s.windowSeconds, field, item: field.slice(0, field.indexOf(';q=')) };
    policies.set(name, made);
    return made;
  };
  return (headers, s, policy, now) => {
    if (x) {
      headers.set('X-RateLimit-Limit', s.limit);
      headers.set('X-RateLimit-Remaining', s.remaining);
      headers.set('X-RateLimit-Reset', s.reset);
    }
    if (ietf) {
      const p = policyOf(policy, s);
      headers.set('RateLimit-Policy', p.field);
      // The same text as rateLimitField (ietf-headers.ts): r never below 0, t within 0..w.
      headers.set('RateLimit', `${p.item};r=${Math.max(s.remaining, 0)};t=${secondsToReset(s, now)}`);
    }
  };
}
