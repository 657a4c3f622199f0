// The harness's output never carries a key, whatever encoding a failure message quotes it
// in: the runner passes every message through the same redaction as the mock's logs.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from '../../contracts/lib/harness';
import { createTransport } from '../../contracts/lib/http';
import { createOutput } from '../../contracts/lib/output';
import { runCases, writeResults, type RunOutcome } from '../../contracts/lib/runner';
import { percentEncode as enc } from '../helpers/percent';

const KEYS = ['sk_test_readonly_00000000000000000001', 'sk_live_MOCK_fixture_not_a_real_key_08'];

it('writes no key into junit.xml or results.json, in any encoding a message quotes', async () => {
  const transport = createTransport();
  const reportDir = mkdtempSync(join(tmpdir(), 'runner-'));
  const harness = createHarness(
    { baseUrl: 'http://127.0.0.1:9/v1', target: 'server', keys: {}, allowWrites: false, allowExhaust: false, allowLive: false, preferCodes: false, timeoutMs: 100, deadline: Date.now() + 60_000, maxResponseBytes: 1000, reportDir },
    transport,
    async () => undefined,
  );
  const forms = KEYS.flatMap((k) => [`api_key=${k}`, `%61pi_key=${k}`, `api_key=${enc(k)}`, `api_key=${enc(k, true).toUpperCase().replace(/%([0-9A-F]{2})/g, '%$1')}`, `x=1&API_KEY=${k}`, `Authorization: Bearer ${k}`]);
  harness.suite('leaky', () => {
    for (const form of forms) harness.it(form.slice(0, 12), async () => Promise.reject(new Error(`[expected-status] GET /v1/whoami?${form} -> 200: expected 401`)));
  });
  const outcome: RunOutcome = { results: [] };
  await runCases(harness, outcome);
  writeResults(outcome, reportDir, createOutput(harness.redact));
  transport.close();
  expect(outcome.results.filter((r) => r.status === 'failed')).toHaveLength(forms.length);
  for (const file of ['junit.xml', 'results.json']) {
    const text = readFileSync(join(reportDir, file), 'utf8');
    for (const k of KEYS) {
      expect(text).not.toContain(k.slice(8));
      expect(text).not.toContain(enc(k).slice(12));
    }
    expect(text).toContain('[REDACTED]');
  }
});

it('prints its --help whole: the text naming sk_live_ keys is not taken for a key', async () => {
  const { runContracts } = await import('../helpers/contract-run');
  const run = await runContracts(['--help']);
  expect(run.code).toBe(0);
  expect(run.output).toContain('--allow-live        allow the above with sk_live_ keys');
  expect(run.output).not.toContain('[REDACTED]');
}, 60_000);

describe("the run's redactor", () => {
  const SECRET = `ex&p<ir"ed\\key12345678'`;
  const PLAIN = 'np-Zx81Yq72Wr63Vt54Us45Tt';
  const LIVE = 'sk_live_Q7xP2mN9vB4cR8tL1kJ6hG3fD5sA';
  const all = (s: string, lower: boolean) => [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).map((e) => (lower ? e : e.toUpperCase())).join('');
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
  const xml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

  it.each([
    ['every byte %-encoded, upper-case hex', (s: string) => all(s, false)],
    ['every byte %-encoded, lower-case hex', (s: string) => all(s, true)],
    ['JSON-escaped', json],
    ['JSON-escaped twice', (s: string) => json(json(s))],
    ['XML-escaped', xml],
    ['XML-escaped JSON', (s: string) => xml(json(s))],
    ['base64', (s: string) => Buffer.from(s).toString('base64')],
  ])('redacts each secret %s', async (_form, encode) => {
    const { createRedactor } = await import('../../contracts/lib/output');
    const redact = createRedactor([SECRET, PLAIN, LIVE]);
    for (const s of [SECRET, PLAIN, LIVE]) expect(redact(`echo: ${encode(s)} end`)).toBe('echo: [REDACTED] end');
  });

  it('takes what a cut or a line break leaves of a secret (6 characters or more), and spares text that is no part of one', async () => {
    const { createRedactor } = await import('../../contracts/lib/output');
    const redact = createRedactor([PLAIN, LIVE]);
    expect(redact(`..."${PLAIN.slice(0, 9)}"`)).toBe('..."[REDACTED]"');
    expect(redact(`${PLAIN.slice(0, 14)}...[11 more characters]`)).toBe('[REDACTED]...[11 more characters]');
    expect(redact(`"${PLAIN.slice(7)} and more`)).toBe('"[REDACTED] and more');
    expect(redact(`${PLAIN.slice(0, 12)}\n${PLAIN.slice(12)}`)).toBe('[REDACTED]\n[REDACTED]');
    expect(redact(json(`${PLAIN.slice(0, 12)}\n${PLAIN.slice(12)}`))).toBe('[REDACTED]\\n[REDACTED]');
    expect(redact(json(`${LIVE.slice(0, 12)}\n${LIVE.slice(12)}`))).toBe('[REDACTED]\\n[REDACTED]');
    // Too short to tell, or no part of a secret: kept.
    expect(redact(`np-Zx and Us45T, allow the above with sk_live_ keys, GET /v1/scans?limit=1`)).toBe('np-Zx and Us45T, allow the above with sk_live_ keys, GET /v1/scans?limit=1');
    // The end of a key that reads as a word is a word in ordinary text: "reason unknown".
    expect(createRedactor(['sk_test_00000000000000000000000000unknown'])('refused (401, reason unknown); 00000unknown')).toBe('refused (401, reason unknown); [REDACTED]');
    // A 9 MB run of text is read in one pass (an unbounded token pattern overflowed the regexp stack).
    expect(redact('P'.repeat(9_000_000)).length).toBe(9_000_000);
  });

  it('redacts a body whole before the transport cuts its excerpt, so the cut leaves nothing of a secret', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end(`${'.'.repeat(100)}${PLAIN} not JSON`));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const transport = createTransport();
    try {
      const { port } = server.address() as { port: number };
      // Only the whole secret is known to this redaction: a cut before it would leave 20 characters of it.
      const byValue = (t: string) => t.split(PLAIN).join('[REDACTED]');
      const err: Error = await transport.send('GET', `http://127.0.0.1:${port}/v1/scans`, { timeoutMs: 5000, redact: byValue }).then(() => new Error('no error'), (e: Error) => e);
      expect(err.message).toMatch(/^\[json-body\] GET \/v1\/scans -> 200: the body is not JSON/);
      expect(err.message).toContain('[REDACTED]');
      expect(err.message).not.toContain(PLAIN.slice(0, 6));
    } finally {
      transport.close();
      await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
    }
  });
});
