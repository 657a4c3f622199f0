// /_mock/accounts and /_mock/usage: adding an account (domain/auth/accounts.ts), and
// each account's usage a page at a time: the plan's limit and what remains of it (the
// limiter, peeked, not consumed), and the recent windows counted from the journal.
import type { Request, Response, Router } from 'express';
import { sendJson } from '../../http/render';
import { paginate } from '../../domain/resources/pagination';
import type { ControlSpec } from './control-spec';
import type { MockCore } from '../../core';

/** Adds the accounts' and usage's routes to the control router. */
export function accountRoutes(router: Router, deps: Pick<MockCore, 'clock' | 'state' | 'journal' | 'config' | 'limiter' | 'plans' | 'mutations'>, spec: ControlSpec): void {
  const { clock, state, journal, config } = deps;
  // Per account, a page at a time (the mock keeps up to max_accounts): the recent windows
  // are counted from the journal in one pass for the page's accounts.
  router.get('/usage', async (req: Request, res: Response) => {
    const q = spec.query<{ windows: number; limit: number; cursor?: string }>(req, 'getMockUsage');
    const now = clock.now();
    const page = paginate(state.keys.accounts(), q.limit, q.cursor, (account) => account, q.pointers.cursor, 'getMockUsage');
    // Each account's window at once (on Redis, the peeks go out together).
    const rates = await Promise.all(page.data.map((account) => {
      const plan = deps.plans.get(account.plan)!;
      return deps.limiter.peek(account.id, { limit: plan.requests_per_window, windowSeconds: plan.window_seconds }, now);
    }));
    const rows = page.data.map((account, i) => {
      const plan = deps.plans.get(account.plan)!;
      const rate = rates[i];
      const windowMs = plan.window_seconds * 1000;
      const currentStart = rate.reset * 1000 - windowMs;
      const windows = Array.from({ length: q.windows }, (_, i) => ({ start: currentStart - (q.windows - 1 - i) * windowMs, requests: 0, limited: 0 }));
      return { account, plan, rate, windowMs, windows };
    });
    const byAccount = new Map(rows.map((row) => [row.account.id, row]));
    for (const e of journal.list()) {
      const row = e.account_id === null ? undefined : byAccount.get(e.account_id);
      if (!row) continue;
      const i = Math.floor((Date.parse(e.at) - row.windows[0].start) / row.windowMs);
      if (i < 0 || i >= q.windows) continue;
      row.windows[i].requests++;
      if (e.status === 429) row.windows[i].limited++;
    }
    const data = rows.map(({ account, plan, rate, windows }) => ({
      account_id: account.id,
      name: account.name,
      plan: account.plan,
      limit: rate.limit,
      window_seconds: plan.window_seconds,
      remaining: rate.remaining,
      reset: rate.reset,
      windows: windows.map((w) => ({ ...w, start: new Date(w.start).toISOString() })),
    }));
    sendJson(res, 200, { now: new Date(now).toISOString(), data, has_more: page.has_more, next_cursor: page.next_cursor });
  });
  router.post('/accounts', async (req, res) => {
    const b = await spec.requiredBody<{ id: string; name: string; plan: string }>(req, 'addMockAccount');
    await deps.mutations.addAccount(b);
    sendJson(res, 201, b);
  });
}
