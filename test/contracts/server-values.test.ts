// Whatever the server sends is quoted bounded in the harness's messages, with its length
// noted. The stop on a spent rate-limit budget also checks it against the spec: a 429 whose
// details.plan is a 9 MB string (under the 10 MB response cap) stops a run on a 512 MB heap
// with its reports written and small, and the stop says why it stopped in words that hold:
// no plan of the spec, no limit given, no reset given.
import { createServer, type Server } from 'node:http';
import { statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runContracts } from '../helpers/contract-run';

jest.setTimeout(180_000);

const PLAN_LENGTH = 9_000_000;

/** Answers every request 429 with a 9 MB details.plan, no details.limit and no X-RateLimit-Reset. */
async function hugePlanServer(): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({ error: { code: 'RATE_LIMIT_EXCEEDED', message: 'limited', details: { plan: 'P'.repeat(PLAN_LENGTH), remaining: 0, retry_after_seconds: 3600 } } });
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3600' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

it('stops on a 429 with a 9 MB plan on a 512 MB heap, with small reports and a stop message that says what the server sent', async () => {
  const server = await hugePlanServer();
  try {
    const run = await runContracts(['--base-url', server.url, '--max-time', '120', '--timeout', '30000', '--allow-writes', '--allow-exhaust'], {
      CORTEX_API_KEY: 'sk_test_readonly_00000000000000000001',
      NODE_OPTIONS: '--max-old-space-size=512',
    });
    expect(run.output).not.toContain('heap out of memory');
    expect(run.code).toBe(1);
    expect(run.results.stopped).toMatchObject({ kind: 'rate-limit-budget' });
    const message = run.results.stopped!.message;
    expect(message.length).toBeLessThan(1000);
    expect(message).toContain(`(${PLAN_LENGTH} characters), not a plan id of the spec (vibe_coder, developer, enterprise)`);
    expect(message).toContain('details.limit not given');
    // The first request is the key check's, with no key.
    expect(message).toContain('the rate-limit budget of this client, whose request carried no key (details.plan');
    expect(message).toContain("waiting out Retry-After (3600 s) would pass this run's deadline (--max-time)");
    expect(message).toContain('the 429 has no X-RateLimit-Reset');
    expect(message).not.toMatch(/undefined|unknown|a clock that does not move/);
    // Each case not run names the stop; the stop's message is told once.
    expect(run.results.notRun).toBeGreaterThan(50);
    for (const f of ['junit.xml', 'results.json', 'coverage.json', 'coverage.md']) expect({ f, size: statSync(join(run.reportDir, f)).size }).toEqual({ f, size: expect.any(Number) });
    expect(statSync(join(run.reportDir, 'junit.xml')).size).toBeLessThan(2_000_000);
    expect(statSync(join(run.reportDir, 'results.json')).size).toBeLessThan(2_000_000);
    expect(run.output.length).toBeLessThan(200_000);
  } finally {
    await server.close();
  }
});

it('quotes a 1 MB error.code or details.reason cut short with its length in the failure that names it', async () => {
  const { expectAuthError } = await import('../../contracts/lib/checks');
  const { loadPublicSpec } = await import('../../lib/openapi/load-spec');
  const op = loadPublicSpec().operations.find((o) => o.operationId === 'listScans')!;
  const huge = 'R'.repeat(1_000_000);
  const res = (error: object) => ({ status: 401, headers: { 'www-authenticate': 'Bearer realm="cortex-edr", error="invalid_token"' }, body: { error }, text: '', request: 'GET /v1/scans' });
  const failure = (error: object) => {
    try {
      expectAuthError(op, res(error), { status: 401, reason: 'unknown', presented: true });
    } catch (err) {
      return (err as Error).message;
    }
    return 'no failure';
  };
  const cut = `${'R'.repeat(200)}... (1000000 characters)`;
  expect(failure({ code: huge, message: 'no', details: {} })).toBe(`[error-shape] listScans (GET /v1/scans) -> 401: error.code is ${cut}, not UNAUTHORIZED`);
  expect(failure({ code: 'UNAUTHORIZED', message: 'no', details: { reason: huge } })).toBe(`[auth-reason] listScans (GET /v1/scans) -> 401: details.reason is ${cut}, not unknown`);
});

it("quotes a 1 MB details.reason of the key check's 401 cut short in the one stop message", async () => {
  const reason = 'R'.repeat(1_000_000);
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="cortex-edr"' });
    res.end(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'no', details: { reason } } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const run = await runContracts(['--base-url', `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, '--max-time', '60'], { CORTEX_API_KEY: 'sk_test_readonly_00000000000000000001' });
    expect(run.code).toBe(2);
    expect(run.results.stopped).toMatchObject({ kind: 'bad-key' });
    expect(run.results.stopped!.message).toBe(`a key does not fit its variable: CORTEX_API_KEY: the server refuses it (401, reason ${'R'.repeat(200)}... (1000000 characters))`);
    expect(statSync(join(run.reportDir, 'junit.xml')).size).toBeLessThan(200_000);
  } finally {
    await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  }
});
