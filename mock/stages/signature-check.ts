// The signing half of the credentials stage (RFC 9421, opt-in per key) and of validation
// (RFC 9530's Content-Digest against the bytes read): a signing key's request is refused with
// a 401 whose details.reason says why, and WWW-Authenticate and Accept-Signature (RFC 9421
// section 5.1) say what the mock expects. The signature covers the Content-Digest header's
// value; the body's bytes are only read by validation, which checks they match it.
import { acceptSignature, verifyRequestSignature, type SignatureReason } from '../domain/auth/signing/verify';
import { checkContentDigest } from '../domain/auth/signing/content-digest';
import type { ReplayCache } from '../domain/auth/signing/replay-cache';
import type { SigningPolicy, SigningRequirement } from '../domain/auth/signing/policy';
import type { Principal } from '../domain/auth/credentials';
import { ApiError, type AuthWords } from '../errors/api-error';
import type { MockRequest } from '../http/exchange';

/** Whether a request declares a body: Content-Length past 0, Transfer-Encoding, or a Content-Digest (RFC 9530). */
export function declaresBody(req: MockRequest): boolean {
  const length = Number(req.headersDistinct['content-length']?.[0] ?? 0);
  return (Number.isFinite(length) && length > 0) || req.headersDistinct['transfer-encoding'] !== undefined || req.headersDistinct['content-digest'] !== undefined;
}

/** The URI the client sent the request to; a surface that knows it says so, else it is made of Host and the target. */
export function targetUriOf(req: MockRequest): string {
  if (req.targetUri) return req.targetUri;
  const host = req.authority ?? req.headersDistinct.host?.[0] ?? 'localhost';
  return `http://${host}${req.url}`;
}

function refusal(reason: SignatureReason | 'digest_mismatch', details: Record<string, unknown>, words: AuthWords, expect: string): ApiError {
  const base = ApiError.unauthorized(reason, words);
  return new ApiError(401, 'UNAUTHORIZED', base.message, { ...details, reason }, { ...base.headers, 'Accept-Signature': expect });
}

/** The credentials stage's check of a signing key's request: nothing when it passes, else the 401. */
export function checkSignature(
  req: MockRequest,
  principal: Principal,
  requirement: SigningRequirement,
  secret: string,
  deps: { policy: SigningPolicy; replay: ReplayCache; words: AuthWords; now: number },
): ApiError | undefined {
  const hasBody = declaresBody(req);
  const outcome = verifyRequestSignature(
    { request: { method: req.method, targetUri: targetUriOf(req), fields: req.headersDistinct }, keyId: principal.key.id, requirement, secret, hasBody, now: deps.now },
    deps.policy,
    deps.replay,
  );
  if (outcome.ok) return undefined;
  return refusal(outcome.reason, outcome.details, deps.words, acceptSignature(deps.policy, principal.key.id, requirement, hasBody));
}

/**
 * Validation's check of a signing key's body: its bytes against Content-Digest. A body with
 * no Content-Digest is refused, never taken as the digest of an empty body.
 */
export function checkBodyDigest(req: MockRequest, bytes: Uint8Array, principal: Principal, requirement: SigningRequirement, deps: { policy: SigningPolicy; words: AuthWords }): ApiError | undefined {
  const header = req.headersDistinct['content-digest'];
  const outcome = checkContentDigest(header?.join(', '), bytes, deps.policy.digestAlgorithms);
  if (outcome.ok) return undefined;
  return refusal('digest_mismatch', { parameter: 'Content-Digest' }, deps.words, acceptSignature(deps.policy, principal.key.id, requirement, bytes.length > 0));
}
