// Forced outcomes for SDK tests, compatible with Prism's `Prefer` header (RFC 7240):
// `code=NNN` is any status the spec documents for the operation, with a spec-valid body (the
// response's example, or the real figures where the body has to agree with headers) and
// consistent headers; `example=NAME` is a named example of the success response;
// `dynamic=true` is what the mock always does (an answer made from its state). Every
// preference acted on is echoed in Preference-Applied (RFC 7240 section 3); any other is
// ignored (section 2).
import type { Principal } from '../domain/auth/credentials';
import { ApiError, type AuthWords, type ErrorCode } from '../errors/api-error';
import type { RateLimitState } from '../domain/limits/rate-limit';
import type { SpecOperation } from '../../lib/openapi/load-spec';

/** The preferences of a Prefer header the mock acts on. */
export interface Preferences {
  /** `code=NNN`: a status the operation documents. */
  status: number | null;
  /** `example=NAME`: that example of the success response (only when no other status is forced). */
  example: { name: string; value: unknown } | null;
  /** `dynamic=true`: an answer the mock makes, which is every answer it makes from its state. */
  dynamic: boolean;
}

export const NO_PREFERENCES: Preferences = Object.freeze({ status: null, example: null, dynamic: false });

/**
 * Splits Prefer values into preference name (lower case) to value, the first instance of
 * each (RFC 7240 section 2). Like Prism, `;` separates preferences as `,` does.
 */
export function parsePrefer(prefer: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, value = ''] of prefer.matchAll(/([^\s,;=]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^\s,;]*))?/g)) {
    const key = name.toLowerCase();
    if (!found.has(key)) found.set(key, value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value);
  }
  return found;
}

/** An RFC 7240 word: a token as it is, anything else quoted. */
const word = (value: string) => (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`);

/** A name from a header, cut to what can be shown back without echoing anything long. */
const shown = (name: string) => name.replace(/[^A-Za-z0-9._~-]/g, '').slice(0, 64);

/**
 * What a Prefer header asks of this operation. A status it does not document, or an example
 * its success response does not have, is a 400 naming the ones it has.
 */
export function readPreferences(prefer: string | undefined, op: SpecOperation): Preferences {
  if (!prefer) return NO_PREFERENCES;
  const asked = parsePrefer(prefer);
  let status: number | null = null;
  const code = asked.get('code');
  if (code !== undefined && /^\d{3}$/.test(code)) {
    if (!op.responses[code]) {
      throw ApiError.invalidRequest(
        `Prefer: code=${code} is not a status ${op.operationId} documents (${Object.keys(op.responses).join(', ')})`,
        { parameter: 'Prefer', location: 'header', schema_path: `${op.pointer}/responses`, reason: 'undocumented_status' },
      );
    }
    status = Number(code);
  }
  let example: Preferences['example'] = null;
  const name = asked.get('example');
  // The example is the success response's: a forced error answers as code= says. A bare
  // `example` (or an empty value, which RFC 7240 section 2 makes the same) names none: a
  // preference the mock does not understand, so it is ignored, as section 2 says.
  if (name && (status === null || status === op.successStatus)) {
    const examples = op.responses[String(op.successStatus)].examples;
    if (!Object.hasOwn(examples, name)) {
      const names = Object.keys(examples);
      throw ApiError.invalidRequest(
        `Prefer: example=${shown(name)} is not an example of ${op.operationId}'s ${op.successStatus} response (${names.length ? names.join(', ') : 'it has none'})`,
        { parameter: 'Prefer', location: 'header', schema_path: `${op.pointer}/responses/${op.successStatus}/content/application~1json`, reason: 'unknown_example' },
      );
    }
    example = { name, value: examples[name] };
  }
  return { status, example, dynamic: asked.get('dynamic') === 'true' };
}

/**
 * The Preference-Applied value of an answer (RFC 7240 section 3): for a forced status, its
 * code; for the success answer, every preference it honoured. Undefined when none applied.
 */
export function appliedPreferences(prefs: Preferences, forced: boolean): string | undefined {
  const applied: string[] = [];
  if (prefs.status !== null) applied.push(`code=${prefs.status}`);
  if (!forced && prefs.example) applied.push(`example=${word(prefs.example.name)}`);
  else if (!forced && prefs.dynamic) applied.push('dynamic=true');
  return applied.length ? applied.join(', ') : undefined;
}

/** The error a forced status renders as, and the rate-limit figures it reports. */
export function forcedOutcome(
  op: SpecOperation,
  status: number,
  principal: Principal,
  words: AuthWords,
  rate: RateLimitState,
): { error: ApiError; rateLimit?: RateLimitState } {
  const example = op.responses[String(status)].example as
    | { error: { code: ErrorCode; message: string; details: Record<string, unknown> } }
    | undefined;
  switch (status) {
    case 401:
      return { error: ApiError.unauthorized((example?.error.details.reason as 'expired') ?? 'expired', words) };
    case 403:
      return { error: ApiError.forbidden(op.requiredPermissions, principal.key.permissions, words) };
    case 429: {
      // A forced 429 looks like an exhausted window: Remaining 0, Retry-After to the reset.
      const exhausted = { ...rate, remaining: 0, allowed: false };
      return { error: ApiError.rateLimited({ ...exhausted, plan: principal.account.plan }), rateLimit: exhausted };
    }
    case 503:
      return { error: ApiError.serviceUnavailable((example?.error.details.retry_after_seconds as number) ?? 1) };
    default: {
      if (!example) throw new Error(`${op.operationId} ${status} has no example to force`);
      return { error: new ApiError(status, example.error.code, example.error.message, example.error.details) };
    }
  }
}
