// The harness's output never carries a key, whatever encoding a failure message quotes it
// in: the runner passes every message through the same redaction as the mock's logs.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from '../../contracts/lib/harness';
import { createTransport } from '../../contracts/lib/http';
import { createOutput } from '../../contracts/lib/output';
import { runCases, writeResults, type RunOutcome } from '../../contracts/lib/runner';

const KEYS = ['sk_test_readonly_00000000000000000001', 'sk_live_MOCK_fixture_not_a_real_key_08'];
const enc = (t: string, all = false) => [...t].map((c) => (all || /[a-z_]/.test(c) ? `%${c.charCodeAt(0).toString(16)}` : c)).join('');

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
