// The /v1 request pipeline: routing first, then the stages in the order of the spec's
// x-cortex-check-order (by default credentials (400, 401) -> rate_limit (429) -> permission
// (403) -> validation (400) -> operation (404, 409, 2xx)), one file each. This file only runs
// them: it builds the request's context (the time it came, the route found), proves each
// stage's fields are set before it runs, and turns what they leave into an Outcome through
// the renderer. It never writes to a socket, so node:http, an Express mount and MSW all run
// it the same way.
import type { CredentialPolicy } from '../domain/auth/credentials';
import { after, type RateLimiter, type RateLimitState } from '../domain/limits/rate-limit';
import type { MockState } from '../domain/resources/state';
import { ApiError } from '../errors/api-error';
import { isClientAbort, type MockRequest, type MockResponse } from '../http/exchange';
import { render, renderError, toApiError } from '../http/render';
import { ResponseHeaders } from '../http/response-headers';
import type { LoadedSpec, Plan, SpecOperation, StageName } from '../../lib/openapi/load-spec';
import { checked, identified, isReached, type Context, type Identified, type Reached, type Stage, type StageResult } from './context';
import { createCredentialsStage } from './credentials';
import type { SigningPolicy } from '../domain/auth/signing/policy';
import { applyFault, decideFault, NO_RESPONSE_STATUS, type FaultDeps, type OutcomeFault } from './fault';
import { NO_PREFERENCES } from './forced-outcome';
import { createOperationStage, type StagedOperation } from './operation';
import { createPermissionStage } from './permission';
import { createRateLimitStage } from './rate-limit';
import { createRateLimitContributor, type RateLimitForms } from './rate-limit-headers';
import type { RequestValidator } from './request-validator';
import { reach, routeOf, type Router } from './routing';
import { createValidationStage } from './validation';
import { createConditionalRender } from './conditional';
import { StoreUnavailableError } from '../store/unavailable';
import { StaleStateError, type StateFence } from '../store/fence';

export { clientOf } from './credentials';

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
  /**
   * The fault rule that shaped the request, or null. A status or rate_limit fault's response
   * is already the faulted one; for the other kinds the surface carries the fault out when it
   * writes the response (reset, close and hang send none).
   */
  readonly fault: OutcomeFault | null;
  /** The request body's bytes, when validation read them (the conduct watch's POST fingerprint). */
  readonly bodyBytes?: Uint8Array;
  /**
   * Whether a script of the shared store vouched that the state the answer read was the
   * store's newest (a fenced limiter call, mock/store/replication.ts); false with the memory store.
   */
  readonly fenced: boolean;
  /** The answer is the store's being away (503 store_unavailable): nothing more is asked of it for this request. */
  readonly storeAway?: boolean;
}

export interface PipelineDeps {
  spec: LoadedSpec;
  /** The spec's routes, built once by the core (CORS shares them). */
  router: Router;
  state: MockState;
  limiter: RateLimiter;
  validator: RequestValidator;
  /** The operations by operationId, bound to their stores (bindHandlers), mutations shared when a store is. */
  operations: ReadonlyMap<string, StagedOperation>;
  plans: Map<string, Plan>;
  policy: CredentialPolicy;
  /** Counts guessed keys (well-formed, unknown) per client address. */
  failureLimiter: RateLimiter;
  /** false: no limit on failed authentications. */
  failureLimit: { max_failures: number; window_seconds: number } | false;
  /** The rate-limit fields responses carry (config.rate_limit_headers). */
  rateLimitHeaders: RateLimitForms;
  /** What a signing key's requests must satisfy (x-cortex-signing, the config's tolerance). */
  signing: SigningPolicy;
  /** The fault rules and the spec's budget table (docs/faults.md). */
  faults: Omit<FaultDeps, 'limiter' | 'words' | 'contributeRateLimit' | 'checkOrder'>;
  /**
   * The shared state's fence (mock/store/fence.ts): each limiter script carries the version
   * the instance holds, and a stale one makes the pipeline throw StaleStateError (the
   * request is run again once the instance has caught up). None with the memory store.
   */
  fence?: StateFence;
}

/** A stage as the runner calls it: on any context, once it has checked what the stage reads. */
type Step = (ctx: Context) => StageResult;

/** A stage that reads the caller runs only once credentials have set it. */
function withCaller(name: StageName, stage: Stage<Identified>): Step {
  return (ctx) => {
    if (!identified(ctx)) throw new Error(`x-cortex-check-order: ${name} ran before credentials`);
    return stage(ctx);
  };
}

/**
 * A stage that reads the operation reaches the route first: a miss (404, 405, a malformed
 * path) is answered at this point of the spec's order, as routing.ts says.
 */
function withRoute(name: StageName, stage: Stage<Reached>): Step {
  return withCaller(name, (ctx) => {
    const miss = reach(ctx);
    if (miss) return miss;
    if (!isReached(ctx)) throw new Error(`${name}: the route was not reached`);
    return stage(ctx);
  });
}

/** The stages by the names x-cortex-check-order uses, each behind the check of what it reads. */
function createSteps(deps: PipelineDeps): Record<StageName, Step> {
  const { spec, limiter } = deps;
  const operation = createOperationStage(deps.operations);
  const contributeRateLimit = createRateLimitContributor(deps.rateLimitHeaders);
  return {
    credentials: createCredentialsStage({ spec, keys: deps.state.keys, policy: deps.policy, plans: deps.plans, failureLimiter: deps.failureLimiter, failureLimit: deps.failureLimit, contributeRateLimit, signing: deps.signing, replay: deps.state.nonces, fence: deps.fence }),
    rate_limit: withCaller('rate_limit', createRateLimitStage(limiter, contributeRateLimit, deps.fence)),
    permission: withRoute('permission', createPermissionStage(spec)),
    validation: withRoute('validation', createValidationStage({ spec, validator: deps.validator, limiter, contributeRateLimit, signing: deps.signing })),
    // Last in every order (checkStageOrder), so every check has set its fields.
    operation: withRoute('operation', (ctx) => {
      if (!checked(ctx)) throw new Error('x-cortex-check-order: operation ran before rate_limit and validation');
      return operation(ctx);
    }),
  };
}

/**
 * The Date of the last second answered: an IMF-fixdate changes once a second, and every
 * request of that second shares it instead of formatting it again.
 */
function createDateCache(): (now: number) => string {
  let dateSecond = NaN;
  let dateText = '';
  return (now) => {
    const second = Math.floor(now / 1000);
    if (second !== dateSecond) {
      dateSecond = second;
      dateText = new Date(now).toUTCString();
    }
    return dateText;
  };
}

/**
 * Creates the pipeline: `(req, url, headers, now)` answers one request whose url is below
 * the base path, at `now` (the mock's clock, read once by the core for the request).
 * `headers` are what CORS and the core have contributed; the stages add theirs.
 */
export function createPipeline(deps: PipelineDeps): (req: MockRequest, url: string, headers: ResponseHeaders, now: number) => Outcome | Promise<Outcome> {
  const { router } = deps;
  const steps = createSteps(deps);
  const run = deps.spec.checkOrder.map((name) => steps[name]);
  const faultDeps: FaultDeps = { ...deps.faults, checkOrder: deps.spec.checkOrder, limiter: deps.limiter, words: deps.spec.vocabulary, contributeRateLimit: createRateLimitContributor(deps.rateLimitHeaders) };
  const { registry } = faultDeps;
  const conditional = createConditionalRender(deps.limiter, faultDeps.contributeRateLimit);
  const dateOf = createDateCache();

  /** The success answer the operation stage left, rendered (a GET's 200 with its ETag, or a 304). */
  const answered = (ctx: Context): Outcome | Promise<Outcome> => {
    if (!ctx.answer) throw new Error('x-cortex-check-order: no stage answered');
    const { status, body } = ctx.answer;
    // A 304's refund waits for the store on Redis.
    return after(conditional(ctx, status, body) ?? render(status, body, ctx.headers), (response) => outcomeOf(ctx, response, null, false, undefined));
  };

  /**
   * Runs the stages from the `from`th. Synchronous while they are (every stage but a body
   * read): a GET is answered without a promise or a tick.
   */
  const runFrom = (ctx: Context, from: number): Outcome | Promise<Outcome> => {
    try {
      for (let i = from; i < run.length; i++) {
        const result = run[i](ctx);
        if (result instanceof ApiError) return refused(ctx, result);
        if (result) {
          const next = i + 1;
          return result.then(
            (error) => (error ? refused(ctx, error) : runFrom(ctx, next)),
            (err: unknown) => failed(ctx, err),
          );
        }
      }
      return answered(ctx);
    } catch (err) {
      return failed(ctx, err);
    }
  };

  return function pipeline(req: MockRequest, url: string, headers: ResponseHeaders, now: number): Outcome | Promise<Outcome> {
    // Date follows the mock's clock, so Date + Retry-After agrees with X-RateLimit-Reset.
    headers.set('Date', dateOf(now));
    const ctx = contextOf(router, req, url, headers, now);
    // With no rule the fault point is this one compare: the request runs as it always has.
    return registry.size === 0 ? runFrom(ctx, 0) : runWithFaults(ctx);
  };

  /**
   * Credentials (first in every order), then the fault point (stages/fault.ts), then the rest.
   * A fault of a kind the surface carries out (latency, truncate, slow_body) lets the request
   * go on; status and rate_limit answer here; reset, close and hang answer nothing.
   */
  function runWithFaults(ctx: Context): Outcome | Promise<Outcome> {
    let result: StageResult;
    try {
      result = run[0](ctx);
    } catch (err) {
      return failed(ctx, err);
    }
    // On Redis the failed-authentication limiter answers later: the fault point waits for it.
    if (result instanceof Promise) return result.then((error) => atFaultPoint(ctx, error), (err: unknown) => failed(ctx, err));
    return atFaultPoint(ctx, result);
  }

  /** The fault point, once credentials have answered `result`; then the rest of the stages. */
  function atFaultPoint(ctx: Context, result: void | ApiError): Outcome | Promise<Outcome> {
    try {
      const caller = ctx.caller;
      // The caller's budget, which decides whether a consuming kind may shape the request.
      const room = caller ? deps.limiter.peek(caller.principal.account.id, caller.limit, ctx.now) : undefined;
      return after(room, (peeked) => decideAndApply(ctx, result, peeked));
    } catch (err) {
      return failed(ctx, err);
    }
  }

  function decideAndApply(ctx: Context, result: void | ApiError, room: RateLimitState | undefined): Outcome | Promise<Outcome> {
    let decided: OutcomeFault | null | Promise<OutcomeFault | null>;
    try {
      decided = decideFault(ctx, faultDeps, room);
    } catch (err) {
      return failed(ctx, err);
    }
    // On Redis the counts are one script: its outage is the 503 store_unavailable of any other.
    if (decided instanceof Promise) return decided.then((fault) => applyDecided(ctx, result, fault), (err: unknown) => failed(ctx, err));
    return applyDecided(ctx, result, decided);
  }

  function applyDecided(ctx: Context, result: void | ApiError, decided: OutcomeFault | null): Outcome | Promise<Outcome> {
    try {
      const fault = (ctx.fault = decided);
      if (fault) {
        return after(applyFault(ctx, fault, faultDeps), ({ error, stop }) => {
          if (error) return refused(ctx, error);
          if (stop) return outcomeOf(ctx, { status: NO_RESPONSE_STATUS, headers: ctx.headers.alone(), body: undefined }, null, false, undefined);
          return result instanceof ApiError ? refused(ctx, result) : runFrom(ctx, 1);
        });
      }
    } catch (err) {
      return failed(ctx, err);
    }
    return result instanceof ApiError ? refused(ctx, result) : runFrom(ctx, 1);
  }
}

/** A request's context at the start: every field set, so every request has one object shape. */
function contextOf(router: Router, req: MockRequest, url: string, headers: ResponseHeaders, now: number): Context {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return {
    req,
    path,
    search: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
    now,
    headers,
    route: routeOf(router, req.method, path),
    routed: undefined,
    caller: undefined,
    rate: undefined,
    prefs: NO_PREFERENCES,
    forced: false,
    input: undefined,
    bodyBytes: undefined,
    answer: undefined,
    fault: null,
    fenced: false,
  };
}

/** What the log and the journal say of a request, once it has an answer. */
function outcomeOf(ctx: Context, response: MockResponse, errorCode: string | null, aborted: boolean, bug: unknown): Outcome {
  const principal = ctx.caller?.principal;
  return {
    response,
    operationId: ctx.routed?.op.operationId ?? null,
    keyId: principal?.key.id ?? null,
    accountId: principal?.account.id ?? null,
    errorCode,
    forced: ctx.forced,
    aborted,
    bug,
    fault: ctx.fault,
    bodyBytes: ctx.bodyBytes,
    fenced: ctx.fenced,
  };
}

/** A stage's refusal, rendered. */
function refused(ctx: Context, error: ApiError): Outcome {
  return outcomeOf(ctx, renderError(error, ctx.headers), error.code, false, undefined);
}

/** Whatever a stage threw: an ApiError from deep in the domain, a client gone, or a bug. */
function failed(ctx: Context, err: unknown): Outcome {
  // Not an answer: whoever runs the request catches the instance up and runs it again.
  if (err instanceof StaleStateError) throw err;
  if (!(err instanceof ApiError) && isClientAbort(err, ctx.req)) return outcomeOf(ctx, { status: 499, headers: ctx.headers.alone(), body: undefined }, null, true, undefined);
  // The shared store is away or too slow: an answer (503 store_unavailable), not a bug. The
  // mock fails closed: it never lets a request through that it could not count.
  const apiError = toApiError(err);
  // Only a bug goes on to be logged as one: a forced 503 is an answer, and a client's
  // fault that surfaces as a thrown error (a URIError from a malformed %-escape) a 4xx.
  const bug = err instanceof ApiError || err instanceof StoreUnavailableError || apiError.status < 500 ? undefined : err;
  const outcome = outcomeOf(ctx, renderError(apiError, ctx.headers), apiError.code, false, bug);
  return err instanceof StoreUnavailableError ? { ...outcome, storeAway: true } : outcome;
}

export type { SpecOperation };
