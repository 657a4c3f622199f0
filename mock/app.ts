// Builds the mock's Express app from the OpenAPI document and its configuration. It never
// listens (server.ts does). Time, the seed and request ids are injected.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import { createClock, type ControllableClock } from './clock';
import { buildConfig, type MockConfig } from './config/config';
import { createControlRouter } from './control/control-api';
import { createDocsRouter } from './docs';
import { ApiError } from './errors/api-error';
import { sendError, toApiError } from './errors/render';
import { bindHandlers } from './handlers';
import type { Handler } from './handlers/types';
import { createJournal, type Journal } from './observability/journal';
import { redact } from './observability/redact';
import { createPipeline, type RequestNotes } from './pipeline/pipeline';
import { createRequestValidator } from './pipeline/request-validator';
import { createRateLimiter, type RateLimiter } from './rate-limit/rate-limit';
import { createState, type MockState } from './resources/state';
import { PUBLIC_SPEC_PATH, loadPublicSpec, type LoadedSpec, type Plan } from '../lib/openapi/load-spec';
import { createSchemaValidator } from '../lib/openapi/schema-validator';

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
  logger?: Logger;
  /** Request ids; a counter by default. */
  requestId?: () => string;
  /** Handlers by operationId; the real ones by default (tests wrap them in spies). */
  handlers?: Record<string, Handler>;
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
    options.clock ?? createClock(config.clock ? { start: Date.parse(config.clock), running: config.clock_running } : {});
  const logger = options.logger ?? pino({ level: 'silent' });
  let counter = 0;
  const requestId = options.requestId ?? (() => `req_${String(++counter).padStart(6, '0')}`);

  const handlers = bindHandlers(spec, options.handlers);
  const state = createState(spec, config, clock);
  const limiter = createRateLimiter(clock);
  const failureLimiter = createRateLimiter(clock);
  const journal = createJournal(config.journal_size);
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

  // One log line per request, with secrets redacted wherever they came from, and a journal
  // entry for each request under the base path. Called once the response has ended.
  const observe = (req: IncomingMessage, res: ServerResponse, url: string, id: string, notes: RequestNotes, started: number) => {
    const ms = performance.now() - started;
    const path = redact(url);
    // Built only when it will be written: this runs on every request.
    if (logger.isLevelEnabled('info')) logger.info(
      { req_id: id, method: req.method, path, status: res.statusCode, ms: Math.round(ms * 100) / 100, op: notes.operationId, key_id: notes.keyId, error: notes.errorCode, forced: notes.forced || undefined },
      'request',
    );
    if (isApiUrl(path)) journal.record(id, clock.now(), req.method ?? '', path, res.statusCode, notes, Math.round(ms * 1000) / 1000);
  };
  const newNotes = (): RequestNotes => ({ operationId: null, keyId: null, accountId: null, errorCode: null, forced: false });

  // Requests under the base path, straight from node:http (see `handler`) or through Express.
  // The pipeline ends every response itself, so the request is observed when it returns.
  const serveApi = async (req: IncomingMessage, res: ServerResponse, url: string): Promise<void> => {
    const started = performance.now();
    const id = requestId();
    const notes = newNotes();
    res.setHeader('X-Request-Id', id);
    const below = url.slice(basePath.length);
    try {
      await pipeline(req, res, notes, below.startsWith('/') ? below : `/${below}`);
    } catch (err) {
      answerBug(err, req, res, notes);
    }
    observe(req, res, url, id, notes, started);
  };

  // Bugs, from the pipeline or forwarded by Express 5, are logged (without the request's
  // secrets) and answered in the error shape, never with a stack trace.
  const answerBug = (err: unknown, req: IncomingMessage, res: ServerResponse, notes: RequestNotes | undefined) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500) logger.error({ err: { message: (err as Error)?.message }, path: redact((req as Request).originalUrl ?? req.url ?? '') }, 'unhandled error');
    if (notes) notes.errorCode = apiError.code;
    if (!res.headersSent) sendError(res, apiError);
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isApiUrl(req.url)) {
      void serveApi(req, res, req.url);
      return;
    }
    const started = performance.now();
    const id = requestId();
    const notes = newNotes();
    res.locals.notes = notes;
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => observe(req, res, req.originalUrl, id, notes, started));
    next();
  });

  const specJson = JSON.stringify(spec.document);
  const specYaml = readFileSync(PUBLIC_SPEC_PATH, 'utf8');
  app.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(specJson);
  });
  app.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(specYaml);
  });
  app.use('/docs', createDocsRouter());
  app.use('/_mock', createControlRouter({ clock, state, journal, config, reset }));

  app.use((_req: Request, res: Response) => {
    sendError(res, ApiError.notFound('route'));
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    answerBug(err, req, res, res.locals.notes as RequestNotes | undefined);
  });

  // The server's listener: requests under the base path skip Express's router and go
  // straight to the pipeline (the same code path Express takes to reach it).
  const handler: RequestListener = (req, res) => {
    if (isApiUrl(req.url ?? '')) void serveApi(req, res, req.url ?? '');
    else app(req, res);
  };

  return { app, handler, spec, config, clock, state, limiter, journal, plans, reset };
}

/** Creates the mock's Express app (see createMock for the handles). */
export function createApp(options: MockOptions = {}): Express {
  return createMock(options).app;
}
