// Builds the mock's Express app from the OpenAPI document and its configuration. It never
// listens (server.ts does). Time, the seed and request ids are injected.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { readFileSync } from 'node:fs';
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

  const reset = () => {
    clock.reset();
    state.reset();
    limiter.reset();
    failureLimiter.reset();
    journal.clear();
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);

  // One log line per request, with secrets redacted wherever they came from.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const id = requestId();
    const notes: RequestNotes = { operationId: null, keyId: null, accountId: null, errorCode: null, forced: false };
    res.locals.notes = notes;
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = redact(req.originalUrl);
      // Built only when it will be written: this runs on every request.
      if (logger.isLevelEnabled('info')) logger.info(
        { req_id: id, method: req.method, path, status: res.statusCode, ms: Math.round(ms * 100) / 100, op: notes.operationId, key_id: notes.keyId, error: notes.errorCode, forced: notes.forced || undefined },
        'request',
      );
      if (path.startsWith(spec.basePath)) {
        journal.record({
          id,
          at: new Date(clock.now()).toISOString(),
          method: req.method,
          path,
          operation_id: notes.operationId,
          status: res.statusCode,
          error_code: notes.errorCode,
          key_id: notes.keyId,
          account_id: notes.accountId,
          forced: notes.forced,
          duration_ms: Math.round(ms * 1000) / 1000,
        });
      }
    });
    next();
  });

  app.use(spec.basePath, (req: Request, res: Response, next: NextFunction) => {
    pipeline(req, res, res.locals.notes as RequestNotes, req.url).catch(next);
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
  // Express 5 forwards rejected promises here. Bugs are logged (without the request's
  // secrets) and answered in the error shape, never with a stack trace.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500) logger.error({ err: { message: (err as Error)?.message }, path: redact(req.originalUrl) }, 'unhandled error');
    const notes = res.locals.notes as RequestNotes | undefined;
    if (notes) notes.errorCode = apiError.code;
    if (!res.headersSent) sendError(res, apiError);
  });

  return { app, spec, config, clock, state, limiter, journal, plans, reset };
}

/** Creates the mock's Express app (see createMock for the handles). */
export function createApp(options: MockOptions = {}): Express {
  return createMock(options).app;
}
