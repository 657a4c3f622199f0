// Sending within the rate-limit budget: every request of a run goes out here, bounded by
// the deadline and the response caps, its text redacted. A 429 the run did not ask for is
// waited out (Retry-After on a real server; the mock's clock moved on), or ends the run
// with one stop that says whose budget is spent.
import type { SignHow } from './http';
import type { LoadedSpec } from '../../lib/openapi/load-spec';
import { serverValue } from './checks';
import type { HttpResponse, Transport } from './http';
import { KEY_ENV, type KeyRole, type Settings } from './settings';
import { RunStopped } from './stop';

export interface BudgetContext {
  settings: Settings;
  transport: Transport;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  spec: LoadedSpec;
  redact: (text: string) => string;
}

/** What a request carries: its headers and body. */
export interface SendInit {
  headers: Record<string, string>;
  body?: string;
  /** Signing of this request, when the run signs (http.ts SendOptions.sign). */
  sign?: false | SignHow;
}

/** When the window resets, as X-RateLimit-Reset says (UNIX epoch seconds), or what is wrong with it. */
function resetText(header: string | undefined, redactText: (text: string) => string): string {
  if (header === undefined) return 'the 429 has no X-RateLimit-Reset, so when the budget returns is not known';
  // Epoch seconds a Date can hold (ECMA-262 section 21.4.1.22: 8.64e15 ms either side of 1970).
  if (/^\d{1,12}$/.test(header) && Number(header) * 1000 <= 8.64e15) return `it resets at ${new Date(Number(header) * 1000).toISOString()}`;
  return `its X-RateLimit-Reset ${serverValue(header, redactText)} is not UNIX epoch seconds, so when the budget returns is not known`;
}

/** The run's sender: `send(method, url, init, tolerate429)`. */
export function createBudgetedSend({ settings, transport, sleep, now, spec, redact }: BudgetContext) {
  const roleOfKey = new Map<string, KeyRole>(Object.entries(settings.keys).map(([role, key]) => [key!, role as KeyRole]));

  /** One request within the deadline and the caps, its text redacted. */
  async function sendOnce(method: string, url: string, init: SendInit): Promise<HttpResponse> {
    const left = settings.deadline - now();
    if (left <= 0) throw new RunStopped('deadline', 'the run reached its deadline (--max-time)');
    const got = await transport.send(method, url, { ...init, timeoutMs: Math.min(settings.timeoutMs, left), maxBytes: settings.maxResponseBytes, maxDepth: settings.maxJsonDepth, maxContainers: settings.maxJsonContainers, redact });
    // The text is only ever quoted, often cut to an excerpt: redacted whole first, so no
    // cut leaves part of a secret behind. The checks read the parsed body.
    return { ...got, text: redact(got.text) };
  }

  /** Sends, and when an unexpected 429 says the budget is gone, waits for it or stops. */
  async function sendWithinBudget(method: string, url: string, init: SendInit, tolerate429: boolean): Promise<HttpResponse> {
    const send = () => sendOnce(method, url, init);
    const res = await send();
    if (res.status !== 429 || tolerate429) return res;
    const error = (res.body as { error?: { code?: string; details?: unknown } } | undefined)?.error;
    const details = error?.details;
    const hasDetails = typeof details === 'object' && details !== null && !Array.isArray(details);
    const hasRetryAfter = /^\d+$/.test(res.headers['retry-after'] ?? '');
    // A 429 that does not say when the budget returns would meet every further check the
    // same way: one named stop instead of a failure (or a TypeError) per check.
    if (!hasDetails || !hasRetryAfter) {
      const missing = [hasRetryAfter ? '' : 'no Retry-After header', hasDetails ? '' : 'no error.details'].filter(Boolean).join(' and ');
      throw new RunStopped('malformed-429', `${res.request} -> 429 with ${missing}: a rate-limit refusal that does not say when the budget returns (the spec requires both), so the run stops here`);
    }
    if (error?.code !== 'RATE_LIMIT_EXCEEDED') return res;
    const retryAfter = Number(res.headers['retry-after']);
    let waited: string;
    if (settings.controlUrl) {
      // Our own mock: move its clock to the next window instead of waiting.
      await transport.send('POST', `${settings.controlUrl}/clock/advance`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ seconds: Math.max(1, retryAfter) }), timeoutMs: settings.timeoutMs });
      const again = await send();
      if (again.status !== 429) return again;
      waited = `the mock's clock was moved on by Retry-After (${retryAfter} s) and the server still answers 429`;
    } else if (retryAfter * 1000 + 1000 < settings.deadline - now()) {
      await sleep(retryAfter * 1000 + 1000);
      const again = await send();
      if (again.status !== 429) return again;
      waited = `the run waited out Retry-After (${retryAfter} s) and the server still answers 429`;
    } else {
      waited = `waiting out Retry-After (${retryAfter} s) would pass this run's deadline (--max-time)`;
    }
    throw new RunStopped('rate-limit-budget', budgetMessage(init.headers, url, res, waited));
  }

  /**
   * The stop on a spent budget, in words that hold whatever the 429 says: every value it
   * took from the server is checked against the spec's shape for it (a plan id of
   * x-cortex-plans, a whole limit, a reset in epoch seconds) and quoted bounded when it does
   * not fit, so a 9 MB `details.plan` makes a message of a few hundred characters.
   */
  function budgetMessage(headers: Record<string, string>, url: string, res: HttpResponse, waited: string): string {
    const details = (res.body as { error: { details: Record<string, unknown> } }).error.details;
    const key = headers.Authorization?.replace(/^Bearer /, '') ?? new URL(url).searchParams.get('api_key') ?? '';
    const role = roleOfKey.get(key);
    const whose = role ? `the key in ${KEY_ENV[role]}` : key ? 'a key of the run' : 'this client, whose request carried no key';
    const planIds = spec.plans.map((p) => p.id);
    const limit = Number.isInteger(details.limit) && (details.limit as number) >= 1 ? `${String(details.limit)} request${details.limit === 1 ? '' : 's'} per window` : details.limit === undefined ? 'details.limit not given' : `details.limit ${serverValue(details.limit, redact)}, not a whole number of requests`;
    const plan = typeof details.plan === 'string' && planIds.includes(details.plan) ? `plan ${details.plan}` : `details.plan ${serverValue(details.plan, redact)}, not a plan id of the spec (${planIds.join(', ')})`;
    const budget =
      details.plan !== undefined
        ? `the rate-limit budget of ${whose} (${plan}; ${limit}) is used up`
        : `the server's limit on failed authentications from this client (${limit}) is reached`;
    return `stopped at the first 429: ${budget}; ${waited}; ${resetText(res.headers['x-ratelimit-reset'], redact)}. Run again after the reset.`;
  }

  return sendWithinBudget;
}
