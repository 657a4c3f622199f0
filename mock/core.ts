// The mock's core, built from the OpenAPI document and its configuration: state, clock,
// limiter, journal and the pipeline, behind one function, `serve(request)`, that every
// surface runs. It knows no surface: node:http (surfaces/node.ts), an Express router to
// mount (surfaces/express.ts) and MSW handlers (surfaces/msw.ts) only translate to and
// from it, and app.ts builds the Mock handle, a new object, over it. Nothing here listens;
// time, the seed and request ids are injected.
import { createClock, type Clock, type ClockPosition, type ControllableClock } from './clock';
import { buildConfig, type MockConfig } from './config/config';
import type { MockConfigInput } from './config/config-input';
import { bindHandlers } from './domain/operations';
import type { AnyHandler } from './domain/operations/types';
import type { MockRequest, MockResponse } from './http/exchange';
import { render, renderError } from './http/render';
import { ResponseHeaders } from './http/response-headers';
import { createJournal, type Journal } from './observability/journal';
import { SILENT_LOGGER, type MockLogger } from './observability/logger';
import { createRequestLog, type RequestLog, type Seen } from './observability/request-log';
import { createCors } from './http/cors';
import { allowHostAdvice, createHostCheck, type HostAdvice } from './http/host-check';
import { ApiError } from './errors/api-error';
import { createPipeline, type Outcome } from './stages/pipeline';
import { signingPolicyOf } from './domain/auth/signing/policy';
import { absoluteFormAuthority, hasBadPort } from './http/host-check';
import { createRequestValidator } from './stages/request-validator';
import { createRouter } from './stages/routing';
import { createRateLimiter, type RateLimiter } from './domain/limits/rate-limit';
import { createState, type MockState } from './domain/resources/state';
import {
  checkFaultRule,
  createFaultRegistry,
  createFaultRuleChecks,
  faultBudget,
  faultStatusStages,
  faultSurfaces,
  FaultRuleError,
  surfaceRefusal,
  type FaultBudget,
  type FaultKind,
  type FaultRule,
  type FaultRuleChecks,
  type FaultSurface,
  type FaultSurfaceTable,
  type SharedFaultCounts,
} from './domain/faults';
import { CONTROL_SPEC_PATH, PUBLIC_SPEC_PATH, STAGES, loadPublicSpec, readSpecFile, type LoadedSpec, type Plan } from '../lib/openapi/load-spec';
import { createSchemaValidator } from '../lib/openapi/schema-validator';
import { parseDateTime } from '../lib/date-time';
import type { TlsView } from './tls/view';
import { conductTable, createConductWatch, type ConductReport, type ConductTable, type ConductWatch } from './domain/conduct';
import { createObserver } from './observability/conduct-observation';
import { modeOf } from './domain/auth/secrets';
import type { StagedOperation } from './stages/operation';
import { createMutations, type MutationDeps, type Mutations } from './store/mutations';
import type { Replica } from './store/replication';
import { StaleStateError } from './store/fence';
import { STORE_RETRY_AFTER_SECONDS, StoreUnavailableError } from './store/unavailable';
import type { SharedJournal } from './store/shared-journal';
import type { RedisStore } from './store/redis';
import { createRedisRateLimitStore } from './store/redis-rate-limit';
import { resolveCredentials, type CredentialPolicy } from './domain/auth/credentials';
import type { KeyStore } from './domain/auth/key-store';
import { presentedCredentials } from './stages/credentials';
import { createRedisFaultCounts } from './store/redis-fault-counts';
import { unhandledSafe } from './store/unhandled-safe';

export interface MockOptions {
  /** The indexed spec; the public document by default. */
  spec?: LoadedSpec;
  /** Config settings (as in a config file); checked like one. Defaults apply underneath. */
  config?: MockConfigInput;
  /** An already checked config (from loadConfig); wins over `config`. */
  checkedConfig?: MockConfig;
  /** The clock; by default one made from the config's `clock` setting. */
  clock?: ControllableClock;
  /** Where request logs go; silent when omitted. */
  logger?: MockLogger;
  /** Request ids; a counter by default. */
  requestId?: () => string;
  /** Handlers by operationId; the real ones by default (tests wrap them in spies). */
  handlers?: Record<string, AnyHandler>;
  /** The address the server is bound to: a name here passes the Host check. */
  boundHost?: string;
  /**
   * How a Host refusal says to allow a name: `flag` (--allowed-hosts) for cortex-mock,
   * `config` (allowed_hosts in the options' config) for a mock started in code, the default.
   */
  hostAdvice?: HostAdvice;
  /** Required on /_mock as X-Mock-Control-Token; the config's control_token by default. */
  controlToken?: string;
  /** The TLS set-up GET /_mock/tls reads, once the server listens (startMockServer({ tls: true })). */
  tlsView?: () => TlsView | undefined;
  /**
   * The mock serves HTTPS (startMockServer sets it with `tls`): a request a surface says came
   * as plain HTTP (`secure: false`) gets the 400 `https_required` on every route, and a key it
   * sent in the clear is the conduct rule plaintext_http.
   */
  servesTls?: boolean;
  /**
   * The surfaces that carry this core's faults out (x-cortex-fault-surfaces): a rule of a kind
   * one of them cannot express is refused when added. node:http and Express by default; the
   * MSW handlers pass `['msw']`.
   */
  faultSurfaces?: readonly FaultSurface[];
  /**
   * The Redis store the instances share (tests pass one, made by connectRedisStore); by
   * default one is connected when the config's `store` is a redis:// URL. A store given here
   * is the caller's to close; one the core connected is closed by `close()`.
   */
  store?: RedisStore;
}

/** The fault rules of a mock, as its handle, the control API and the dashboard drive them (docs/faults.md). */
export interface MockFaults {
  /**
   * Adds a rule after the others and returns its id (`flt_N`); throws FaultRuleError naming the
   * field of a bad rule. With a shared store it throws: use `await mock.shared.faults.add(rule)`,
   * which goes through the shared log as the control API does.
   */
  add(rule: unknown): string;
  /**
   * Every rule in the order they are tried, with `seed`, `seen` and `fired`. With a shared
   * store, the counts as this instance last heard them from the store; counted() has them now.
   */
  list(): FaultRule[];
  /** list() with the counts every instance shares: a promise with a shared store (GET /_mock/faults). */
  counted(): FaultRule[] | Promise<FaultRule[]>;
  /** Removes a rule; false when no rule has the id. With a shared store it throws: use `mock.shared.faults.remove`. */
  remove(id: string): boolean;
  /**
   * Removes every rule, the configuration's too (reset() brings those back). With a shared
   * store it goes through the log and returns that promise (as `mock.shared.faults.clear`).
   */
  clear(): void;
}

/**
 * The handle's changes on a mock with a shared store (docs/scaling.md): each goes through the
 * shared log, as the control API's do, and resolves once this instance has applied it.
 */
export interface SharedChanges {
  clock: { advance(ms: number): Promise<void>; set(epochMs: number, options?: { running?: boolean }): Promise<void> };
  faults: { add(rule: unknown): Promise<string>; remove(id: string): Promise<boolean>; clear(): Promise<void> };
}

/** The conduct report as GET /_mock/conduct gives it, and a check for an SDK suite's afterEach. */
export interface MockConduct {
  /** The report; `{ everyClient: true }` lists the clients seen with no finding too (findings: []). */
  (options?: { everyClient?: boolean }): ConductReport;
  /** Throws an Error listing every finding whose rule is not in `allow`, or naming each rule in `allow` that x-cortex-conduct-rules does not have. */
  assertClean(options?: { allow?: readonly string[] }): void;
}

/** The core with the handles tests and SDK suites drive it by. */
export interface MockCore {
  spec: LoadedSpec;
  config: MockConfig;
  clock: ControllableClock;
  state: MockState;
  limiter: RateLimiter;
  journal: Journal;
  /** Effective plans: the spec's, with the config's overrides. */
  plans: Map<string, Plan>;
  /** The token /_mock requires, when one is set. */
  controlToken?: string;
  /** The CA and the bad-certificate profiles when the mock serves HTTPS; undefined over plain HTTP. */
  tlsView(): TlsView | undefined;
  /** Whether the mock serves HTTPS, and refuses plain HTTP (MockOptions.servesTls). */
  servesTls: boolean;
  /** One log line per request, with secrets redacted; the surfaces' non-API routes use it too. */
  requests: RequestLog;
  /** The fault rules: the configuration's, then those added at run time. */
  faults: MockFaults;
  /** With a shared store only: the handle's clock and fault changes through the shared log, each a promise. */
  shared: SharedChanges | undefined;
  /** The conduct report (docs/conduct.md): each client's findings; empty with `conduct: false`. */
  conduct: MockConduct;
  /** The Redis store the instances share; undefined with the memory store (the default). */
  store: RedisStore | undefined;
  /** Lets go of what the core holds open: the Redis connection it made. A memory mock holds none. */
  close(): Promise<void>;
  /**
   * Seeded data, keys, counters, journal, clock, conduct report and the configuration's fault
   * rules back to start-up; with a shared store on every instance, once the promise resolves
   * (on Redis the limiter's windows are deleted there too).
   */
  reset(): void | Promise<void>;
  /** The mutations the control API and the dashboard make: shared through the store's log when there is one. */
  mutations: Mutations;
  /** With a shared store: this instance's replica of the shared state (docs/scaling.md). */
  replica: Replica | undefined;
  /** With a shared store: the journal of every instance. */
  sharedJournal: SharedJournal | undefined;
  /**
   * Answers one request whose url is the API's (`/v1/...`): the Host check, CORS, the
   * pipeline, a request id, a log line and a journal entry. Every surface runs this.
   */
  serve(req: MockRequest): Promise<MockResponse>;
  /** `serve` without a promise when none is needed (a request with no body to read). */
  respond(req: MockRequest): MockResponse | Promise<MockResponse>;
  /** Whether a url (path and query below the mock's root) is the API's. */
  isApiUrl(url: string): boolean;
  /** The checks of every route: undefined to go on, else the error to answer with (an absolute-form `url`'s authority is checked instead of Host). */
  admit(req: Admissible): ApiError | undefined;
}

/** What admission reads of a request: a MockRequest, or node:http's as Express hands it on. */
export type Admissible = Pick<MockRequest, 'headers' | 'httpVersion'> & Partial<Pick<MockRequest, 'headersDistinct' | 'authority'>> & { url?: string };

/** The spec's plans with the config's overrides applied. */
export function effectivePlans(spec: LoadedSpec, config: MockConfig): Map<string, Plan> {
  return new Map(spec.plans.map((p) => [p.id, Object.freeze({ ...p, ...(config.plans[p.id] ?? {}) })]));
}

/** Creates the core and its handles. */
export function createCore(options: MockOptions = {}): MockCore {
  const spec = options.spec ?? loadPublicSpec();
  const config = options.checkedConfig ?? buildConfig(spec, options.config ?? {}, 'options.config');
  const clock =
    options.clock ?? createClock(config.clock ? { start: parseDateTime(config.clock)!, running: config.clock_running } : {});
  let counter = 0;
  // Unique across instances that share a store: the instance's id comes first.
  const requestId = options.requestId ?? (() => `req_${sharing.replica ? `${sharing.replica.instanceId}_` : ''}${String(++counter).padStart(6, '0')}`);

  const store = options.store ?? connectStore(config, options.logger ?? SILENT_LOGGER);
  const ownsStore = options.store === undefined && store !== undefined;
  const state = createState(spec, config, clock, { replaySecrets: () => sharing.replaySecrets() });
  const bound = bindHandlers(spec, state, options.handlers);
  const { limiter, failureLimiter } = createLimiters(store, clock);
  const sharedJournal = store && sharedStore().createSharedJournal(store, config.journal_size, () => sharing.replica?.instanceId ?? '');
  const journal = createJournal(config.journal_size, config.journal_max_bytes, sharedJournal && ((entry) => sharedJournal.push(entry)));
  const plans = effectivePlans(spec, config);
  // One router: the pipeline routes by it, and a CORS preflight reads a path's methods from it.
  const router = createRouter(spec.operations);
  const cors = createCors(spec, config.cors, router);
  const controlToken = options.controlToken ?? config.control_token;
  const validator = createRequestValidator(spec, createSchemaValidator(spec.document));
  // With a store the rules' counts are shared too, their script fenced by this replica's version.
  const faultCounts = store && createRedisFaultCounts(store, { version: () => sharing.replica?.version ?? -1 });
  const faults = createFaults(spec, config, options.faultSurfaces ?? DEFAULT_FAULT_SURFACES, faultCounts);
  const resets = { limiters: [limiter, failureLimiter], journal, sharedJournal, faultCounts, others: [() => faults.registry.reset(), () => conduct.clear()] };
  const sharing = createSharing({ spec, config, state, clock, faults: faults.registry, plans, operations: bound, resets }, store);
  const keyPattern = new RegExp((spec.document.components?.schemas?.ApiKeySecret as { pattern: string }).pattern);
  const policy: CredentialPolicy = { keyPattern, keyModes: spec.vocabulary.keyModes, allowLiveKeys: config.allow_live_keys, allowLiveKeysInQuery: config.allow_live_keys_in_query };
  const pipeline = createPipeline({
    spec,
    router,
    state,
    limiter,
    validator,
    operations: sharing.operations,
    plans,
    policy,
    failureLimiter,
    failureLimit: config.auth_failure_limit,
    rateLimitHeaders: config.rate_limit_headers,
    signing: signingPolicyOf(spec, config.signing_tolerance_seconds),
    faults: { registry: faults.registry, budget: faults.budget, statusStages: faults.statusStages },
    fence: sharing.fence,
  });
  const conduct = createConduct(spec, config);
  const requests = createRequestLog({ logger: options.logger ?? SILENT_LOGGER, requestId });

  const basePath = spec.basePath;
  /** `/v1`, `/v1/...` or `/v1?...`, as it arrives (case-sensitive, like the router). */
  const isApiUrl = (url: string) =>
    url.startsWith(basePath) && (url.length === basePath.length || url[basePath.length] === '/' || url[basePath.length] === '?');

  const reset = sharing.reset;

  const admit = createAdmission(createHostCheck(config.allowed_hosts, options.boundHost), options.hostAdvice ?? 'config');

  /** An answer given before the pipeline (a refused Host, a CORS preflight): no key, no operation. */
  const beforePipeline = (response: MockResponse, errorCode: string | null): Outcome => ({ response, operationId: null, keyId: null, accountId: null, errorCode, forced: false, aborted: false, bug: undefined, fault: null, fenced: false });

  const plain = createPlaintextRefusal(spec, state.keys, policy, options.servesTls === true);
  /** Admission, CORS and the pipeline: what becomes of one API request. `headers` gather what each contributes. */
  const answer = (req: MockRequest, headers: ResponseHeaders, now: number): Outcome | Promise<Outcome> => {
    if (plain.applies(req)) return plain.refuse(req, headers, now);
    const refusal = admit(req);
    if (refusal) return beforePipeline(renderError(refusal, headers), refusal.code);
    cors.decorate(req, headers);
    const rest = req.url.slice(basePath.length);
    const below = rest.startsWith('/') ? rest : `/${rest}`;
    // The preflight comes before authentication: browsers never send a key with it.
    if (cors.isPreflight(req)) return beforePipeline(render(cors.preflight(req, headers, below.split('?')[0]).status, undefined, headers), null);
    return pipeline(req, below, headers, now);
  };

  /** Logging and journaling follow the outcome: a log line and a journal entry under the request's id. */
  const settle = (req: MockRequest, seen: Seen, now: number, outcome: Outcome): MockResponse => {
    const entry = seen.end(req.method, req.url, outcome);
    journal.record(entry.id, now, req.method, entry.path, entry.status, outcome, entry.ms);
    if (config.conduct) conduct.observe(req, outcome, entry.id, now, plain.applies(req));
    // The surface carries out what the response alone cannot say (a delay, a reset, a cut).
    if (outcome.fault) outcome.response.fault = outcome.fault;
    return outcome.response;
  };

  // No promise unless the pipeline waits for a body: node:http answers a GET in the same tick.
  const respond = (req: MockRequest): MockResponse | Promise<MockResponse> => {
    const seen = requests.start();
    // Every /v1 response carries its request id (the renderer puts it on).
    const run = (at: number) => answer(req, new ResponseHeaders({ 'X-Request-Id': seen.id }), at);
    // A preflight reads no state (the router's methods): it needs no store, nor to catch up,
    // and a browser reads no non-2xx preflight, so the 503 of an outage would hide the 503s after it.
    if (sharing.replica && !cors.isPreflight(req)) {
      // A catching-up that meets the store away fails closed, as the pipeline does.
      // Its CORS headers are those of any /v1 answer: a page on an allowed origin reads the 503 and its Retry-After.
      const unavailable = () => {
        const headers = new ResponseHeaders({ 'X-Request-Id': seen.id });
        cors.decorate(req, headers);
        return beforePipeline(renderError(ApiError.storeUnavailable(STORE_RETRY_AFTER_SECONDS), headers), 'SERVICE_UNAVAILABLE');
      };
      return answerFresh(sharing.replica, clock, run, unavailable).then(({ outcome, now }) => settle(req, seen, now, outcome));
    }
    // The one reading of the mock's clock for this request: its windows, expiries, data,
    // Date header and journal entry all agree on when it came.
    const now = clock.now();
    const outcome = run(now);
    return outcome instanceof Promise ? outcome.then((o) => settle(req, seen, now, o)) : settle(req, seen, now, outcome);
  };

  // A throw (a bug under the pipeline's own net) becomes a rejection, as the surfaces expect.
  const serve = async (req: MockRequest): Promise<MockResponse> => respond(req);

  const tlsView = options.tlsView ?? (() => undefined);
  const close = async () => void (ownsStore && (await store.close()));
  const { mutations, replica } = sharing;
  // With a shared store the handle's changes go through the log, as the control API's do.
  const shared = replica && { clock: sharedClockChanges(clock, mutations), faults: sharedFaults(mutations) };
  const faultsHandle: MockFaults = shared ? sharedFaultsHandle(faults.handle, shared.faults) : faults.handle;
  return { spec, config, clock, state, limiter, journal, plans, controlToken, tlsView, servesTls: plain.servesTls, requests, faults: faultsHandle, shared, conduct: conduct.handle, store, close, reset, mutations, replica, sharedJournal, serve, respond, isApiUrl, admit };
}
/**
 * The checks every route makes before anything else: an HTTP/1.1 request names its Host
 * (RFC 9112 section 3.2), and that name (or an absolute-form target's authority) is one
 * the mock answers to (DNS rebinding).
 */
function createAdmission(checkHost: ReturnType<typeof createHostCheck>, hostAdvice: HostAdvice) {
  return (req: Admissible): ApiError | undefined => {
    // RFC 9112 section 3.2: more than one Host line is a 400, whichever would win.
    if ((req.headersDistinct?.host?.length ?? 0) > 1) return ApiError.repeatedHost();
    const given = req.authority ?? absoluteFormAuthority(req.url) ?? req.headers.host;
    const host = Array.isArray(given) ? given[0] : given;
    if (host === undefined && req.httpVersion !== '1.0') return ApiError.missingHost();
    if (host !== undefined && hasBadPort(host)) return ApiError.malformedHost();
    const refused = checkHost(host);
    return refused && ApiError.hostNotAllowed(refused.host, allowHostAdvice(refused.host, hostAdvice));
  };
}

/**
 * Plain HTTP to a port that speaks HTTPS only: the 400 https_required (docs/tls.md), before
 * anything else, spending no budget. The key it sent in the clear is resolved as the
 * credentials stage would, but never noted as used, so its log line, journal entry and
 * conduct finding name the key's id when the key is valid.
 */
function createPlaintextRefusal(spec: LoadedSpec, keys: KeyStore, policy: CredentialPolicy, servesTls: boolean) {
  const peek: KeyStore = Object.assign(Object.create(keys) as KeyStore, { markUsed: () => undefined });
  /** Whether `req` came as plain HTTP to a mock that serves HTTPS (one comparison when it serves none). */
  const applies = (req: MockRequest) => servesTls && req.secure === false;
  const refuse = (req: MockRequest, headers: ResponseHeaders, now: number): Outcome => {
    const q = req.url.indexOf('?');
    const search = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
    const resolved = resolveCredentials(presentedCredentials(req, search, spec.credentialSchemes), peek, policy, now);
    const principal = resolved.kind === 'principal' ? resolved.principal : undefined;
    const error = ApiError.httpsRequired();
    const response = renderError(error, headers);
    return { response, operationId: null, keyId: principal?.key.id ?? null, accountId: principal?.account.id ?? null, errorCode: error.code, forced: false, aborted: false, bug: undefined, fault: null, fenced: false };
  };
  return { servesTls, applies, refuse };
}

/**
 * How many times a request may meet a newer shared state and run again. Past it (a stream of
 * writes elsewhere that never lets it catch up) it is answered 503 store_unavailable, closed.
 */
const MOST_RUNS = 20;

/**
 * With a shared store, a request is answered on the newest state (read-your-writes across
 * instances): a fenced script that found the log ahead of the replica (StaleStateError), or an
 * answer no script vouched for (given before the limiter: a 401, a 404) that a sync then finds
 * stale, is run again once the replica has caught up, at the clock read again.
 */
async function answerFresh(replica: Replica, clock: Clock, run: (now: number) => Outcome | Promise<Outcome>, unavailable: () => Outcome): Promise<{ outcome: Outcome; now: number }> {
  let now = clock.now();
  try {
    // The first request of an instance reads the epoch first: every instance seeds its data at
    // the epoch's time, so a running clock gives them all the same seeded data.
    if (!replica.synced) {
      await replica.sync();
      // The clock as the log left it (a move made before this instance joined).
      now = clock.now();
    }
    for (let runs = 1; ; runs++, now = clock.now()) {
      let outcome: Outcome;
      try {
        outcome = await run(now);
      } catch (err) {
        if (!(err instanceof StaleStateError)) throw err;
        if (runs >= MOST_RUNS) return { outcome: unavailable(), now };
        await replica.sync();
        continue;
      }
      // A 503 store_unavailable is answered as it is: a sync would wait out another timeout.
      if (outcome.fenced || outcome.storeAway || runs >= MOST_RUNS || !(await replica.sync())) return { outcome, now };
    }
  } catch (err) {
    if (err instanceof StoreUnavailableError) return { outcome: unavailable(), now };
    throw err;
  }
}

/** What the sharing of a core's state reads. */
interface SharingDeps extends Omit<MutationDeps, 'maxAccounts' | 'resetTime' | 'resetAt'> {
  config: MockConfig;
  /** What a reset puts back besides the clock and the seeded data. */
  resets: { limiters: RateLimiter[]; journal: Journal; sharedJournal: SharedJournal | undefined; faultCounts: { clear(): Promise<void> } | undefined; others: Array<() => void> };
}

/** The request limiter and the failed-authentication limiter: with a shared store, their windows live in Redis, counted by one script per request. */
function createLimiters(store: RedisStore | undefined, clock: ControllableClock) {
  const frozen = () => clock.isFrozen();
  const over = (namespace: string) => (store ? createRateLimiter(createRedisRateLimitStore(store, { namespace, frozen })) : createRateLimiter());
  return { limiter: over('limit:'), failureLimiter: over('auth-failures:') };
}

/**
 * The state's mutations, and with a store the replica they go through: the API's mutations
 * (every method but GET and HEAD) become log entries, reset() one every instance applies.
 */
function createSharing(deps: SharingDeps, store: RedisStore | undefined) {
  const { clock } = deps;
  const { limiters, journal, sharedJournal, faultCounts, others } = deps.resets;
  /**
   * Everything a reset puts back on this instance, the seeded data at `now`. On Redis the
   * windows and the journal there are cleared once, by the instance that asked (clearShared).
   */
  const resetAt = (now: number) => {
    clock.reset();
    deps.state.reset(now);
    journal.clear();
    if (!store) for (const limiter of limiters) limiter.reset();
    for (const reset of others) reset();
  };
  const clearShared = () => Promise.all([...limiters.map((limiter) => limiter.reset()), sharedJournal?.clear(true), faultCounts?.clear()]);
  // The time a reset seeds at: the clock as reset() leaves it, found without moving it.
  const resetTime = () => {
    const position = clock.position();
    clock.reset();
    const at = clock.now();
    clock.restore(position);
    return at;
  };
  const made = createMutations({ ...deps, maxAccounts: deps.config.max_accounts, resetAt, resetTime }, () => replica);
  // A new epoch (the store emptied) also gets this config's fingerprint again (config-fingerprint.ts).
  const reseed = (now: number) => {
    resetAt(now);
    if (store) void sharedStore().checkSharedConfig(store, deps.config).catch(() => undefined);
  };
  const replica = store && sharedStore().createReplica(store, { apply: made.apply, reseed, now: () => clock.now() }, deps.spec.vocabulary.keyModes);
  const { mutations } = made;
  const operations = new Map<string, StagedOperation>(
    [...deps.operations].map(([id, operation]): [string, StagedOperation] => {
      const method = deps.spec.operations.find((op) => op.operationId === id)?.method.toUpperCase();
      return [id, !replica || method === 'GET' || method === 'HEAD' ? operation : (request) => mutations.operate(operation, request)];
    }),
  );
  const reset = (): void | Promise<void> => {
    if (!replica) return mutations.reset() as void;
    const done = Promise.resolve(mutations.reset()).then(clearShared).then(() => undefined);
    // A caller that does not wait (reset() typed void in RunningMock) must not crash the
    // process with an unhandled rejection when Redis is away; one that awaits still sees it.
    done.catch(() => undefined);
    return done;
  };
  // Each limiter script carries the version this replica holds (mock/store/fence.ts).
  const fence = replica && { version: () => replica.version };
  return { mutations, replica, operations, reset, fence, replaySecrets: made.replaySecrets };
}

/**
 * The fault handle of a mock on a shared store: add, remove and clear are mutations of the
 * shared log (every instance applies them), each a promise resolved once this instance has;
 * one nobody awaits is no unhandled rejection. list and counted are the local handle's.
 */
/**
 * The clock's moves on a shared store: mutations of the shared log (mutations.ts); a move the
 * clock cannot take throws ClockRangeError at once, before anything is shared.
 */
function sharedClockChanges(clock: ControllableClock, mutations: Mutations): SharedChanges['clock'] {
  return {
    advance: (ms) => unhandledSafe(Promise.resolve(mutations.advanceClock(ms))),
    set(epochMs, options = {}) {
      // Where the clock would stand once set, found on this clock without moving it.
      const before = clock.position();
      let position: ClockPosition;
      try {
        clock.set(epochMs, options);
        position = clock.position();
      } finally {
        clock.restore(before);
      }
      return unhandledSafe(Promise.resolve(mutations.setClock(position)));
    },
  };
}

function sharedFaults(mutations: Mutations): SharedChanges['faults'] {
  const settled = unhandledSafe;
  return {
    add: (rule) => settled(Promise.resolve(mutations.addFault(rule)).then((added) => added.id)),
    remove: (id) => settled(Promise.resolve(mutations.removeFault(id))),
    clear: () => settled(Promise.resolve(mutations.clearFaults())),
  };
}

/**
 * The handle's faults on a shared store: add and remove answer with a value, which only the
 * log can give, so they name the way that can (`mock.shared.faults`); clear answers nothing and
 * goes through the log, returning its promise.
 */
function sharedFaultsHandle(local: MockFaults, shared: SharedChanges['faults']): MockFaults {
  const refuse = (what: string): never => {
    throw new Error(`This mock shares a store: mock.faults.${what}() cannot answer at once; use \`await mock.shared.faults.${what}(...)\`, which goes through the shared log (docs/scaling.md)`);
  };
  return {
    add: () => refuse('add'),
    remove: () => refuse('remove'),
    clear: () => shared.clear() as unknown as void,
    list: () => local.list(),
    counted: () => local.counted(),
  };
}

/** The replica and the shared journal, loaded only for a mock with a store. */
function sharedStore() {
  return {
    ...(require('./store/replication') as typeof import('./store/replication')),
    ...(require('./store/shared-journal') as typeof import('./store/shared-journal')),
    ...(require('./store/config-fingerprint') as typeof import('./store/config-fingerprint')),
  };
}

/**
 * The Redis store of a config whose `store` is a redis:// URL, else undefined. The module
 * (and ioredis under it) is required only then: a memory mock never loads them.
 */
function connectStore(config: MockConfig, logger: MockLogger): RedisStore | undefined {
  if (config.store === 'memory') return undefined;
  const { connectRedisStore } = require('./store/redis') as typeof import('./store/redis');
  return connectRedisStore({ url: config.store, prefix: config.store_prefix, timeoutMs: config.store_timeout_ms, logger });
}

/**
 * The conduct watch of one core and its handle. control.yaml's rule table is read on the
 * first request the watch observes: a mock with `conduct: false`, or that serves nothing,
 * never reads it.
 */
function createConduct(spec: LoadedSpec, config: MockConfig) {
  let watch: ConductWatch | undefined;
  let table: ConductTable | undefined;
  const rules = () => (table ??= conductTable(readSpecFile(CONTROL_SPEC_PATH)));
  const watching = () => (watch ??= createConductWatch(rules()));
  const keyModes = spec.vocabulary.keyModes;
  const observation = createObserver((secret) => modeOf(secret, keyModes) === 'live');
  return {
    /** Tells the watch of a settled request (an aborted one as the 499 it was); `plaintext`: it came as plain HTTP to a mock that serves HTTPS. */
    observe(req: MockRequest, outcome: Outcome, requestId: string, now: number, plaintext: boolean): void {
      watching().observe(observation(req, outcome.response, outcome.aborted ? 499 : outcome.response.status, requestId, now, outcome, plaintext));
    },
    clear: () => watch?.clear(),
    handle: conductHandle((options) => watch?.report(options) ?? { clients: [] }, () => rules().rules),
  };
}

/** `known`: the rules of control.yaml's x-cortex-conduct-rules, read when an `allow` names one. */
function conductHandle(report: (options?: { everyClient?: boolean }) => ConductReport, known: () => ReadonlyMap<string, unknown>): MockConduct {
  const assertClean = (options: { allow?: readonly string[] } = {}) => {
    const allow = new Set(options.allow ?? []);
    // A misspelt rule would allow nothing and hide the suite's intent: it throws, clean report or not.
    const unknown = allow.size ? [...allow].filter((name) => !known().has(name)) : [];
    if (unknown.length) throw new Error(`assertClean: allow names ${unknown.length === 1 ? 'a rule' : 'rules'} the conduct watch does not have: ${unknown.join(', ')}. Known rules: ${[...known().keys()].join(', ')}`);
    const lines = report().clients.flatMap((c) =>
      c.findings.filter((f) => !allow.has(f.rule)).map((f) => `${c.key_id}: ${f.rule} (${f.severity}, ${f.count}x; ${f.request_ids.join(', ')}): ${f.message}`),
    );
    if (lines.length) throw new Error(`The mock's conduct report has ${lines.length} finding(s):\n${lines.join('\n')}`);
  };
  return Object.assign((options?: { everyClient?: boolean }) => report(options), { assertClean });
}

/** node:http and Express: what createMock's handler and router carry faults out on. */
const DEFAULT_FAULT_SURFACES: readonly FaultSurface[] = ['node', 'express'];

/** What the fault rules need of control.yaml: their checks and its tables, read on first use. */
interface FaultSpec {
  checks: FaultRuleChecks;
  budget: Readonly<Record<FaultKind, FaultBudget>>;
  /** StatusFault's x-cortex-decided-by: the stage that decides each status. */
  statusStages: Readonly<Record<string, string>>;
  surfaces: FaultSurfaceTable;
}

/**
 * The fault registry of one core over the config's rules and seed, with the handle the
 * surfaces share. control.yaml is read only when a rule is given or added: a mock with no
 * rule never reads it.
 */
function createFaults(spec: LoadedSpec, config: MockConfig, surfaces: readonly FaultSurface[], shared?: SharedFaultCounts) {
  let read: FaultSpec | undefined;
  const faultSpec = (): FaultSpec => {
    if (!read) {
      const doc = readSpecFile(CONTROL_SPEC_PATH);
      const checks = createFaultRuleChecks(createSchemaValidator(doc, { 'cortex-edr.yaml': readSpecFile(PUBLIC_SPEC_PATH) }), doc, spec);
      read = { checks, budget: faultBudget(doc), statusStages: faultStatusStages(doc, STAGES), surfaces: faultSurfaces(doc) };
    }
    return read;
  };
  /** Why a surface of this core cannot carry a rule's kind out, or undefined. */
  const refusal = (kind: FaultKind) => {
    for (const surface of surfaces) {
      const why = surfaceRefusal(faultSpec().surfaces, kind, surface);
      if (why) return `${kind} ${why}`;
    }
    return undefined;
  };
  // The config's rules were checked with the config; only the surfaces remain to be asked.
  config.faults.forEach((rule, i) => {
    const why = refusal(rule.fault.kind);
    if (why) throw new FaultRuleError({ path: ['faults', String(i), 'fault', 'kind'], reason: why });
  });
  const registry = createFaultRegistry({
    seed: config.faults_seed,
    rules: config.faults,
    shared,
    check: (input) => {
      const problem = checkFaultRule(input, faultSpec().checks);
      if (problem) return problem;
      const why = refusal((input as { fault: { kind: FaultKind } }).fault.kind);
      return why ? { path: ['fault', 'kind'], reason: why } : undefined;
    },
  });
  const handle: MockFaults = {
    add: (rule) => registry.add(rule),
    list: () => registry.list(),
    counted: () => registry.listAcross(),
    remove: (id) => registry.remove(id),
    clear: () => registry.clear(),
  };
  return { registry, handle, budget: () => faultSpec().budget, statusStages: () => faultSpec().statusStages };
}
