// /_mock/tls: the CA that signed the mock's certificate and the bad-certificate profiles
// (control.yaml's getTls). Over plain HTTP there is no TLS set-up: a 404 that says how to
// have one.
import type { Router } from 'express';
import { ApiError } from '../../errors/api-error';
import { sendJson } from '../../http/render';
import type { TlsView } from '../../tls/view';

/** Adds GET /tls to the control router. */
export function tlsRoutes(router: Router, tlsView: () => TlsView | undefined): void {
  router.get('/tls', (_req, res) => {
    const view = tlsView();
    if (!view) throw new ApiError(404, 'NOT_FOUND', 'This mock serves plain HTTP: start it with --tls (startMockServer({ tls: true })) to have a TLS set-up', { resource: 'tls' });
    sendJson(res, 200, view);
  });
}
