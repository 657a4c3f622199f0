// The /v1 request pipeline: named stages, run in the order of the spec's
// x-cortex-check-order (by default credentials (400, 401) -> rate_limit (429) -> permission
// (403) -> validation (400) -> operation (404, 409, 2xx)). Forced outcomes (Prefer:
// code=NNN) are decided once credentials, the rate limit and the permission have passed, so
// they never bypass authentication. The pipeline returns an Outcome; it never writes to a
// socket, so node:http, an Express mount and MSW all run it the same way.
import type { Clock } from '../clock';
import { resolveCredentials, type CredentialPolicy, type Principal } from '../domain/auth/credentials';
import { createPermissionCheck } from '../domain/auth/permissions';
import { ApiError } from '../errors/api-error';
import type { AnyHandler } from '../domain/operations/types';
import { readJsonBody } from '../http/body';
import { isClientAbort, jsonResponse, type MockRequest, type MockResponse } from '../http/exchange';
import { errorResponse, toApiError } from '../http/render';
import type { RateLimiter, RateLimitState } from '../domain/limits/rate-limit';
import { fingerprint } from '../domain/resources/idempotency';
import type { MockState } from '../domain/resources/state';
import type { LoadedSpec, Plan, SpecOperation, StageName } from '../../lib/openapi/load-spec';
import { appliedPreferences, forcedOutcome, NO_PREFERENCES, readPreferences, type Preferences } from './forced-outcome';
import type { RequestValidator, ValidatedParameters } from './request-validator';
import { createRouter } from '../http/router';

/** What became of one request: the response, and what the log and the journal say of it. */
export interface Outcome {
  readonly response: MockResponse;
  readonly operationId: string | null;
  readonly keyId: string | null;
  readonly accountId: string | null;
  readonly errorCode: string | null;
  readonly forced: boolean;
  /** The client closed the connection before the response. */
  readonly aborted: boolean;
  /** A fault of the mock (not an ApiError), for the log; never shown to the client. */
  readonly bug?: unknown;
}

export interface PipelineDeps {
  spec: LoadedSpec;
  clock: Clock;
  state: MockState;
  limiter: RateLimiter;
  validator: RequestValidator;
  handlers: Map<string, AnyHandler>;
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

/** What the stages learn about one request as it passes them. */
interface Passage {
  readonly req: MockRequest;
  readonly path: string;
  readonly search: URLSearchParams;
  readonly now: number;
  readonly headers: Record<string, string | number>;
  principal?: Principal;
  plan?: Plan;
  rate?: RateLimitState;
  op?: SpecOperation;
  routeParams?: Record<string, string>;
  input?: ValidatedParameters;
  body?: unknown;
  forced: boolean;
  /** What the Prefer header asks, read once the caller is let in. */
  prefs: Preferences;
  response?: MockResponse;
}

function rateLimitHeaders(headers: Record<string, string | number>, s: RateLimitState): void {
  headers['X-RateLimit-Limit'] = s.limit;
  headers['X-RateLimit-Remaining'] = s.remaining;
  headers['X-RateLimit-Reset'] = s.reset;
}

/**
 * Creates the pipeline: `(req, url, headers)` answers one request whose url is below the
 * base path. `headers` are the response's headers so far (CORS); the pipeline adds to them.
 */
export function createPipeline(deps: PipelineDeps): (req: MockRequest, url: string, headers?: Record<string, string | number>) => Outcome | Promise<Outcome> {
  const { spec, clock, state, limiter, validator, handlers, plans, policy, failureLimiter } = deps;
  const failureLimit = deps.failureLimit === false ? undefined : { limit: deps.failureLimit.max_failures, windowSeconds: deps.failureLimit.window_seconds };
  const router = createRouter(spec.operations);
  const permissions = createPermissionCheck(spec.permissionImplications);
  const maxBodyBytes = spec.limits.max_body_bytes;
  const order = spec.checkOrder;
  const schemes = spec.credentialSchemes;
  const words = spec.vocabulary;

  /** The operation the request is for, found once, when the first stage needs it. */
  function operationOf(p: Passage): SpecOperation {
    if (p.op) return p.op;
    const route = router.match(p.req.method, p.path);
    if (route.kind === 'not_found') throw ApiError.notFound('route');
    if (route.kind === 'method_not_allowed') throw ApiError.methodNotAllowed(route.allowed);
    p.routeParams = route.params;
    return (p.op = route.op);
  }

  function callerOf(p: Passage): Principal {
    if (!p.principal) throw new Error('x-cortex-check-order: a stage ran before credentials');
    return p.principal;
  }

  /**
   * Prefer (RFC 7240): a forced outcome (a documented status other than the success status)
   * is answered here; an example or dynamic=true is kept for the operation stage.
   */
  function forceIfAsked(p: Passage, op: SpecOperation): void {
    const prefs = (p.prefs = readPreferences(p.req.headersDistinct.prefer?.join(', '), op));
    if (prefs.status === null || prefs.status === op.successStatus) return;
    p.forced = true;
    const principal = callerOf(p);
    const forced = forcedOutcome(op, prefs.status, principal, words, p.rate ?? limiter.peek(principal.account.id, limitOf(p)));
    if (forced.rateLimit) rateLimitHeaders(p.headers, forced.rateLimit);
    p.headers['Preference-Applied'] = appliedPreferences(prefs, true)!;
    throw forced.error;
  }

  /** The success answer honours the preferences it can (RFC 7240 section 3: say which). */
  function succeed(p: Passage, status: number, body: unknown): void {
    const applied = appliedPreferences(p.prefs, false);
    if (applied) p.headers['Preference-Applied'] = applied;
    p.response = jsonResponse(status, body, p.headers);
  }

  function limitOf(p: Passage) {
    const plan = (p.plan ??= plans.get(callerOf(p).account.plan)!);
    return { limit: plan.requests_per_window, windowSeconds: plan.window_seconds };
  }

  const stages: Record<StageName, (p: Passage) => void | Promise<void>> = {
    credentials(p) {
      const presented = schemes.map((scheme) => ({
        scheme,
        values: scheme.in === 'query' ? p.search.getAll(scheme.parameter) : (p.req.headersDistinct[scheme.parameter.toLowerCase()] ?? []),
      }));
      // A key in a URL must not be cached anywhere on the way back (RFC 6750 section 2.3).
      if (presented.some((c) => c.scheme.in === 'query' && c.values.length > 0)) p.headers['Cache-Control'] = 'no-store';
      const outcome = resolveCredentials(presented, state.keys, policy, p.now);
      if (outcome.kind === 'principal') {
        p.principal = outcome.principal;
        state.keys.markUsed(outcome.principal.key.id, p.now);
        return;
      }
      if (outcome.kind === 'ambiguous') {
        throw ApiError.invalidRequest(
          `Send the API key once, by one method (${schemes.map((s) => s.parameter).join(' or ')}), not more (RFC 6750 section 2)`,
          { parameter: outcome.parameter, location: outcome.location, schema_path: MULTIPLE_CREDENTIALS_POINTER, reason: 'multiple_credentials' },
        );
      }
      // Guessing keys from one client is limited (OWASP API2): past the limit a guess gets
      // 429, which a valid key never does. Only a well-formed unknown key can be a guess: no
      // key, a malformed one and the deterministic scenarios (expired, revoked, live) always
      // get their 401, however often an SDK's tests send them.
      if (failureLimit && outcome.reason === 'unknown') {
        const failures = failureLimiter.consume(clientOf(p.req.remoteAddress), failureLimit);
        if (!failures.allowed) {
          rateLimitHeaders(p.headers, failures);
          throw ApiError.rateLimited(failures);
        }
      }
      throw ApiError.unauthorized(outcome.reason, words);
    },

    // Per account, on the plan's (possibly overridden) limit.
    rate_limit(p) {
      const rate = limiter.consume(callerOf(p).account.id, limitOf(p));
      p.rate = rate;
      rateLimitHeaders(p.headers, rate);
      if (!rate.allowed) throw ApiError.rateLimited({ ...rate, plan: p.plan!.id });
    },

    // From the operation's security alternatives.
    permission(p) {
      const op = operationOf(p);
      const principal = callerOf(p);
      const decision = permissions.permit(op.security, principal.scheme, principal.key.permissions);
      if (decision.allowed) return;
      // A key sent by a scheme this operation does not take is no credential for it.
      if ('scheme' in decision) throw ApiError.unauthorized('missing', words);
      throw ApiError.forbidden(decision.required, decision.provided, words);
    },

    // Parameters, then the body; a forced outcome first, once the caller has been let in.
    // The only stage that can wait (for a body to arrive); without a body it does not.
    validation(p) {
      const op = operationOf(p);
      forceIfAsked(p, op);
      p.input = validator.parameters(op, p.routeParams!, p.search, p.req.headers);
      const expected = op.requestBody;
      if (!expected) return;
      return readJsonBody(p.req, maxBodyBytes, expected.required, expected.schemaPointer, expected.mediaTypes).then((body) => {
        p.body = body;
        if (body !== undefined) validator.body(op, body);
      });
    },

    // The handler, with Idempotency-Key replay for creates that accept one.
    operation(p) {
      const op = operationOf(p);
      const principal = callerOf(p);
      // Prefer: example=NAME answers with the spec's example instead of the handler's result.
      if (p.prefs.example) {
        p.forced = true;
        succeed(p, op.successStatus, p.prefs.example.value);
        return;
      }
      const input = p.input!;
      const idempotencyKey = input.headers['Idempotency-Key'];
      const scope = `${principal.account.id}:${op.operationId}`;
      const print = idempotencyKey === undefined ? '' : fingerprint(p.body);
      if (idempotencyKey !== undefined) {
        const earlier = state.idempotency.check(scope, idempotencyKey, print, p.now);
        if (earlier.kind === 'conflict') {
          throw ApiError.conflict('This Idempotency-Key was used with another request body', { reason: 'idempotency_key_reused' });
        }
        if (earlier.kind === 'replay') {
          p.headers['Idempotent-Replayed'] = 'true';
          succeed(p, earlier.response.status, earlier.response.body);
          return;
        }
      }
      const handler = handlers.get(op.operationId)!;
      const rate = p.rate ?? limiter.peek(principal.account.id, limitOf(p));
      // The operation's documented success status; the handler gives the body its types promise.
      const result = { status: op.successStatus, body: handler({ op, spec, principal, params: input.params, query: input.query, body: p.body, now: p.now, state, rateLimit: rate, plan: p.plan! }) };
      if (idempotencyKey !== undefined) state.idempotency.remember(scope, idempotencyKey, print, result, p.now);
      succeed(p, result.status, result.body);
    },
  };
  const run = order.map((name) => stages[name]);

  /** What the log and the journal say of a request, once it has an answer. */
  const outcomeOf = (p: Passage, response: MockResponse, errorCode: string | null, aborted: boolean, bug: unknown): Outcome => ({
    response,
    operationId: p.op?.operationId ?? null,
    keyId: p.principal?.key.id ?? null,
    accountId: p.principal?.account.id ?? null,
    errorCode,
    forced: p.forced,
    aborted,
    bug,
  });

  const failed = (p: Passage, err: unknown): Outcome => {
    if (!(err instanceof ApiError) && isClientAbort(err, p.req)) return outcomeOf(p, { status: 499, headers: {}, body: undefined }, null, true, undefined);
    const apiError = toApiError(err);
    // Only a bug goes on to be logged as one: a forced 503 is an answer, and a client's
    // fault that surfaces as a thrown error (a URIError from a malformed %-escape) a 4xx.
    const bug = err instanceof ApiError || apiError.status < 500 ? undefined : err;
    return outcomeOf(p, errorResponse(apiError, p.headers), apiError.code, false, bug);
  };

  /**
   * Runs the stages from the `from`th. Synchronous while they are (every stage but a body
   * read): a GET is answered without a promise or a tick.
   */
  const runFrom = (p: Passage, from: number): Outcome | Promise<Outcome> => {
    try {
      for (let i = from; i < run.length; i++) {
        const pending = run[i](p);
        if (pending) {
          const next = i + 1;
          return pending.then(() => runFrom(p, next), (err: unknown) => failed(p, err));
        }
      }
      return outcomeOf(p, p.response!, null, false, undefined);
    } catch (err) {
      return failed(p, err);
    }
  };

  return function pipeline(req: MockRequest, url: string, headers: Record<string, string | number> = {}): Outcome | Promise<Outcome> {
    const now = clock.now();
    const q = url.indexOf('?');
    // Date follows the mock's clock, so Date + Retry-After agrees with X-RateLimit-Reset.
    headers.Date = new Date(now).toUTCString();
    const p: Passage = {
      req,
      now,
      path: q === -1 ? url : url.slice(0, q),
      search: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
      headers,
      // Every field from the start: one object shape for every request.
      principal: undefined,
      plan: undefined,
      rate: undefined,
      op: undefined,
      routeParams: undefined,
      input: undefined,
      body: undefined,
      forced: false,
      prefs: NO_PREFERENCES,
      response: undefined,
    };
    return runFrom(p, 0);
  };
}

export type { SpecOperation };
