// Before the suites, the harness asks the server (GET /whoami) whether the base URL is the
// API's and whether each key fits its variable. A wrong one stops the run at once with one
// message naming the variable and the reason, exit code 2, and nothing else is sent: no
// score of contract failures put down to a server that is right.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_ENV, runContracts, type ContractRun } from '../helpers/contract-run';
import { T0_ISO } from '../helpers/start-time';
import { withMockServer } from '../helpers/mock-server';

jest.setTimeout(120_000);

const lastLine = (run: ContractRun) => run.output.trimEnd().split('\n').pop();

async function againstMock(env: Record<string, string>, base = (url: string, baseUrl: string) => baseUrl): Promise<{ run: ContractRun; sent: string[] }> {
  return withMockServer({ config: { clock: T0_ISO } }, async (server) => {
    const run = await runContracts(['--base-url', base(server.url, server.baseUrl)], env);
    return { run, sent: server.mock.journal.list(100_000).map((e) => `${e.method} ${e.path}`) };
  });
}

function expectStoppedBefore(run: ContractRun, kind: string, sent: string[]): void {
  expect(run.code).toBe(2);
  expect(run.results.stopped).toMatchObject({ kind });
  expect(run.results.failures).toEqual([]);
  expect(run.results.passed).toBe(0);
  expect(run.output.match(/STOPPED/g)).toHaveLength(1);
  expect(readFileSync(join(run.reportDir, 'junit.xml'), 'utf8')).toMatch(new RegExp(`<error type="${kind}"`));
  // Nothing was sent but the reachability probe and the whoami calls.
  expect(sent.filter((s) => !/^GET \/(v1\/)?(whoami)?$/.test(s))).toEqual([]);
  if (kind === 'bad-key') expect(sent.filter((s) => s.endsWith('/whoami')).length).toBeGreaterThan(0);
}

describe('the harness checks its base URL and keys first', () => {
  it.each([
    ['unknown', 'sk_test_00000000000000000000000000unknown'],
    ['expired', 'sk_test_expired_00000000000000000006'],
    ['revoked', 'sk_test_revoked_00000000000000000007'],
  ])('stops with exit code 2, naming CORTEX_API_KEY, when the server calls its key %s', async (reason, key) => {
    const { run, sent } = await againstMock({ ...CONTRACT_ENV, CORTEX_API_KEY: key });
    expectStoppedBefore(run, 'bad-key', sent);
    expect(lastLine(run)).toBe(`contract: FAILED: stopped (bad-key): a key does not fit its variable: CORTEX_API_KEY: the server refuses it (401, reason ${reason})`);
  });

  it('stops with exit code 2 when CORTEX_API_KEY holds an admin key, naming the permissions', async () => {
    const { run, sent } = await againstMock({ ...CONTRACT_ENV, CORTEX_API_KEY: CONTRACT_ENV.CORTEX_ADMIN_KEY });
    expectStoppedBefore(run, 'bad-key', sent);
    expect(run.results.stopped!.message).toBe('a key does not fit its variable: CORTEX_API_KEY: the key has [admin], where this variable takes a key with [read] only: the checks of what such a key may not do would fail on the key, not on the server');
  });

  it('names every key that does not fit, an active key given as the expired one included', async () => {
    const { run, sent } = await againstMock({ ...CONTRACT_ENV, CORTEX_EXPIRED_KEY: CONTRACT_ENV.CORTEX_API_KEY, CORTEX_NOPERM_KEY: CONTRACT_ENV.CORTEX_WRITE_KEY });
    expectStoppedBefore(run, 'bad-key', sent);
    expect(run.results.stopped!.message).toBe(
      'keys do not fit their variables: CORTEX_NOPERM_KEY: the key has [write], where this variable takes a key with no permissions only: the checks of what such a key may not do would fail on the key, not on the server; CORTEX_EXPIRED_KEY: the server accepts it (200 at /whoami): it is not an expired key, or the server does not refuse expired keys',
    );
  });

  it('stops with exit code 2 when the base URL answers 404 at /whoami, with a hint when /v1 is missing', async () => {
    const { run, sent } = await againstMock(CONTRACT_ENV, (url) => url);
    expectStoppedBefore(run, 'bad-base-url', sent);
    expect(lastLine(run)).toMatch(/^contract: FAILED: stopped \(bad-base-url\): http:\/\/127\.0\.0\.1:(\d+)\/whoami answers 404, so this is not the API's base URL; the base URL does not end in \/v1: try http:\/\/127\.0\.0\.1:\1\/v1$/);
  });

  describe('with a key that requires signing (CORTEX_SIGNING_API_KEY)', () => {
    const SIGNED = 'sk_test_signedpreflight_0000000000001';
    const SECRET = Buffer.from('the preflight signing secret').toString('base64');
    const signingConfig = {
      clock: T0_ISO,
      accounts: [{ id: 'acct_signing', name: 'signing', plan: 'developer' as const }],
      keys: [{ id: 'key_signed_preflight', name: 'signed', secret: SIGNED, account_id: 'acct_signing', permissions: ['read' as const], signing: { alg: 'hmac-sha256' as const, secret: SECRET } }],
    };
    const run = (secret: string) =>
      withMockServer({ config: signingConfig }, async (server) => {
        const result = await runContracts(['--base-url', server.baseUrl], { ...CONTRACT_ENV, CORTEX_SIGNING_API_KEY: SIGNED, CORTEX_SIGNING_SECRET: secret });
        return { run: result, sent: server.mock.journal.list(100_000).map((e) => `${e.method} ${e.path}`) };
      });

    it('signs its whoami (by the server clock, the key id learnt) and goes on to run the signing suite with the rest', async () => {
      const { run: result } = await run(SECRET);
      expect(result.results.stopped).toBeNull();
      expect(result.results.failures).toEqual([]);
      expect(result.code).toBe(0);
      const junit = readFileSync(join(result.reportDir, 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<testcase classname="request signing" name="request signing \(RFC 9421\) › answers 200 to a signed request" time="[\d.]+"\/>/);
      expect(junit).not.toContain('CORTEX_SIGNING_SECRET (hmac-sha256');
      expect(result.output).not.toContain(SIGNED.slice(8));
    });

    it('stops with exit code 2, naming CORTEX_SIGNING_API_KEY, when the server refuses its signature', async () => {
      const { run: result, sent } = await run(Buffer.from('not the secret of the key').toString('base64'));
      expectStoppedBefore(result, 'bad-key', sent);
      expect(lastLine(result)).toBe(
        'contract: FAILED: stopped (bad-key): a key does not fit its variable: CORTEX_SIGNING_API_KEY: the server refuses it signed (401, reason signature_invalid): check CORTEX_SIGNING_SECRET or CORTEX_SIGNING_KEY_FILE, and CORTEX_SIGNING_KEY_ID',
      );
      expect(result.output).not.toContain(SIGNED.slice(8));
    });
  });

  it('goes on to the suites when every key fits', async () => {
    const { run } = await againstMock(CONTRACT_ENV);
    expect(run.results.stopped).toBeNull();
    expect(run.results.failures).toEqual([]);
    expect(run.code).toBe(0);
  });
});
