// The contract harness against the mock in-process, the mock as a separate process, and
// Prism's mock of the same spec.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_ENV, runContracts } from '../helpers/contract-run';
import { T0_ISO } from '../helpers/start-time';

// Spawns processes and servers: sized for a machine with both cores busy.
jest.setTimeout(120_000);

describe('the contract harness', () => {
  it.each([['mock'], ['mock-process']])('passes against the %s target, exercising every documented (operation, status) pair', async (target) => {
    const run = await runContracts(['--target', target]);
    expect(run.results.failures).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.results.passed).toBeGreaterThan(250);
    expect(run.results.skipped).toBe(0);
    expect(run.coverage.exercisedPairs).toBe(run.coverage.documentedPairs);
    expect(run.coverage.documentedPairs).toBeGreaterThan(100);
    const junit = readFileSync(join(run.reportDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites [^>]*tests="\d+"[^>]*failures="0"/);
    expect(existsSync(join(run.reportDir, 'coverage.md'))).toBe(true);
    expect(run.output).toMatch(/Coverage: (\d+) of \1 documented/);
    expect(run.output).toMatch(/getWhoami\s+x\s+F?x?/);
    // Honest coverage: every pair the mock can produce on its own is reached by a real
    // request; only 503 (a fault no request can cause) is reached only through Prefer: code.
    const cells = (run.coverage as unknown as { cells: Array<{ operationId: string; status: number; auth: string[] }> }).cells;
    const forcedOnly = cells.filter((c) => c.auth.length > 0 && c.auth.every((a) => a === 'forced'));
    expect([...new Set(forcedOnly.map((c) => c.status))]).toEqual([503]);
  });

  it.each([[['ietf']], [['x']]] as const)('passes against a mock that sends only the %j rate-limit fields, counting down in that form', async (forms) => {
    const { startMockServer } = await import('../../mock/server');
    const server = await startMockServer({ config: { clock: T0_ISO, rate_limit_headers: [...forms] } });
    try {
      const run = await runContracts(['--base-url', server.baseUrl, '--allow-writes', '--allow-exhaust', '--prefer-codes'], CONTRACT_ENV);
      expect(run.results.failures).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.results.passed).toBeGreaterThan(250);
    } finally {
      await server.close();
    }
  });

  it('runs the generative phase against the mock, seeded and repeatable, within its time', async () => {
    const started = Date.now();
    const first = await runContracts(['--target', 'mock', '--generate', '--seed', '11', '--examples', '25']);
    expect(first.results.failures).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/generative phase with seed 11/);
    expect(first.results.passed).toBeGreaterThan(300);
    const again = await runContracts(['--target', 'mock', '--generate', '--seed', '11', '--examples', '25']);
    expect(again.results.passed).toBe(first.results.passed);
    // Not a timing assertion on the mock: the bound the issue sets, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('runs the generative phase against Prism, and names what Prism cannot satisfy', async () => {
    const run = await runContracts(['--target', 'prism', '--generate', '--seed', '11']);
    expect(run.results.failures).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/Prism answers a request that breaks the spec with 422/);
  });

  it('runs what Prism can satisfy, and names what it cannot do', async () => {
    const run = await runContracts(['--target', 'prism']);
    expect(run.results.failures).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.results.passed).toBeGreaterThan(100);
    expect(run.results.skipped).toBeGreaterThan(50);
    expect(run.output).toMatch(/Prism does not check permissions/);
    expect(run.output).toMatch(/Prism does not count requests/);
    expect(run.output).toMatch(/Prism checks only that a credential is present/);
    const missing = run.coverage.cells.filter((c) => !c.exercised);
    for (const cell of missing) expect(cell.reason).toMatch(/Prism holds no state/);
  });

  it('fails a run that skipped checks for want of keys, naming the variables, and tells those skips from the ones not asked for', async () => {
    const { startMockServer } = await import('../../mock/server');
    const server = await startMockServer({ config: { clock: T0_ISO } });
    try {
      const run = await runContracts(['--base-url', server.baseUrl], { CORTEX_API_KEY: 'sk_test_readonly_00000000000000000001' });
      expect(run.code).toBe(1);
      expect(run.results.failed).toBe(0);
      const last = run.output.trimEnd().split('\n').pop();
      expect(last).toBe(`contract: FAILED: CORTEX_WRITE_KEY, CORTEX_ADMIN_KEY, CORTEX_NOPERM_KEY, CORTEX_EXPIRED_KEY, CORTEX_REVOKED_KEY are not set, so ${run.results.skippedBecause['missing-key']} checks were skipped: set them, or pass --allow-missing-keys to accept the partial run`);
      const because = run.results.skippedBecause;
      expect(run.results.errors.map((e) => e.kind)).toEqual(['missing-keys']);
      expect(because['missing-key']).toBeGreaterThan(0);
      expect(because['not-asked']).toBeGreaterThan(0);
      expect(because['missing-key'] + because['not-asked'] + because['target-cannot']).toBe(run.results.skipped);
      const junit = readFileSync(join(run.reportDir, 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<skipped message="key missing: CORTEX_ADMIN_KEY is not set"\/>/);
      expect(junit).toMatch(/<skipped message="not asked: a mutating operation: pass --allow-writes"\/>/);
      expect(junit).toMatch(/<error type="missing-keys" message="CORTEX_WRITE_KEY, CORTEX_ADMIN_KEY/);
      expect(run.output).toMatch(/because a key is missing:\n(    \d+ x CORTEX_\w+_KEY is not set\n)+  because the run was not asked to:\n    \d+ x a mutating operation: pass --allow-writes/);
    } finally {
      await server.close();
    }
  });

  it('fails a run with no key at all, even with --allow-missing-keys', async () => {
    const { startMockServer } = await import('../../mock/server');
    const server = await startMockServer({ config: { clock: T0_ISO } });
    try {
      const run = await runContracts(['--base-url', server.baseUrl, '--allow-missing-keys']);
      expect(run.code).toBe(1);
      expect(run.results.failed).toBe(0);
      expect(run.output.trimEnd().split('\n').pop()).toBe('contract: FAILED: no key was given: set CORTEX_API_KEY, CORTEX_WRITE_KEY, CORTEX_ADMIN_KEY, CORTEX_NOPERM_KEY, CORTEX_EXPIRED_KEY, CORTEX_REVOKED_KEY (a run without keys checks only what needs none, so it never passes)');
      expect(readFileSync(join(run.reportDir, 'junit.xml'), 'utf8')).toMatch(/<error type="no-keys"/);
    } finally {
      await server.close();
    }
  });

  it('with --allow-missing-keys, passes what it can run and says which scenarios it skipped and why', async () => {
    const { startMockServer } = await import('../../mock/server');
    const server = await startMockServer({ config: { clock: T0_ISO } });
    try {
      const run = await runContracts(['--base-url', server.baseUrl, '--allow-missing-keys'], { CORTEX_API_KEY: 'sk_test_readonly_00000000000000000001' });
      expect(run.code).toBe(0);
      expect(run.output.trimEnd().split('\n').pop()).toMatch(/^contract: PASSED \(\d+ checks\)$/);
      expect(run.results.failed).toBe(0);
      expect(run.output).toMatch(/\d+ x CORTEX_ADMIN_KEY is not set/);
      expect(run.output).toMatch(/\d+ x a mutating operation: pass --allow-writes/);
      expect(run.output).toMatch(/uses up the account's window: pass --allow-exhaust/);
      // Read-only by default: nothing was created.
      expect(server.mock.journal.list(100_000).filter((e) => e.method !== 'GET')).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('stops a second read-only run against a frozen mock at the first 429, with one message naming the budget and its reset', async () => {
    const { startMockServer } = await import('../../mock/server');
    const server = await startMockServer({ config: { clock: T0_ISO, plans: { developer: { requests_per_window: 100 } } } });
    const keys = CONTRACT_ENV;
    try {
      const first = await runContracts(['--base-url', server.baseUrl, '--max-time', '20'], keys);
      expect(first.results.failures).toEqual([]);
      expect(first.code).toBe(0);
      const second = await runContracts(['--base-url', server.baseUrl, '--max-time', '20'], keys);
      // A read-only run takes about 60 requests of the 100: the second stops once, never
      // with a score of failures put down to other checks.
      expect(second.results.failures).toEqual([]);
      expect(second.code).toBe(1);
      expect(second.results.stopped).toMatchObject({ kind: 'rate-limit-budget' });
      expect(second.results.stopped!.message).toMatch(/budget of the key in CORTEX_(API|ADMIN|WRITE)_KEY \(plan developer; 100 requests per window\) is used up; waiting out Retry-After \(\d+ s\) would pass this run's deadline \(--max-time\); it resets at 2026-11-01T09:01:00\.000Z/);
      expect(second.output.match(/STOPPED/g)).toHaveLength(1);
      expect(second.results.notRun).toBeGreaterThan(0);
      expect(readFileSync(join(second.reportDir, 'junit.xml'), 'utf8')).toMatch(/<error type="rate-limit-budget" message="stopped at the first 429: the rate-limit budget of the key in CORTEX_/);
    } finally {
      await server.close();
    }
  });

  it('refuses to change live data with a live key unless --allow-live', async () => {
    const { startMockServer } = await import('../../mock/server');
    // Live keys that fit their variables, so the run goes past the key check to its suites.
    const live = (name: string, permissions: Array<'read' | 'write' | 'admin'>) => ({ id: `key_live_${name}`, name, secret: `sk_live_contract_${name}_${'0'.repeat(24)}`, account_id: 'acct_developer', permissions });
    const keys = [live('write', ['write']), live('admin', ['admin'])];
    const server = await startMockServer({ config: { clock: T0_ISO, allow_live_keys: true, keys } });
    try {
      const run = await runContracts(['--base-url', server.baseUrl, '--allow-writes', '--allow-exhaust'], { CORTEX_API_KEY: 'sk_live_MOCK_fixture_not_a_real_key_08', CORTEX_WRITE_KEY: keys[0].secret, CORTEX_ADMIN_KEY: keys[1].secret });
      expect(run.results.stopped).toBeNull();
      expect(run.results.passed).toBeGreaterThan(0);
      expect(run.output).toMatch(/is a live key: pass --allow-live/);
      // Refused requests (401s of the auth matrix) change nothing; no write succeeded.
      expect(server.mock.journal.list(100_000).filter((e) => e.method !== 'GET' && e.status < 400)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
