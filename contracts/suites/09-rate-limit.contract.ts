// Rate limits: Remaining counts down by one per request and Reset is stable within a
// window; with --allow-exhaust, the window is used up and 429 arrives at exactly limit+1,
// with Retry-After consistent with the reset. Runs last: exhaustion affects the account.
import { checkRetryAfter, expectStatus, fail, rateLimitFigures } from '../lib/checks';
import type { Harness, Precondition } from '../lib/harness';
import type { HttpResponse } from '../lib/http';

/** The conduct rules of the mock's report this suite breaks by design (docs/harness.md#the-conduct-report). */
export const conductBreaks = {
  uncached_repeat: 'it counts the window down with GET /whoami, reading every answer whole (a 304 would be refunded and count nothing)',
  retry_before_reset: 'it sends on through a used-up window to check that every operation gets the 429, before its Retry-After',
  burst_over_limit: 'the same: requests keep coming after the first 429, on purpose',
  retried_auth_error: 'the 429s of a used-up window come before the permission check, so it sends operations earlier suites saw refused with a 403',
};

export function register(h: Harness): void {
const { call, cannot, isLive, itWhen, operation, settings, keyMissing, keyOf, describe } = h;
const op = operation('getWhoami');
const counts = h.can('rate-limits');
// The X- form's figures, or the IETF fields' when a server sends only those.
const figures = (res: HttpResponse) => rateLimitFigures(res);

/** Runs `attempt`; once more if a window boundary fell inside it (real clocks move). */
async function withinOneWindow(attempt: () => Promise<'ok' | 'window-changed'>): Promise<void> {
  if ((await attempt()) === 'ok') return;
  if ((await attempt()) === 'window-changed') throw new Error('[rate-limit-window] the window changed twice during the check');
}

describe('rate limits', () => {
  itWhen([counts, keyMissing('read')])('counts X-RateLimit-Remaining down by one per request, with a stable reset', async () => {
    await withinOneWindow(async () => {
      const seen = [];
      for (let i = 0; i < 4; i++) {
        const res = await call(op, { key: keyOf('read'), auth: 'valid' });
        expectStatus(op, res, 200, 'budget left');
        seen.push({ res, ...figures(res) });
      }
      for (let i = 1; i < seen.length; i++) {
        if (seen[i].reset !== seen[0].reset) return 'window-changed';
        if (seen[i].remaining !== seen[i - 1].remaining - 1) {
          fail('remaining-countdown', op, seen[i].res, `X-RateLimit-Remaining went ${seen[i - 1].remaining} -> ${seen[i].remaining}, not down by one`);
        }
        if (seen[i].limit !== seen[0].limit) fail('rate-limit-headers', op, seen[i].res, 'X-RateLimit-Limit changed within a window');
      }
      return 'ok';
    });
  });

  itWhen([
    counts,
    keyMissing('read'),
    [settings.allowExhaust, 'uses up the account\'s window: pass --allow-exhaust'],
    [!isLive(keyOf('read')) || settings.allowLive, 'the read key is a live key: pass --allow-live to exhaust a live account'],
  ])('refuses request limit+1 of a window with 429, Retry-After and the same reset', async () => {
    await withinOneWindow(async () => {
      const first = await call(op, { key: keyOf('read'), auth: 'valid' });
      expectStatus(op, first, 200, 'the window is not used up yet');
      const start = figures(first);
      // `remaining` more requests must pass; the one after them is limit+1.
      for (let left = start.remaining; left > 0; left--) {
        const res = await call(op, { key: keyOf('read'), auth: 'exhausted' });
        const now = figures(res);
        if (now.reset !== start.reset) return 'window-changed';
        if (res.status !== 200) fail('limit-plus-one', op, res, `429 came early: ${start.remaining - left + 2} of a limit of ${start.limit} (Remaining said ${left} left)`);
        if (now.remaining !== left - 1) fail('remaining-countdown', op, res, `X-RateLimit-Remaining is ${now.remaining}, expected ${left - 1}`);
      }
      const refused = await call(op, { key: keyOf('read'), auth: 'exhausted' });
      if (figures(refused).reset !== start.reset && refused.status === 200) return 'window-changed';
      if (refused.status !== 429) fail('limit-plus-one', op, refused, `request limit+1 (limit ${start.limit}) was answered ${refused.status}, not 429`);
      checkRetryAfter(op, refused);
      if (figures(refused).remaining !== 0) fail('rate-limit-headers', op, refused, 'X-RateLimit-Remaining is not 0 on a 429');
      if (figures(refused).reset !== start.reset) fail('reset-stable', op, refused, 'X-RateLimit-Reset moved on the 429');
      const again = await call(op, { key: keyOf('read'), auth: 'exhausted' });
      if (again.status !== 429 && figures(again).reset === start.reset) fail('limit-plus-one', op, again, 'a refused request freed budget in the same window');
      // While the window is used up, every operation answers 429: the limit comes before the
      // permission and the request's validity (x-cortex-check-order), so ids and bodies need not be real.
      for (const other of h.spec.operations) {
        const body = h.exampleBody(other);
        const params = Object.fromEntries(other.parameters.filter((p) => p.in === 'path').map((p) => [p.name, 'placeholder']));
        const res = await call(other, { key: keyOf('read'), auth: 'exhausted', params, ...(body !== undefined ? { body } : {}) });
        if (figures(res).reset !== start.reset && res.status !== 429) return 'window-changed';
        expectStatus(other, res, 429, 'the account\'s window is used up');
      }
      return 'ok';
    });
  });
});
}
