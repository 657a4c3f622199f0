// Forced outcomes for SDK tests, compatible with Prism's `Prefer: code=NNN`: any status the
// spec documents for the operation, with a spec-valid body (the response's example, or the
// real figures where the body has to agree with headers) and consistent headers.
import type { Principal } from '../domain/auth/credentials';
import { ApiError, type AuthWords, type ErrorCode } from '../errors/api-error';
import type { RateLimitState } from '../domain/limits/rate-limit';
import type { SpecOperation } from '../../lib/openapi/load-spec';

const PREFER_CODE = /(?:^|[\s,;])code=(\d{3})(?=$|[\s,;])/;

/** The status a Prefer header asks for; 400 when it names one the spec does not document. */
export function preferredStatus(prefer: string | undefined, op: SpecOperation): number | null {
  if (!prefer) return null;
  const m = PREFER_CODE.exec(prefer);
  if (!m) return null;
  if (!op.responses[m[1]]) {
    throw ApiError.invalidRequest(
      `Prefer: code=${m[1]} is not a status ${op.operationId} documents (${Object.keys(op.responses).join(', ')})`,
      { parameter: 'Prefer', location: 'header', schema_path: `${op.pointer}/responses`, reason: 'undocumented_status' },
    );
  }
  return Number(m[1]);
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
