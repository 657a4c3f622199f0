// The validation stage (400): a forced outcome first (Prefer: code=NNN, answered once the
// caller has been let in, so it never bypasses authentication), then the parameters, then
// the body. Sets the context's `prefs`, `forced`, `input` and `bodyBytes`. The only stage that can wait
// (for a body to arrive); without a body it does not.
import { after, type RateLimiter } from '../domain/limits/rate-limit';
import { readJsonBody } from '../http/body';
import type { LoadedSpec } from '../../lib/openapi/load-spec';
import type { Reached, Stage, StageResult } from './context';
import { appliedPreferences, forcedOutcome, readPreferences } from './forced-outcome';
import { NOT_MODIFIED } from './conditional';
import type { ContributeRateLimit } from './rate-limit-headers';
import type { RequestValidator } from './request-validator';
import { checkBodyDigest } from './signature-check';
import { digestedBody } from './body-digest';
import type { SigningPolicy } from '../domain/auth/signing/policy';

export interface ValidationDeps {
  spec: LoadedSpec;
  validator: RequestValidator;
  /** For a forced outcome's figures when the rate limit has not run yet. */
  limiter: RateLimiter;
  /** The rate-limit fields of a forced 429. */
  contributeRateLimit: ContributeRateLimit;
  /** A signing key's body is checked against its Content-Digest (RFC 9530). */
  signing: SigningPolicy;
}

/** Creates the validation stage. */
export function createValidationStage({ spec, validator, limiter, contributeRateLimit, signing }: ValidationDeps): Stage<Reached> {
  const maxBodyBytes = spec.limits.max_body_bytes;
  const words = spec.vocabulary;

  /**
   * Prefer (RFC 7240): a forced outcome (a documented status other than the success status)
   * is answered here; an example or dynamic=true is kept for the operation stage.
   */
  const forceIfAsked = (ctx: Reached) => {
    const { op } = ctx.routed;
    const prefs = (ctx.prefs = readPreferences(ctx.req.headersDistinct.prefer?.join(', '), op));
    if (prefs.status === null || prefs.status === op.successStatus) return;
    ctx.forced = true;
    // A forced 304 needs the representation's ETag: the operation runs, and conditional.ts answers it.
    if (prefs.status === NOT_MODIFIED) {
      ctx.headers.set('Preference-Applied', `code=${NOT_MODIFIED}`);
      return;
    }
    const { principal, plan, limit } = ctx.caller;
    const status = prefs.status;
    // The rate-limit stage's figures, or (with validation before it in the spec's order) a peek.
    return after(ctx.rate ?? limiter.peek(principal.account.id, limit, ctx.now), (rate) => {
      const forced = forcedOutcome(op, status, principal, words, rate);
      if (forced.rateLimit) contributeRateLimit(ctx.headers, forced.rateLimit, plan.id, ctx.now);
      const applied = appliedPreferences(prefs, true);
      if (applied) ctx.headers.set('Preference-Applied', applied);
      return forced.error;
    });
  };

  return (ctx) => {
    const refusal = forceIfAsked(ctx);
    if (refusal instanceof Promise) return refusal.then((error) => error ?? validate(ctx));
    if (refusal) return refusal;
    return validate(ctx);
  };

  /** The parameters and the body, against the operation's schemas. */
  function validate(ctx: Reached): StageResult {
    const { req } = ctx;
    const { op, params } = ctx.routed;
    const input = validator.parameters(op, params, ctx.search, req.headers);
    const expected = op.requestBody;
    if (!expected) {
      ctx.input = input;
      return;
    }
    const requirement = ctx.caller.principal.key.signing;
    // A signing key's body is read as bytes first, to check its Content-Digest (body-digest.ts).
    const source = requirement ? digestedBody(req, maxBodyBytes, (bytes) => checkBodyDigest(req, bytes, ctx.caller.principal, requirement, { policy: signing, words })) : req;
    // The bytes are kept as read, not copied or hashed: the conduct watch fingerprints a POST's (docs/conduct.md).
    const keep = (bytes: Uint8Array) => void (ctx.bodyBytes = bytes);
    return readJsonBody(source, maxBodyBytes, expected.required, expected.schemaPointer, expected.mediaTypes, keep).then((body) => {
      if (body !== undefined) validator.body(op, body);
      input.body = body;
      ctx.input = input;
    });
  }
}
