// Broken servers that only generation or state can find: each is a proxy in front of a
// correct mock that breaks one behaviour, and the default generative run (--generate,
// default examples) must catch it with its named check.
import { startMockServer } from '../../mock/server';
import { CONTRACT_ENV, runContracts } from '../helpers/contract-run';
import { startMutantProxy, type Interception, type Mutation } from '../helpers/mutant-proxy';
import { T0_ISO } from '../helpers/start-time';

jest.setTimeout(120_000);

const KEYS = CONTRACT_ENV;

const error = (status: number, code: string, message: string, details: Record<string, unknown>) => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '500', 'x-ratelimit-remaining': '400', 'x-ratelimit-reset': '1793523660' },
  body: { error: { code, message, details } },
});

interface BehaviourMutant {
  name: string;
  check: string;
  mutate?: Mutation;
  intercept?: Interception;
}

const BEHAVIOUR_MUTANTS: BehaviourMutant[] = [
  {
    name: 'answers 500 when limit is above 90',
    check: 'not_a_server_error',
    intercept: (req) => {
      const limit = Number(new URL(req.path, 'http://x').searchParams.get('limit'));
      return limit > 90 ? error(500, 'INTERNAL_ERROR', 'limit too high', {}) : undefined;
    },
  },
  {
    name: 'creates with 201 when the body has an extra property',
    check: 'negative_data_rejection',
    // The extra property is dropped before the (correct) mock sees it.
    intercept: (req) => {
      if (req.method !== 'POST' || !/^\/v1\/(scans|users|api-keys)(\?|$)/.test(req.path) || !req.body) return undefined;
      try {
        const body = JSON.parse(req.body) as Record<string, unknown>;
        delete body.x_unexpected;
        return { body: JSON.stringify(body) };
      } catch {
        return undefined;
      }
    },
  },
  {
    name: 'keeps a deleted user readable',
    check: 'use_after_free',
    intercept: (req) => (req.method === 'DELETE' && /^\/v1\/users\/[^/?]+/.test(req.path) ? { status: 204, headers: { 'x-ratelimit-limit': '500', 'x-ratelimit-remaining': '400', 'x-ratelimit-reset': '1793523660' }, body: undefined } : undefined),
  },
  {
    name: 'lists a revoked key as active',
    check: 'use_after_free',
    mutate: (res, req) => {
      if (!req.path.startsWith('/v1/api-keys')) return;
      const body = res.body as { status?: string; data?: Array<{ status?: string }> } | undefined;
      if (body?.status === 'revoked') body.status = 'active';
      for (const item of body?.data ?? []) if (item.status === 'revoked') item.status = 'active';
    },
  },
  {
    name: "refuses a valid target at its pattern's edge (253 characters) with 400",
    check: 'positive_data_acceptance',
    intercept: (req) => {
      if (req.method !== 'POST' || !/^\/v1\/scans(\?|$)/.test(req.path)) return undefined;
      try {
        const target = (JSON.parse(req.body) as { target?: unknown }).target;
        return typeof target === 'string' && target.length === 253 ? error(400, 'INVALID_REQUEST', 'Body field "target" is too long', { parameter: 'target', location: 'body', schema_path: '#/components/schemas/ScanCreate/properties/target/maxLength' }) : undefined;
      } catch {
        return undefined;
      }
    },
  },
];

const caught: string[] = [];

describe('the generative phase against servers broken in behaviour', () => {
  afterAll(() => {
    process.stdout.write(`behaviour mutants: ${caught.length}/${BEHAVIOUR_MUTANTS.length} caught\n`);
  });

  it.each(BEHAVIOUR_MUTANTS.map((m) => [m.name, m] as const))('catches a server that %s', async (_name, mutant) => {
    const mock = await startMockServer({ config: { clock: T0_ISO } });
    const proxy = await startMutantProxy(mock.url, mutant.mutate ?? (() => undefined), mutant.intercept);
    try {
      const run = await runContracts(['--base-url', `${proxy.url}/v1`, '--control-url', `${mock.url}/_mock`, '--allow-writes', '--generate', '--seed', '1'], KEYS);
      expect(run.code).toBe(1);
      const checks = run.results.failures.map((f) => f.check);
      expect(checks).toContain(mutant.check);
      // The report carries the seed and a curl command with the key as a variable.
      const failure = run.results.failures.find((f) => f.check === mutant.check)!;
      expect(failure.message.length).toBeGreaterThan(0);
      caught.push(mutant.name);
    } finally {
      await proxy.close();
      await mock.close();
    }
  });

  it('passes the same run against the correct mock, so each catch is the break', async () => {
    const mock = await startMockServer({ config: { clock: T0_ISO } });
    const proxy = await startMutantProxy(mock.url, () => undefined);
    try {
      const run = await runContracts(['--base-url', `${proxy.url}/v1`, '--control-url', `${mock.url}/_mock`, '--allow-writes', '--generate', '--seed', '1'], KEYS);
      expect(run.results.failures).toEqual([]);
      expect(run.code).toBe(0);
    } finally {
      await proxy.close();
      await mock.close();
    }
  });
});
