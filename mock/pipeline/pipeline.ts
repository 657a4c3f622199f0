// The /v1 request pipeline. Every request passes the spec's x-cortex-check-order:
// credentials (400, 401) -> rate limit (429) -> permission (403) -> request validation
// (400) -> the operation (404, 409, 2xx). Forced outcomes (Prefer: code=NNN) are decided
// after the permission check, so they never bypass authentication.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock';
import { resolveCredentials, type CredentialPolicy, type Principal } from '../auth/credentials';
import { createPermissionCheck } from '../auth/permissions';
import { ApiError } from '../errors/api-error';
import { isClientAbort, sendError, sendJson, toApiError } from '../errors/render';
import type { Handler } from '../handlers/types';
import type { RateLimiter, RateLimitState } from '../rate-limit/rate-limit';
import { fingerprint } from '../resources/idempotency';
import type { MockState } from '../resources/state';
import type { LoadedSpec, Plan, SpecOperation } from '../../lib/openapi/load-spec';
import { forcedOutcome, preferredStatus } from './forced-outcome';
import { readJsonBody } from './body';
import type { RequestValidator } from './request-validator';
import { createRouter } from './router';

/** What the pipeline notes on each response for the log and the journal. */
export interface RequestNotes {
  operationId: string | null;
  keyId: string | null;
  accountId: string | null;
  errorCode: string | null;
  forced: boolean;
  /** The client closed the connection before the response. */
  aborted?: boolean;
}

export interface PipelineDeps {
  spec: LoadedSpec;
  clock: Clock;
  state: MockState;
  limiter: RateLimiter;
  validator: RequestValidator;
  handlers: Map<string, Handler>;
  plans: Map<string, Plan>;
  policy: CredentialPolicy;
  /** Counts guessed keys (well-formed, unknown) per client address. */
  failureLimiter: RateLimiter;
  /** false: no limit on failed authentications. */
  failureLimit: { max_failures: number; window_seconds: number } | false;
}

/** One client for the failed-authentication limit: every loopback address is the same machine. */
export function clientOf(address: string | undefined): string {
  if (!address) return 'unknown';
  return /^(127\.|::1$|::ffff:127\.)/.test(address) ? 'loopback' : address;
}

const MULTIPLE_CREDENTIALS_POINTER = '#/components/securitySchemes';

function setRateLimitHeaders(res: ServerResponse, s: RateLimitState): void {
  res.setHeader('X-RateLimit-Limit', s.limit);
  res.setHeader('X-RateLimit-Remaining', s.remaining);
  res.setHeader('X-RateLimit-Reset', s.reset);
}

/** Creates the pipeline: `(req, res, notes)` answers one request below the base path. */
export function createPipeline(deps: PipelineDeps) {
  const { spec, clock, state, limiter, validator, handlers, plans, policy, failureLimiter } = deps;
  const failureLimit = deps.failureLimit === false ? undefined : { limit: deps.failureLimit.max_failures, windowSeconds: deps.failureLimit.window_seconds };
  const router = createRouter(spec.operations);
  const permissions = createPermissionCheck(spec.permissionImplications);
  const maxBodyBytes = spec.limits.max_body_bytes;

  function authenticate(req: IncomingMessage, search: URLSearchParams, res: ServerResponse, now: number): Principal {
    const apiKeys = search.getAll('api_key');
    // A key in a URL must not be cached anywhere on the way back (RFC 6750 section 2.3).
    if (apiKeys.length > 0) res.setHeader('Cache-Control', 'no-store');
    const outcome = resolveCredentials(
      { authorization: req.headersDistinct.authorization ?? [], apiKeys },
      state.keys,
      policy,
      now,
    );
    if (outcome.kind === 'principal') return outcome.principal;
    if (outcome.kind === 'ambiguous') {
      throw ApiError.invalidRequest(
        'Send the API key once, by one method: the Authorization header or ?api_key=, not both (RFC 6750 section 2)',
        {
          parameter: outcome.parameter,
          location: outcome.location,
          schema_path: MULTIPLE_CREDENTIALS_POINTER,
          reason: 'multiple_credentials',
        },
      );
    }
    // Guessing keys from one client is limited (OWASP API2): past the limit a guess gets 429,
    // which a valid key never does. Only a well-formed unknown key can be a guess: no key,
    // a malformed one and the deterministic scenarios (expired, revoked, live) always get
    // their 401, however often an SDK's tests send them.
    if (failureLimit && outcome.reason === 'unknown') {
      const failures = failureLimiter.consume(clientOf(req.socket.remoteAddress), failureLimit);
      if (!failures.allowed) {
        setRateLimitHeaders(res, failures);
        throw ApiError.rateLimited(failures);
      }
    }
    throw ApiError.unauthorized(outcome.reason);
  }

  async function run(req: IncomingMessage, res: ServerResponse, notes: RequestNotes, url: string): Promise<void> {
    const now = clock.now();
    // Date follows the mock's clock, so Date + Retry-After agrees with X-RateLimit-Reset.
    res.setHeader('Date', new Date(now).toUTCString());
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const search = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));

    // 1. Credentials.
    const principal = authenticate(req, search, res, now);
    notes.keyId = principal.key.id;
    notes.accountId = principal.account.id;

    // 2. Rate limit, per account, on the plan's (possibly overridden) limit.
    const plan = plans.get(principal.account.plan)!;
    const limit = { limit: plan.requests_per_window, windowSeconds: plan.window_seconds };
    const rate = limiter.consume(principal.account.id, limit);
    setRateLimitHeaders(res, rate);
    if (!rate.allowed) throw ApiError.rateLimited({ ...rate, plan: plan.id });

    const route = router.match(req.method ?? 'GET', path);
    if (route.kind === 'not_found') throw ApiError.notFound('route');
    if (route.kind === 'method_not_allowed') throw ApiError.methodNotAllowed(route.allowed);
    const op = route.op;
    notes.operationId = op.operationId;

    // 3. Permission, from the operation's security roles.
    const decision = permissions.decide(op.requiredPermissions, principal.key.permissions);
    if (!decision.allowed) throw ApiError.forbidden(decision.required, decision.provided);

    // Forced outcome: a documented status other than the success status, on request.
    const preferred = preferredStatus(req.headersDistinct.prefer?.join(', '), op);
    if (preferred !== null && preferred !== op.successStatus) {
      notes.forced = true;
      const forced = forcedOutcome(op, preferred, principal, rate);
      if (forced.rateLimit) setRateLimitHeaders(res, forced.rateLimit);
      throw forced.error;
    }

    // 4. Request validation: parameters, then the body.
    const input = validator.parameters(op, route.params, search, req.headers);
    let body: unknown;
    if (op.requestBody) {
      body = await readJsonBody(req, maxBodyBytes, op.requestBody.required, op.requestBody.schemaPointer);
      if (body !== undefined) validator.body(op, body);
    }

    // 5. The operation, with Idempotency-Key replay for creates that accept one.
    const idempotencyKey = input.headers['Idempotency-Key'];
    const scope = `${principal.account.id}:${op.operationId}`;
    const print = idempotencyKey === undefined ? '' : fingerprint(body);
    if (idempotencyKey !== undefined) {
      const earlier = state.idempotency.check(scope, idempotencyKey, print, now);
      if (earlier.kind === 'conflict') {
        throw ApiError.conflict('This Idempotency-Key was used with another request body', { reason: 'idempotency_key_reused' });
      }
      if (earlier.kind === 'replay') {
        res.setHeader('Idempotent-Replayed', 'true');
        sendJson(res, earlier.response.status, earlier.response.body);
        return;
      }
    }
    const handler = handlers.get(op.operationId)!;
    const result = handler({ op, spec, principal, params: input.params, query: input.query, body, now, state, rateLimit: rate, plan });
    if (idempotencyKey !== undefined) state.idempotency.remember(scope, idempotencyKey, print, result, now);
    sendJson(res, result.status, result.body);
  }

  return async function pipeline(req: IncomingMessage, res: ServerResponse, notes: RequestNotes, url: string): Promise<void> {
    try {
      await run(req, res, notes, url);
    } catch (err) {
      if (!(err instanceof ApiError) && isClientAbort(err, req)) {
        notes.aborted = true;
        return;
      }
      const apiError = toApiError(err);
      notes.errorCode = apiError.code;
      if (!res.headersSent) sendError(res, apiError);
      // Only a bug goes on to be logged as one; a forced 503 is an answer, not a fault.
      if (!(err instanceof ApiError)) throw err;
    }
  };
}

export type { SpecOperation };
