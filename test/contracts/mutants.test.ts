// The harness must be able to fail: each deliberately broken variant of the mock is run
// through the full contract suites, and must be caught by the named check that covers it.
import { startMockServer } from '../../mock/server';
import { CONTRACT_ENV, runContracts } from '../helpers/contract-run';
import { startMutantProxy, type Mutation, type ProxiedResponse } from '../helpers/mutant-proxy';
import { T0_ISO } from '../helpers/start-time';

// Spawns processes and servers: sized for a machine with both cores busy.
jest.setTimeout(120_000);

const KEYS = CONTRACT_ENV;

const errorOf = (res: ProxiedResponse) => (res.body as { error?: Record<string, unknown> } | undefined)?.error;

interface Mutant {
  name: string;
  /** The check that must catch it. */
  check: string;
  mutate: Mutation;
  /** Plan overrides for the mock behind the proxy. */
  plans?: Record<string, { requests_per_window: number }>;
  /** What a failure of that check must say, where the check has more than one cause. */
  message?: RegExp;
}

/**
 * Sets the figures of both rate-limit forms alike (X-RateLimit-Limit and q, Remaining and r),
 * so a mutant that breaks the counting is caught by the counting checks, not by the two
 * forms disagreeing.
 */
function setFigures(res: ProxiedResponse, figures: { limit?: number; remaining?: number }): void {
  if (figures.limit !== undefined) {
    res.headers['x-ratelimit-limit'] = String(figures.limit);
    res.headers['ratelimit-policy'] = String(res.headers['ratelimit-policy']).replace(/;q=\d+/, `;q=${figures.limit}`);
  }
  if (figures.remaining !== undefined) {
    res.headers['x-ratelimit-remaining'] = String(figures.remaining);
    res.headers['ratelimit'] = String(res.headers['ratelimit']).replace(/;r=\d+/, `;r=${figures.remaining}`);
  }
}

/** The `t` of a RateLimit field (`"developer";r=4;t=30`), or undefined. */
const tOf = (field: unknown) => (typeof field === 'string' ? Number(/;t=(\d+)/.exec(field)?.[1]) : undefined);

const MUTANTS: Mutant[] = [
  {
    name: 'drops X-RateLimit-Remaining from successful responses',
    check: 'rate-limit-headers',
    mutate: (res) => {
      if (res.status < 300) delete res.headers['x-ratelimit-remaining'];
    },
  },
  {
    name: 'answers 401 where 403 is due',
    check: 'expected-status',
    mutate: (res) => {
      if (res.status === 403) res.status = 401;
    },
  },
  {
    name: 'leaves details out of error bodies',
    check: 'body-schema',
    mutate: (res) => {
      const error = errorOf(res);
      if (error) delete error.details;
    },
  },
  {
    name: 'answers an undocumented status (422 for 409)',
    check: 'status-documented',
    mutate: (res) => {
      if (res.status === 409) res.status = 422;
    },
  },
  {
    name: 'sends a schema-invalid 200 body (scans without progress)',
    check: 'body-schema',
    mutate: (res, req) => {
      if (res.status === 200 && req.path.startsWith('/v1/scans')) {
        const body = res.body as { data?: Array<Record<string, unknown>> };
        for (const scan of body.data ?? [body as Record<string, unknown>]) delete scan.progress;
      }
    },
  },
  {
    name: 'never decreases X-RateLimit-Remaining',
    check: 'remaining-countdown',
    mutate: (res) => {
      if (res.headers['x-ratelimit-limit'] !== undefined && res.status !== 429) setFigures(res, { remaining: Number(res.headers['x-ratelimit-limit']) - 1 });
    },
  },
  {
    name: 'answers 429 one request late',
    check: 'limit-plus-one',
    // The mock allows 501 while the proxy reports a limit of 500, one less remaining.
    plans: { developer: { requests_per_window: 501 } },
    mutate: (res) => {
      if (res.headers['x-ratelimit-limit'] === undefined) return;
      setFigures(res, { limit: Number(res.headers['x-ratelimit-limit']) - 1, remaining: Math.max(0, Number(res.headers['x-ratelimit-remaining']) - 1) });
      const details = errorOf(res)?.details as Record<string, number> | undefined;
      if (details?.limit) {
        details.limit -= 1;
      }
    },
  },
  {
    name: 'sends a RateLimit whose r disagrees with X-RateLimit-Remaining',
    check: 'rate-limit-fields',
    message: /RateLimit r=\d+ differs from X-RateLimit-Remaining/,
    mutate: (res) => {
      const field = res.headers['ratelimit'];
      // One off, down (or up from 0): still within 0..q, so only the comparison can see it.
      if (typeof field === 'string') res.headers['ratelimit'] = field.replace(/;r=(\d+)/, (_m, r: string) => `;r=${r === '0' ? 1 : Number(r) - 1}`);
    },
  },
  {
    name: 'sends only the IETF fields, with a 429 whose Retry-After is earlier than t',
    check: 'retry-after',
    message: /Retry-After "?\d+"? is earlier than RateLimit t=\d+/,
    mutate: (res) => {
      // An [ietf]-only server: no X- form to compare with, so only the IETF check can see it.
      for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) delete res.headers[h];
      const t = tOf(res.headers['ratelimit']);
      if (res.status !== 429 || !t) return;
      res.headers['retry-after'] = String(t - 1);
      const details = errorOf(res)?.details as Record<string, number> | undefined;
      if (details && 'retry_after_seconds' in details) details.retry_after_seconds = t - 1;
    },
  },
  {
    name: 'answers 304 to any If-None-Match, though the list has changed since its ETag',
    check: 'caching',
    message: /a 304 for a list that changed/,
    mutate: (res, req) => {
      const tag = req.headers['if-none-match'];
      if (res.status !== 200 || typeof tag !== 'string') return;
      res.status = 304;
      res.body = undefined;
      res.headers.etag = tag;
      delete res.headers['content-type'];
    },
  },
];

const caught: string[] = [];

describe('the harness against broken mocks', () => {
  afterAll(() => {
    process.stdout.write(`mutation score: ${caught.length}/${MUTANTS.length} mutants caught\n`);
  });

  it.each(MUTANTS.map((m) => [m.name, m] as const))('catches a mock that %s', async (_name, mutant) => {
    const mock = await startMockServer({ config: { clock: T0_ISO, ...(mutant.plans ? { plans: mutant.plans } : {}) } });
    const proxy = await startMutantProxy(mock.url, mutant.mutate);
    try {
      const run = await runContracts(['--base-url', `${proxy.url}/v1`, '--allow-writes', '--allow-exhaust', '--prefer-codes'], KEYS);
      expect(run.code).toBe(1);
      expect(run.results.failed).toBeGreaterThan(0);
      expect(run.results.failures.map((f) => f.check)).toContain(mutant.check);
      if (mutant.message) expect(run.results.failures.filter((f) => f.check === mutant.check).map((f) => f.message)).toContainEqual(expect.stringMatching(mutant.message));
      caught.push(mutant.name);
    } finally {
      await proxy.close();
      await mock.close();
    }
  });
});
