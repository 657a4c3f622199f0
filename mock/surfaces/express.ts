// The Express surface. `createMockMount` is what a host app mounts (`mock.router()`):
//   app.use(express.json()); app.use('/cortex', mock.router());
// It is the router and, after it, an error handler for the host's body parser: an error
// that happened before the mount never enters a mounted router (Express passes errors only
// to four-argument handlers), so a malformed body under the mount would get Express's HTML
// page instead of the mock's JSON 400. The API goes to the core (taking req.body when the host has parsed it); the spec files,
// /docs and /_mock are served under the mount with relative URLs; any other path calls
// next(), so the host's own routes under the same prefix still answer. The standalone app
// (what the server serves outside /v1) is that router plus a 404 in the error shape.
import express, { Router, type ErrorRequestHandler, type Express, type NextFunction, type Request, type Response } from 'express';
import { readFileSync } from 'node:fs';
import type { MockCore as Mock } from '../core';
import { createControlRouter } from './control/control-api';
import { createDocsRouter, FAVICON_SVG } from './docs';
import { ApiError } from '../errors/api-error';
import { isClientAbort } from '../http/exchange';
import { originForm } from '../http/host-check';
import { docsPreauthorizedKey } from './docs-key';
import { fromIncoming, REFUSED_AS_TOO_LARGE } from '../http/incoming';
import { errorResponse, sendError, toApiError, writeResponse } from '../http/render';
import { StoreUnavailableError } from '../store/unavailable';
import { PUBLIC_SPEC_PATH } from '../../lib/openapi/load-spec';
import { deliver } from './node-faults';

/** The paths the mock serves besides the API, relative to where it is mounted. */
const OWN_PATHS = ['/openapi.json', '/openapi.yaml', '/favicon.svg', '/favicon.ico', '/docs', '/dashboard', '/_mock'];

/** Logs a request served by Express (the API is logged by the core) and applies the Host check. */
function observed(mock: Mock) {
  return (req: Request, res: Response, next: NextFunction) => {
    const seen = mock.requests.start();
    res.setHeader('X-Request-Id', seen.id);
    const end = (aborted: boolean) =>
      seen.end(req.method, req.originalUrl, { response: { status: res.statusCode }, operationId: null, keyId: null, errorCode: (res.locals.cortexErrorCode as string | undefined) ?? null, forced: false, aborted });
    res.on('finish', () => end(false));
    res.on('close', () => {
      if (!res.writableFinished) end(true);
    });
    const refusal = mock.admit(req);
    if (refusal) {
      res.locals.cortexErrorCode = refusal.code;
      sendError(res, refusal);
      return;
    }
    next();
  };
}

/** Answers an error from the mock's own routes in the error shape; a bug is logged, never shown. */
function answerErrors(mock: Mock) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (!(err instanceof ApiError) && isClientAbort(err, { gone: () => req.socket?.destroyed === true })) return;
    const apiError = toApiError(err);
    if (!(err instanceof ApiError) && !(err instanceof StoreUnavailableError) && apiError.status >= 500) mock.requests.bug(err, req.originalUrl);
    res.locals.cortexErrorCode = apiError.code;
    if (!res.headersSent) writeResponse(res, errorResponse(apiError));
  };
}

/** The router a host app mounts (`mock.router()`). */
export function createMockRouter(mock: Mock): Router {
  const router = Router({ strict: true });
  router.use((req: Request, res: Response, next: NextFunction) => {
    // Under a mount, Express keeps an absolute-form target's scheme and host in req.url.
    if (!mock.isApiUrl(originForm(req.url))) {
      next();
      return;
    }
    // req.url is below the mount; the host's express.json() may have read the body.
    // A fault rule's response is delivered as the rule says, through res and req.socket (node-faults.ts).
    mock.serve(fromIncoming(req, req.url)).then((response) => deliver(res, response), next);
  });

  router.use(OWN_PATHS, observed(mock));
  const specJson = JSON.stringify(mock.spec.document);
  let specYaml: string | undefined;
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(specJson);
  });
  router.get('/openapi.yaml', (_req, res) => {
    specYaml ??= readFileSync(mock.spec.source ?? PUBLIC_SPEC_PATH, 'utf8');
    res.type('application/yaml').send(specYaml);
  });
  // Browsers ask for /favicon.ico whatever the page says: answer, so no console shows a 404.
  router.get(['/favicon.svg', '/favicon.ico'], (_req, res) => {
    res.type('image/svg+xml').send(FAVICON_SVG);
  });
  // The admin fixture, pre-authorized in /docs so "Try it out" works at the first click.
  router.use('/docs', createDocsRouter(docsPreauthorizedKey(mock.config)));
  // The dashboard's module is read on its first request: no start-up cost.
  let dashboard: Router | undefined;
  router.use('/dashboard', (req, res, next) => {
    dashboard ??= (require('./dashboard') as typeof import('./dashboard')).createDashboardRouter();
    dashboard(req, res, next);
  });
  router.use('/_mock', createControlRouter(mock));
  router.use(answerErrors(mock));
  return router;
}

/** What a host mounts: the mock's router, then the answer to its body parser's refusals. */
export type MockRouter = [Router, ErrorRequestHandler];

/**
 * The body a host's parser (body-parser: express.json() and its kin) refused, as the mock
 * will judge it: the bytes of a body that is not JSON, a body over the host's limit, or, for
 * a charset or Content-Encoding the parser does not take (it refuses those before reading),
 * the stream itself, unread. Null for any other error, which stays the host's.
 */
function refusedBody(err: unknown): Buffer | typeof REFUSED_AS_TOO_LARGE | undefined | null {
  const e = err as { type?: unknown; body?: unknown } | undefined;
  if (e?.type === 'entity.parse.failed' && typeof e.body === 'string') return Buffer.from(e.body, 'utf8');
  if (e?.type === 'entity.too.large') return REFUSED_AS_TOO_LARGE;
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return undefined;
  return null;
}

/**
 * The router and its error handler, for `app.use(prefix, mock.router())`. A request under
 * the mount whose body the host's parser refused is served as if the mock had read that
 * body itself: the same checks in the same order (a missing key is still a 401), then the
 * mock's own 400 invalid_json or 413, in JSON.
 */
export function createMockMount(mock: Mock): MockRouter {
  const router = createMockRouter(mock);
  const ownPath = (url: string) => OWN_PATHS.some((p) => url === p || url.startsWith(`${p}/`) || url.startsWith(`${p}?`));
  const hostParserRefused: ErrorRequestHandler = (err, req, res, next) => {
    const body = refusedBody(err);
    if (body === null || !(mock.isApiUrl(originForm(req.url)) || ownPath(originForm(req.url)))) {
      next(err);
      return;
    }
    (req as Request & { body: unknown }).body = body;
    router(req, res, next);
  };
  return [router, hostParserRefused];
}

/** The standalone app: the mock's router, then a 404 in the error shape for anything else. */
export function createStandaloneApp(mock: Mock): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);
  app.use(createMockRouter(mock));
  app.use(observed(mock), (_req: Request, res: Response) => {
    res.locals.cortexErrorCode = 'NOT_FOUND';
    sendError(res, ApiError.notFound('route'));
  });
  app.use(answerErrors(mock));
  return app;
}
