// The control API under /_mock (openapi/control.yaml): reset, clock, keys, accounts, the
// request journal, the fault rules and the TLS set-up. Local only; it needs no API key and is never part of the public spec.
// Any web page its user visits can send requests to it, so control-guard.ts admits only
// same-origin requests, JSON bodies, and the control token when one is set. Which
// operations take a body, and whether it is required, is control.yaml's to say
// (control-spec.ts); each resource's routes are a file of their own.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { ApiError } from '../../errors/api-error';
import { STORE_RETRY_AFTER_SECONDS, StoreUnavailableError } from '../../store/unavailable';
import type { MockCore as Mock } from '../../core';
import { sendJson } from '../../http/render';
import { accountRoutes } from './control-accounts';
import { clockRoutes } from './control-clock';
import { conductRoutes } from './control-conduct';
import { createControlGuard } from './control-guard';
import { faultRoutes } from './control-faults';
import { journalRoutes } from './control-journal';
import { keyRoutes } from './control-keys';
import { createControlSpec } from './control-spec';
import { tlsRoutes } from './control-tls';

/** What the control API drives: the mock's handles (its token, when set, is required). */
export type ControlDeps = Pick<Mock, 'clock' | 'state' | 'journal' | 'config' | 'controlToken' | 'reset' | 'spec' | 'limiter' | 'plans' | 'tlsView' | 'faults' | 'conduct' | 'mutations' | 'replica' | 'sharedJournal'>;

/** The /_mock router. */
export function createControlRouter(deps: ControlDeps): Router {
  const spec = createControlSpec();
  const router = Router();
  router.use(createControlGuard({ controlToken: deps.controlToken }));
  // The control API describes itself: its spec, bundled so it stands alone, and an index
  // whose links are relative to where the control API is mounted.
  router.get('/', (req, res) => {
    const { index } = spec.described();
    const root = req.baseUrl.replace(/\/_mock$/, '');
    sendJson(res, 200, {
      name: index.name,
      description: index.description,
      spec: { json: `${root}/_mock/openapi.json`, yaml: `${root}/_mock/openapi.yaml` },
      docs: `${root}${index.docs}`,
      api: { base: `${root}${deps.spec.basePath}`, spec: `${root}/openapi.json` },
      endpoints: index.endpoints.map((e) => ({ ...e, path: `${root}${e.path}` })),
    });
  });
  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(spec.described().json);
  });
  router.get('/openapi.yaml', (_req, res) => {
    res.setHeader('Content-Type', 'application/yaml; charset=utf-8');
    res.end(spec.described().yaml);
  });
  // This instance's own: its TLS set-up and the conduct of the clients it served.
  tlsRoutes(router, deps.tlsView);
  conductRoutes(router, deps.conduct);
  // Instances that share a store: every request for the state first catches up with it.
  const { replica } = deps;
  if (replica) {
    router.use(async (_req, _res, next) => {
      await replica.sync();
      next();
    });
  }
  router.post('/reset', async (_req, res) => {
    await deps.reset();
    sendJson(res, 204, undefined);
  });
  clockRoutes(router, deps, spec);
  keyRoutes(router, deps, spec);
  accountRoutes(router, deps, spec);
  journalRoutes(router, deps, spec);
  faultRoutes(router, deps, spec);
  // The shared store away or too slow: 503 store_unavailable (it fails closed), not a bug.
  router.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => next(err instanceof StoreUnavailableError ? ApiError.storeUnavailable(STORE_RETRY_AFTER_SECONDS) : err));
  return router;
}
