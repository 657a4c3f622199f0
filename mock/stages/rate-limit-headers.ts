// The rate-limit fields of a response, in the forms the config asks for
// (`rate_limit_headers`: `x` for X-RateLimit-*, `ietf` for RateLimit-Policy and RateLimit of
// draft-ietf-httpapi-ratelimit-headers). One contributor for every stage that sends them
// (the limiter's answers, a forced 429, the failed-authentication 429), so both forms always
// come from the same figures at the same instant.
import { ietfRateLimitHeaders } from '../domain/limits/ietf-headers';
import type { RateLimitState } from '../domain/limits/rate-limit';
import type { ResponseHeaders } from '../http/response-headers';

/** The forms a mock sends, as config.rate_limit_headers names them. */
export type RateLimitForms = ReadonlyArray<'x' | 'ietf'>;

/**
 * Contributes a window's figures to a response: `policy` is the IETF policy's name (the
 * account's plan id, or the failed-authentication limit's name), `now` the request's time.
 */
export type ContributeRateLimit = (headers: ResponseHeaders, state: RateLimitState, policy: string, now: number) => void;

/** The contributor of `forms`, made once per mock. */
export function createRateLimitContributor(forms: RateLimitForms): ContributeRateLimit {
  const x = forms.includes('x');
  const ietf = forms.includes('ietf');
  return (headers, s, policy, now) => {
    if (x) {
      headers.set('X-RateLimit-Limit', s.limit);
      headers.set('X-RateLimit-Remaining', s.remaining);
      headers.set('X-RateLimit-Reset', s.reset);
    }
    if (ietf) {
      const fields = ietfRateLimitHeaders({ plan: policy, limit: s.limit, remaining: s.remaining, reset: s.reset, windowSeconds: s.windowSeconds }, now);
      headers.set('RateLimit-Policy', fields['RateLimit-Policy']);
      headers.set('RateLimit', fields.RateLimit);
    }
  };
}
