// /_mock/conduct: each client's findings against the API's documented practices
// (control.yaml's getConduct, docs/conduct.md). POST /_mock/reset clears it.
import type { Router } from 'express';
import type { MockConduct } from '../../core';
import { sendJson } from '../../http/render';

/** Adds the conduct report's route to the control router. */
export function conductRoutes(router: Router, conduct: MockConduct): void {
  router.get('/conduct', (_req, res) => sendJson(res, 200, conduct()));
}
