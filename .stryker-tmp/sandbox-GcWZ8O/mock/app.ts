// @ts-nocheck
// Builds the mock from the OpenAPI document and its configuration: the API as a node:http
// listener, and an Express app (express-app.ts) for the rest, made on first use. It never
// listens (server.ts does). Time, the seed and request ids are injected.
import type { Express } from 'express';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createClock, type ControllableClock } from './clock';
import { buildConfig, type MockConfig } from './config/config';
import { isClientAbort, sendError, toApiError } from './errors/render';
import { bindHandlers } from './handlers';
import type { Handler } from './handlers/types';
import { createJournal, type Journal } from './observability/journal';
import { SILENT_LOGGER, type MockLogger } from './observability/logger';
import { redact, truncate } from '../lib/redact';
import { createCors } from './access/cors';
import { createHostCheck } from './access/host-check';
import { ApiError } from './errors/api-error';
import { createPipeline, type RequestNotes } from './pipeline/pipeline';
import { createRequestValidator } from './pipeline/request-validator';
import { createRateLimiter, type RateLimiter } from './rate-limit/rate-limit';
import { createState, type MockState } from './resources/state';
import { loadPublicSpec, type LoadedSpec, type Plan } from '../lib/openapi/load-spec';
import { createSchemaValidator } from '../lib/openapi/schema-validator';
import { parseDateTime } from '../lib/date-time';

export interface MockOptions {
  /** The indexed spec; the public document by default. */
  spec?: LoadedSpec;
  /** Config settings (as in a config file); checked like one. Defaults apply underneath. */
  config?: Record<string, unknown>;
  /** An already checked config (from loadConfig); wins over `config`. */
  checkedConfig?: MockConfig;
  /** The clock; by default one made from the config's `clock` setting. */
  clock?: ControllableClock;
  /** Where request logs go; silent when omitted. */
  logger?: MockLogger;
  /** Request ids; a counter by default. */
  requestId?: () => string;
  /** Handlers by operationId; the real ones by default (tests wrap them in spies). */
  handlers?: Record<string, Handler>;
  /** The address the server is bound to: a name here passes the Host check. */
  boundHost?: string;
  /** Required on /_mock as X-Mock-Control-Token; the config's control_token by default. */
  controlToken?: string;
}

/** An app with the handles tests and SDK suites drive it by. */
export interface Mock {
  app: Express;
  /** The node:http listener the server uses: the API without Express's router, the rest through `app`. */
  handler: RequestListener;
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
  /** Seeded data, keys, counters, journal and clock back to start-up. */
  reset(): void;
}

/** The spec's plans with the config's overrides applied. */
export function effectivePlans(spec: LoadedSpec, config: MockConfig): Map<string, Plan> {
  return new Map(spec.plans.map((p) => [p.id, Object.freeze({ ...p, ...(config.plans[p.id] ?? {}) })]));
}

/** Creates a mock: the app plus its handles. */
export function createMock(options: MockOptions = {}): Mock {
  const spec = options.spec ?? loadPublicSpec();
  const config = options.checkedConfig ?? buildConfig(spec, options.config ?? {}, 'options.config');
  const clock =
    options.clock ?? createClock(config.clock ? { start: parseDateTime(config.clock)!, running: config.clock_running } : {});
  const logger = options.logger ?? SILENT_LOGGER;
  let counter = 0;
  const requestId = options.requestId ?? (() => `req_${String(++counter).padStart(6, '0')}`);

  const handlers = bindHandlers(spec, options.handlers);
  const state = createState(spec, config, clock);
  const limiter = createRateLimiter(clock);
  const failureLimiter = createRateLimiter(clock);
  const journal = createJournal(config.journal_size, config.journal_max_bytes);
  const checkHost = createHostCheck(config.allowed_hosts, options.boundHost);
  const cors = createCors(spec, config.cors);
  const controlToken = options.controlToken ?? config.control_token;
  const plans = effectivePlans(spec, config);
  const schemas = createSchemaValidator(spec.document);
  const validator = createRequestValidator(spec, schemas);
  const keyPattern = new RegExp((spec.document.components?.schemas?.ApiKeySecret as { pattern: string }).pattern);
  const pipeline = createPipeline({
    spec,
    clock,
    state,
    limiter,
    validator,
    handlers,
    plans,
    policy: { keyPattern, allowLiveKeys: config.allow_live_keys, allowLiveKeysInQuery: config.allow_live_keys_in_query },
    failureLimiter,
    failureLimit: config.auth_failure_limit,
  });

  const basePath = spec.basePath;
  /** `/v1`, `/v1/...` or `/v1?...`, as it arrives (case-sensitive, like the router). */
  const isApiUrl = (url: string) =>
    url.startsWith(basePath) && (url.length === basePath.length || url[basePath.length] === '/' || url[basePath.length] === '?');

  const reset = () => {
    clock.reset();
    state.reset();
    limiter.reset();
    failureLimiter.reset();
    journal.clear();
  };

  // One log line per request, with secrets redacted wherever they came from (and long URLs
  // cut), and a journal entry for each request under the base path.
  const track = (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const id = requestId();
    const notes: RequestNotes = { operationId: null, keyId: null, accountId: null, errorCode: null, forced: false };
    res.setHeader('X-Request-Id', id);
    /** Call once the response has ended (or the client has gone). */
    const done = (url: string) => {
      const ms = performance.now() - started;
      const path = redact(url);
      // A client that hung up gets no status: one info line, journaled as 499, never a 500.
      const status = notes.aborted ? 499 : res.statusCode;
      // Built only when it will be written: this runs on every request.
      if (logger.isLevelEnabled('info')) logger.info(
        { req_id: id, method: req.method, path: truncate(path, 2048), status, ms: Math.round(ms * 100) / 100, op: notes.operationId, key_id: notes.keyId, error: notes.errorCode, forced: notes.forced || undefined },
        notes.aborted ? 'client aborted' : 'request',
      );
      if (isApiUrl(path)) journal.record(id, clock.now(), req.method ?? '', path, status, notes, Math.round(ms * 1000) / 1000);
    };
    return { notes, done };
  };

  // Bugs, from the pipeline or forwarded by Express 5, are logged (without the request's
  // secrets) and answered in the error shape, never with a stack trace. A client that hung
  // up is not a bug, and an ApiError (a forced 503 too) is an answer, not a fault.
  const answerBug = (err: unknown, req: IncomingMessage, res: ServerResponse, notes: RequestNotes | undefined) => {
    if (!(err instanceof ApiError) && isClientAbort(err, req)) {
      if (notes) notes.aborted = true;
      return;
    }
    const apiError = toApiError(err);
    if (!(err instanceof ApiError) && apiError.status >= 500) logger.error({ err: { message: redact(String((err as Error)?.message)) }, path: truncate(redact((req as { originalUrl?: string }).originalUrl ?? req.url ?? ''), 2048) }, 'unhandled error');
    if (notes) notes.errorCode = apiError.code;
    if (!res.headersSent) sendError(res, apiError);
  };

  /**
   * The checks every route makes before anything else: an HTTP/1.1 request names its Host
   * (RFC 9112 section 3.2), and that name is one the mock answers to (DNS rebinding).
   */
  const admit = (req: IncomingMessage): ApiError | undefined => {
    const host = req.headers.host;
    if (host === undefined && req.httpVersion !== '1.0') return ApiError.missingHost();
    const refused = checkHost(host);
    return refused && ApiError.hostNotAllowed(refused.host);
  };

  // Requests under the base path. The pipeline ends every response itself, so the request
  // is logged when it returns, without a 'finish' listener per request.
  const serveApi = async (req: IncomingMessage, res: ServerResponse, url: string): Promise<void> => {
    const { notes, done } = track(req, res);
    const rest = url.slice(basePath.length);
    const below = rest.startsWith('/') ? rest : `/${rest}`;
    try {
      const refusal = admit(req);
      if (refusal) {
        notes.errorCode = refusal.code;
        sendError(res, refusal);
      } else {
        cors.decorate(req, res);
        // The preflight comes before authentication: browsers never send a key with it.
        if (cors.isPreflight(req)) cors.preflight(req, res, below.split('?')[0]);
        else await pipeline(req, res, notes, below);
      }
    } catch (err) {
      answerBug(err, req, res, notes);
    }
    done(url);
  };

  let app: Express | undefined;
  const expressApp = (): Express => {
    // Loaded here, not at the top: Express is most of the mock's start-up time.
    app ??= (require('./express-app') as typeof import('./express-app')).createExpressApp({
      spec, clock, state, journal, config, controlToken, reset, isApiUrl, serveApi, track, answerBug, admit,
    });
    return app;
  };

  // The server's listener: requests under the base path go straight from node:http to the
  // pipeline. Express's router (and its per-request prototype swaps) halved throughput.
  const handler: RequestListener = (req, res) => {
    if (isApiUrl(req.url ?? '')) void serveApi(req, res, req.url ?? '');
    else expressApp()(req, res);
  };

  return {
    get app() {
      return expressApp();
    },
    handler, spec, config, clock, state, limiter, journal, plans, reset, controlToken,
  };
}

/** Creates the mock's Express app (see createMock for the handles). */
export function createApp(options: MockOptions = {}): Express {
  return createMock(options).app;
}
