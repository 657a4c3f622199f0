// @ts-nocheck
// Everything but the API: the spec files, /docs and the control API, on Express. It is
// built on the first request that needs it (or when `mock.app` is read), so a mock that
// only serves /v1 never loads Express at all.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createControlRouter, type ControlDeps } from './control/control-api';
import { createDocsRouter, FAVICON_SVG } from './docs';
import { ApiError } from './errors/api-error';
import { sendError } from './errors/render';
import type { RequestNotes } from './pipeline/pipeline';
import { PUBLIC_SPEC_PATH, type LoadedSpec } from '../lib/openapi/load-spec';

export interface ExpressAppDeps extends ControlDeps {
  spec: LoadedSpec;
  isApiUrl(url: string): boolean;
  /** Answers a request under the base path; it never rejects. */
  serveApi(req: IncomingMessage, res: ServerResponse, url: string): Promise<void>;
  /** Starts observing a request; the returned function logs it once it has ended. */
  track(req: IncomingMessage, res: ServerResponse): { notes: RequestNotes; done(url: string): void };
  answerBug(err: unknown, req: IncomingMessage, res: ServerResponse, notes: RequestNotes | undefined): void;
  /** The Host checks of every route: undefined to go on, else the error to send. */
  admit(req: IncomingMessage): ApiError | undefined;
}

export function createExpressApp(deps: ExpressAppDeps): Express {
  const { spec, isApiUrl, serveApi, track, answerBug, admit } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    // In-process callers (supertest) reach the API through Express; it answers the same.
    if (isApiUrl(req.url)) {
      void serveApi(req, res, req.url);
      return;
    }
    const tracked = track(req, res);
    res.locals.notes = tracked.notes;
    res.on('finish', () => tracked.done(req.originalUrl));
    res.on('close', () => {
      if (!res.writableFinished) {
        tracked.notes.aborted = true;
        tracked.done(req.originalUrl);
      }
    });
    const refusal = admit(req);
    if (refusal) {
      tracked.notes.errorCode = refusal.code;
      sendError(res, refusal);
      return;
    }
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
  app.get('/favicon.svg', (_req, res) => {
    res.type('image/svg+xml').send(FAVICON_SVG);
  });
  // Browsers ask for /favicon.ico whatever the page says: answer, so no console shows a 404.
  app.get('/favicon.ico', (_req, res) => {
    res.type('image/svg+xml').send(FAVICON_SVG);
  });
  // The admin fixture, pre-authorized in /docs so "Try it out" works at the first click.
  const docsKey = deps.config.keys.find((k) => k.well_known_secret && k.mode === 'test' && k.status === 'active' && k.permissions.includes('admin'))?.well_known_secret;
  app.use('/docs', createDocsRouter(docsKey));
  app.use('/_mock', createControlRouter(deps));

  app.use((_req: Request, res: Response) => {
    sendError(res, ApiError.notFound('route'));
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    answerBug(err, req, res, res.locals.notes as RequestNotes | undefined);
  });
  return app;
}
