// /_mock/journal: the recent requests, newest last, and clearing them (control.yaml's
// getJournal, clearJournal).
import type { Request, Response, Router } from 'express';
import type { MockCore } from '../../core';
import { sendJson } from '../../http/render';
import type { ControlSpec } from './control-spec';

/** Adds the journal's routes to the control router: every instance's requests when they share a store. */
export function journalRoutes(router: Router, { journal, sharedJournal }: Pick<MockCore, 'journal' | 'sharedJournal'>, spec: ControlSpec): void {
  router.get('/journal', async (req: Request, res: Response) => {
    const { limit } = spec.query<{ limit: number }>(req, 'getJournal');
    sendJson(res, 200, { data: sharedJournal ? await sharedJournal.list(limit) : journal.list(limit) });
  });
  router.delete('/journal', async (_req, res) => {
    journal.clear();
    await sharedJournal?.clear();
    sendJson(res, 204, undefined);
  });
}
