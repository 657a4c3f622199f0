// The request-signing suite (contracts/suites/10-signing.contract.ts) in process: against a
// mock whose read key requires signing it passes (every request signed by the transport,
// the key id learnt from Accept-Signature), against a broken server that lets unsigned
// requests in it fails, and without a signing key it is skipped with the reason.
import { generateKeyPairSync } from 'node:crypto';
import { createHarness } from '../../contracts/lib/harness';
import { createTransport } from '../../contracts/lib/http';
import { runCases, type RunOutcome } from '../../contracts/lib/runner';
import { createSigner, type SigningSettings } from '../../contracts/lib/signing';
import * as signingSuite from '../../contracts/suites/10-signing.contract';
import type { Settings } from '../../contracts/lib/settings';
import { startMockServer } from '../../mock/server';

jest.setTimeout(120_000);

const READ = 'sk_test_signedcontract_000000000000001';
const SECRET = Buffer.from('the contract suite signing secret').toString('base64');
const ed = generateKeyPairSync('ed25519');

const keyOf = (signing: { alg: 'hmac-sha256'; secret: string } | { alg: 'ed25519'; public_key: string }) => ({
  keys: [{ id: 'key_signed_contract', name: 'signed', secret: READ, account_id: 'acct_developer', permissions: ['read' as const], signing }],
});

async function runSuite(baseUrl: string, signing: SigningSettings | undefined): Promise<RunOutcome> {
  const transport = createTransport(signing ? { sign: createSigner(signing) } : {});
  const settings: Settings = { baseUrl, target: 'server', keys: { read: READ }, allowWrites: false, allowExhaust: false, allowLive: false, preferCodes: false, timeoutMs: 10_000, deadline: Date.now() + 60_000, maxResponseBytes: 1_000_000, reportDir: '/tmp/wip-t2', ...(signing ? { signing } : {}) };
  try {
    const harness = createHarness(settings, transport, async () => undefined);
    harness.suite('request signing', () => signingSuite.register(harness));
    const outcome: RunOutcome = { results: [] };
    await runCases(harness, outcome);
    return outcome;
  } finally {
    transport.close();
  }
}

const statuses = (o: RunOutcome) => o.results.map((r) => `${r.status}: ${r.name}`);

describe('the request-signing contract suite', () => {
  it('passes against a mock whose read key requires HMAC-SHA256 signatures', async () => {
    const mock = await startMockServer({ port: 0, config: keyOf({ alg: 'hmac-sha256', secret: SECRET }) });
    try {
      const outcome = await runSuite(mock.baseUrl, { alg: 'hmac-sha256', secret: SECRET });
      expect(outcome.results.map((r) => r.status)).toEqual(['passed', 'passed', 'passed', 'passed']);
    } finally {
      await mock.close();
    }
  });

  it('passes against a mock whose read key requires Ed25519 signatures, the key id given', async () => {
    const mock = await startMockServer({ port: 0, config: keyOf({ alg: 'ed25519', public_key: ed.publicKey.export({ type: 'spki', format: 'pem' }).toString() }) });
    try {
      const outcome = await runSuite(mock.baseUrl, { alg: 'ed25519', keyId: 'key_signed_contract', privateKeyPem: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
      expect(statuses(outcome).every((s) => s.startsWith('passed'))).toBe(true);
      expect(outcome.results).toHaveLength(4);
    } finally {
      await mock.close();
    }
  });

  it('fails against a broken server that lets unsigned requests in', async () => {
    // The same key, without the requirement: the server takes any request, signed or not.
    const mock = await startMockServer({ port: 0, config: { keys: [{ id: 'key_signed_contract', name: 'signed', secret: READ, account_id: 'acct_developer', permissions: ['read'] }] } });
    try {
      const outcome = await runSuite(mock.baseUrl, { alg: 'hmac-sha256', keyId: 'key_signed_contract', secret: SECRET });
      const failed = outcome.results.filter((r) => r.status === 'failed').map((r) => r.name);
      expect(failed).toEqual([
        'request signing (RFC 9421) › answers 401 signature_missing to an unsigned request, with Accept-Signature',
        'request signing (RFC 9421) › answers 401 signature_invalid to a tampered signature',
        'request signing (RFC 9421) › answers 401 signature_expired to a signature created 3600 s ago',
      ]);
    } finally {
      await mock.close();
    }
  });

  it('is skipped, saying why, without a signing key', async () => {
    const outcome = await runSuite('http://127.0.0.1:9/v1', undefined);
    expect(outcome.results.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(JSON.stringify(outcome.results)).toContain('CORTEX_SIGNING_SECRET');
  });
});
