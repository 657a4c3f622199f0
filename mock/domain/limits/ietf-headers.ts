// The IETF rate-limit fields, draft-ietf-httpapi-ratelimit-headers (the syntax of draft-10;
// docs/faults.md says what could be read of 11 and 12): RateLimit-Policy and RateLimit, each
// an RFC 9651 List of one Item, the plan id as a String with the quota's parameters. Pure
// formatting from the limiter's figures; the X-RateLimit-* fields of the same response carry
// the same numbers.

/** The figures both forms are made from: a key's window after the request. */
export interface RateLimitFigures {
  /** The policy's name: the account's plan id. */
  plan: string;
  limit: number;
  remaining: number;
  /** UNIX epoch seconds at which the window ends (X-RateLimit-Reset). */
  reset: number;
  windowSeconds: number;
}

/**
 * An RFC 9651 sf-string (section 4.1.6): printable ASCII in quotes, `"` and `\` escaped.
 * A plan id is `[a-z0-9_]+` by the spec; anything else is refused, not mangled.
 */
function sfString(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new RangeError(`a structured-field String holds printable ASCII only: ${JSON.stringify(text)}`);
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** An RFC 9651 sf-integer (section 4.1.4): at most 15 digits, never negative here. */
function sfInteger(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n > 999_999_999_999_999) throw new RangeError(`not a structured-field integer for a rate limit: ${n}`);
  return String(n);
}

/**
 * Seconds until the window resets, as RateLimit's `t`: X-RateLimit-Reset minus the current
 * second (the same subtraction as Retry-After), never below 0 and never past the window
 * (draft section 3.2: `t` is at most the policy's `w`).
 */
export function secondsToReset(figures: Pick<RateLimitFigures, 'reset' | 'windowSeconds'>, nowMs: number): number {
  return Math.min(Math.max(figures.reset - Math.floor(nowMs / 1000), 0), figures.windowSeconds);
}

/** `RateLimit-Policy: "<plan>";q=<limit>;w=<window seconds>`. */
export function rateLimitPolicyField(figures: RateLimitFigures): string {
  return `${sfString(figures.plan)};q=${sfInteger(figures.limit)};w=${sfInteger(figures.windowSeconds)}`;
}

/** `RateLimit: "<plan>";r=<remaining>;t=<seconds to reset>`; `r` never below 0. */
export function rateLimitField(figures: RateLimitFigures, nowMs: number): string {
  return `${sfString(figures.plan)};r=${sfInteger(Math.max(figures.remaining, 0))};t=${sfInteger(secondsToReset(figures, nowMs))}`;
}

/** Both IETF fields, by name. */
export function ietfRateLimitHeaders(figures: RateLimitFigures, nowMs: number): { 'RateLimit-Policy': string; RateLimit: string } {
  return { 'RateLimit-Policy': rateLimitPolicyField(figures), RateLimit: rateLimitField(figures, nowMs) };
}

/**
 * The Retry-After a 429 sends beside RateLimit: never earlier than `t`. RateLimit tells the
 * client its quota is back in `t` seconds; a Retry-After shorter than that (a fault's
 * `retry_after: 0`, say) would send it back into the same exhausted window and another 429.
 * A longer one stands: the server may ask for more patience than the window needs.
 */
export function retryAfterNotBefore(retryAfterSeconds: number, figures: RateLimitFigures, nowMs: number): number {
  return Math.max(retryAfterSeconds, secondsToReset(figures, nowMs));
}
