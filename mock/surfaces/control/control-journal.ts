// /_mock/journal: the recent requests, newest last, and clearing them (control.yaml's
// getJournal, clearJournal).
import type { Request, Response, Router } from 'express';
import type { Journal } from '../../observability/journal';
import { sendJson } from '../../http/render';
import type { ControlSpec } from './control-spec';

/** Adds the journal's routes to the control router. */
export function journalRoutes(router: Router, journal: Journal, spec: ControlSpec): void {
  router.get('/journal', (req: Request, res: Response) => {
    sendJson(res, 200, { data: journal.list(spec.query<{ limit: number }>(req, 'getJournal').limit) });
  });
  router.delete('/journal', (_req, res) => {
    journal.clear();
    sendJson(res, 204, undefined);
  });
}
