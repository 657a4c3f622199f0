// The request-signing suite (contracts/suites/10-signing.contract.ts) in process: against a
// mock with a key that requires signing it passes (that key's requests signed by the
// transport by the server's clock, the key id learnt from Accept-Signature), whether the key
// is a role of its own (CORTEX_SIGNING_API_KEY) or the read key; against a broken server that
// lets unsigned requests in it fails; without a signing key, or against Prism, it is skipped
// with the reason.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from '../../contracts/lib/harness';
import { createTransport } from '../../contracts/lib/http';
import { createOutput } from '../../contracts/lib/output';
import { runCases, writeResults, type RunOutcome } from '../../contracts/lib/runner';
import { createSigner, signingFromEnv, type SigningSettings } from '../../contracts/lib/signing';
import * as signingSuite from '../../contracts/suites/10-signing.contract';
import type { Settings, TargetKind } from '../../contracts/lib/settings';
import { startMockServer } from '../../mock/server';
import { T0_ISO } from '../helpers/start-time';

jest.setTimeout(120_000);

const SIGNED = 'sk_test_signedcontract_000000000000001';
const READ = 'sk_test_readonly_00000000000000000001';
const SECRET = Buffer.from('the contract suite signing secret').toString('base64');
const ed = generateKeyPairSync('ed25519');
const OWN_ROLE = { apiKey: SIGNED, keyVar: 'CORTEX_SIGNING_API_KEY' };

/** A mock whose key SIGNED requires `signing`, its clock set a month from ours (T0): a signature dated by our clock is stale there. */
const mockWith = (signing?: { alg: 'hmac-sha256'; secret: string } | { alg: 'ed25519'; public_key: string }) =>
  startMockServer({ port: 0, config: { clock: T0_ISO, keys: [{ id: 'key_signed_contract', name: 'signed', secret: SIGNED, account_id: 'acct_developer', permissions: ['read'], ...(signing ? { signing } : {}) }] } });

async function runSuite(baseUrl: string, signing: SigningSettings | undefined, options: { keys?: Settings['keys']; target?: TargetKind; reportDir?: string } = {}): Promise<RunOutcome> {
  const transport = createTransport(signing ? { sign: createSigner(signing) } : {});
  const settings: Settings = {
    baseUrl,
    target: options.target ?? 'server',
    keys: options.keys ?? {},
    allowWrites: false,
    allowExhaust: false,
    allowLive: false,
    preferCodes: false,
    timeoutMs: 10_000,
    deadline: Date.now() + 60_000,
    maxResponseBytes: 1_000_000,
    reportDir: options.reportDir ?? tmpdir(),
    ...(signing ? { signing } : {}),
  };
  try {
    const harness = createHarness(settings, transport, async () => undefined);
    harness.suite('request signing', () => signingSuite.register(harness));
    const outcome: RunOutcome = { results: [] };
    await runCases(harness, outcome);
    if (options.reportDir) writeResults(outcome, options.reportDir, createOutput(harness.redact));
    return outcome;
  } finally {
    transport.close();
  }
}

const statuses = (o: RunOutcome) => o.results.map((r) => `${r.status}: ${r.name}${r.message ? ` (${r.message})` : ''}`);
const allPassed = (o: RunOutcome) => o.results.map((r) => r.status);

describe('the request-signing contract suite', () => {
  it('passes against a mock with a key of its own that requires HMAC-SHA256 signatures, signing by the mock clock', async () => {
    const mock = await mockWith({ alg: 'hmac-sha256', secret: SECRET });
    try {
      const outcome = await runSuite(mock.baseUrl, { alg: 'hmac-sha256', secret: SECRET, ...OWN_ROLE });
      expect(statuses(outcome).filter((s) => !s.startsWith('passed'))).toEqual([]);
      expect(allPassed(outcome)).toEqual(['passed', 'passed', 'passed', 'passed']);
    } finally {
      await mock.close();
    }
  });

  it('passes against a mock whose key requires Ed25519 signatures, the key id given', async () => {
    const mock = await mockWith({ alg: 'ed25519', public_key: ed.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    try {
      const outcome = await runSuite(mock.baseUrl, { alg: 'ed25519', keyId: 'key_signed_contract', privateKeyPem: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), ...OWN_ROLE });
      expect(allPassed(outcome)).toEqual(['passed', 'passed', 'passed', 'passed']);
    } finally {
      await mock.close();
    }
  });

  it('signs with the read key when only a signing secret is given (CORTEX_SIGNING_SECRET without CORTEX_SIGNING_API_KEY), as before that variable', async () => {
    const mock = await mockWith({ alg: 'hmac-sha256', secret: SECRET });
    try {
      const signing = signingFromEnv({ CORTEX_API_KEY: SIGNED, CORTEX_SIGNING_SECRET: SECRET }, () => '');
      expect(signing).toEqual({ alg: 'hmac-sha256', secret: SECRET, apiKey: SIGNED, keyVar: 'CORTEX_API_KEY' });
      const outcome = await runSuite(mock.baseUrl, signing, { keys: { read: SIGNED } });
      expect(allPassed(outcome)).toEqual(['passed', 'passed', 'passed', 'passed']);
    } finally {
      await mock.close();
    }
  });

  it('fails against a broken server that lets unsigned requests in', async () => {
    // The same key, without the requirement: the server takes any request, signed or not.
    const mock = await mockWith(undefined);
    try {
      const outcome = await runSuite(mock.baseUrl, { alg: 'hmac-sha256', keyId: 'key_signed_contract', secret: SECRET, ...OWN_ROLE });
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

  it('is skipped as not asked for, naming the variables, without a signing key', async () => {
    const outcome = await runSuite('http://127.0.0.1:9/v1', undefined, { keys: { read: READ } });
    expect(outcome.results.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(JSON.stringify(outcome.results)).toContain('CORTEX_SIGNING_API_KEY with CORTEX_SIGNING_SECRET');
  });

  it('is skipped as beyond the target against Prism, which checks no signatures, even with a signing key', async () => {
    const transport = createTransport();
    const settings: Settings = { baseUrl: 'http://127.0.0.1:9', target: 'prism', keys: {}, allowWrites: false, allowExhaust: false, allowLive: false, preferCodes: false, timeoutMs: 100, deadline: Date.now() + 60_000, maxResponseBytes: 1000, reportDir: tmpdir(), signing: { alg: 'hmac-sha256', secret: SECRET, ...OWN_ROLE } };
    const harness = createHarness(settings, transport, async () => undefined);
    harness.suite('request signing', () => signingSuite.register(harness));
    transport.close();
    expect(harness.cases.map((c) => c.skipKind)).toEqual(['target-cannot', 'target-cannot', 'target-cannot', 'target-cannot']);
    expect(harness.cases[0].skip).toMatch(/^Prism does not check request signatures/);
  });

  it('writes neither the signing key nor its secret into the reports, whatever a server echoes', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'signing-redaction-'));
    const transport = createTransport();
    const settings: Settings = { baseUrl: 'http://127.0.0.1:9/v1', target: 'server', keys: {}, allowWrites: false, allowExhaust: false, allowLive: false, preferCodes: false, timeoutMs: 100, deadline: Date.now() + 60_000, maxResponseBytes: 1000, reportDir, signing: { alg: 'hmac-sha256', secret: SECRET, ...OWN_ROLE } };
    const harness = createHarness(settings, transport, async () => undefined);
    harness.suite('echo', () => harness.it('quotes what the server echoed', async () => Promise.reject(new Error(`[echo] GET /v1/whoami -> 500: {"key":"${SIGNED}","secret":"${SECRET}"}`))));
    const outcome: RunOutcome = { results: [] };
    await runCases(harness, outcome);
    writeResults(outcome, reportDir, createOutput(harness.redact));
    transport.close();
    for (const file of ['junit.xml', 'results.json']) {
      const text = readFileSync(join(reportDir, file), 'utf8');
      expect(text).not.toContain(SIGNED.slice(8));
      expect(text).not.toContain(SECRET.slice(4));
      expect(text).toContain('[REDACTED]');
    }
  });
});

describe('the signing transport', () => {
  const signer = () => createSigner({ alg: 'hmac-sha256', secret: SECRET, keyId: 'key_signed_contract', ...OWN_ROLE }, () => Date.parse('2026-12-01T12:00:00Z'));

  it("signs only requests that present the signing key in Authorization, and no other key's", () => {
    const sign = signer();
    expect(Object.keys(sign.sign('GET', 'http://127.0.0.1/v1/whoami', { authorization: `bearer ${SIGNED}` }, undefined, {}))).toEqual(['Signature-Input', 'Signature']);
    expect(sign.sign('GET', 'http://127.0.0.1/v1/whoami', { Authorization: `Bearer ${READ}` }, undefined, {})).toEqual({});
    expect(sign.sign('GET', `http://127.0.0.1/v1/whoami?api_key=${SIGNED}`, { Accept: 'application/json' }, undefined, {})).toEqual({});
  });

  it("dates a signature by the server's Date, as the last answer to the signing key gave it, and backdates it by ageSeconds", () => {
    const sign = signer();
    const created = (headers: Record<string, string>) => Number(/;created=(\d+);/.exec(headers['Signature-Input'])![1]);
    const auth = { Authorization: `Bearer ${SIGNED}` };
    expect(created(sign.sign('GET', 'http://h/v1/whoami', auth, undefined, {}))).toBe(Date.parse('2026-12-01T12:00:00Z') / 1000);
    // Another key's answer says nothing of the clock the signing key is checked by.
    sign.observe({ Authorization: `Bearer ${READ}` }, { status: 200, headers: { date: 'Sun, 01 Nov 2026 09:00:00 GMT' } });
    expect(created(sign.sign('GET', 'http://h/v1/whoami', auth, undefined, {}))).toBe(Date.parse('2026-12-01T12:00:00Z') / 1000);
    sign.observe(auth, { status: 401, headers: { date: 'Sun, 01 Nov 2026 09:00:30 GMT' } });
    expect(created(sign.sign('GET', 'http://h/v1/whoami', auth, undefined, {}))).toBe(Date.parse(T0_ISO) / 1000);
    expect(created(sign.sign('GET', 'http://h/v1/whoami', auth, undefined, { ageSeconds: 3600 }))).toBe(Date.parse(T0_ISO) / 1000 - 3600);
  });

  it('reads CORTEX_SIGNING_API_KEY as the signing key before the read key', () => {
    expect(signingFromEnv({ CORTEX_API_KEY: READ, CORTEX_SIGNING_API_KEY: SIGNED, CORTEX_SIGNING_SECRET: SECRET, CORTEX_SIGNING_KEY_ID: 'key_x' }, () => '')).toEqual({ alg: 'hmac-sha256', secret: SECRET, apiKey: SIGNED, keyVar: 'CORTEX_SIGNING_API_KEY', keyId: 'key_x' });
    expect(signingFromEnv({ CORTEX_SIGNING_SECRET: SECRET }, () => '')).toEqual({ alg: 'hmac-sha256', secret: SECRET, keyVar: 'CORTEX_API_KEY' });
    expect(signingFromEnv({ CORTEX_API_KEY: READ }, () => '')).toBeUndefined();
  });
});
