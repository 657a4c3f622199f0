// /dashboard: the key dashboard, as the real product has one (create a key with permissions
// and an expiry, copy its secret once, rotate, revoke; usage per account; the fault rules
// and their firings; the request log, faulted requests marked; the clock). Plain files
// served by the mock (mock/surfaces/dashboard/): no CDN, no build step, no telemetry. The
// page drives the control API under its protections (same origin, Host check, control
// token), and its Content-Security-Policy lets it talk to no other origin. Loaded on the
// first request for it, so it costs start-up nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type Response } from 'express';
import { PACKAGE_ROOT } from '../../lib/paths';

const ASSETS = join(PACKAGE_ROOT, 'mock', 'surfaces', 'dashboard');
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'application/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/** No script, style or request may leave this mock; no framing; no referrer. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function createDashboardRouter(): Router {
  const router = Router({ strict: true });
  const files = new Map(Object.entries(FILES).map(([name, type]) => [name, { type, body: readFileSync(join(ASSETS, name)) }]));
  // Every answer under /dashboard, the redirect's HTML included: a framed redirect would
  // load the page it names.
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    // frame-ancestors 'none' in the CSP, and the same for browsers that only read this.
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const send = (res: Response, name: string) => {
    const file = files.get(name)!;
    res.setHeader('Content-Type', file.type);
    res.end(file.body);
  };
  // /dashboard -> /dashboard/, so the page's relative URLs resolve inside it.
  router.get('/', (req, res) => {
    const path = req.originalUrl.split('?')[0];
    if (!path.endsWith('/')) res.redirect(301, `${path}/`);
    else send(res, 'index.html');
  });
  router.get('/:file', (req, res, next) => {
    if (req.params.file === 'index.html' || !files.has(req.params.file)) next();
    else send(res, req.params.file);
  });
  return router;
}
