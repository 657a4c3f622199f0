// The harness against servers that misbehave at the transport, and against its own bad
// input: each fault is named by what happened, a run is bounded by its deadline and its
// response-size cap, an unreachable server is one message, a bad argument is a usage
// error, and the reports are written however the run ends (SIGTERM included).
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonScan, createTransport, TransportError } from '../../contracts/lib/http';
import { runContracts } from '../helpers/contract-run';

// Spawns processes and servers: sized for a machine with both cores busy.
jest.setTimeout(120_000);

type Handler = Parameters<typeof createServer>[1];
const READ_KEY = { CORTEX_API_KEY: 'sk_test_readonly_00000000000000000001' };

async function serve(handler: Handler): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const bigJson: Handler = (_req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.write('[');
  const chunk = Buffer.alloc(1 << 20, '1,');
  let n = 0;
  const write = () => {
    while (n < 50) {
      n++;
      if (!res.write(chunk)) return void res.once('drain', write);
    }
    res.end('1]');
  };
  write();
};

const FAULTS: Array<[string, Handler, string]> = [
  ['hangs', () => undefined, 'timeout'],
  ['closes the connection at once', (req) => req.socket.destroy(), 'connection-closed'],
  ['resets the connection', (req) => req.socket.resetAndDestroy(), 'connection-reset'],
  ['answers HTML', (_req, res) => (res.setHeader('Content-Type', 'text/html'), res.end('<html>oops</html>')), 'json-body'],
  ['answers a 50 MB body', bigJson, 'response-size'],
  ['answers JSON of 100,001 objects', (_req, res) => (res.setHeader('Content-Type', 'application/json'), res.end(`[${'{},'.repeat(100_000)}{}]`)), 'json-containers'],
  ['answers JSON nested 1001 deep', (_req, res) => (res.setHeader('Content-Type', 'application/json'), res.end(`${'['.repeat(1001)}${']'.repeat(1001)}`)), 'json-depth'],
];

describe('harness transport faults', () => {
  it.each(FAULTS)('names the fault when the server %s', async (_name, handler, check) => {
    const server = await serve(handler);
    const transport = createTransport();
    try {
      const err = await transport.send('GET', `${server.url}/v1/scans?api_key=sk_test_readonly_00000000000000000001`, { timeoutMs: 500, maxBytes: 1_000_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).check).toBe(check);
      expect((err as Error).message).toMatch(/GET \/v1\/scans\?api_key=\[REDACTED\]/);
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('parses JSON nested exactly to the limit, and counts no bracket inside a string', async () => {
    const body = JSON.stringify({ text: '[[[[{{{{ \\" [[[[', nested: JSON.parse(`${'['.repeat(999)}${']'.repeat(999)}`) });
    const server = await serve((_req, res) => (res.setHeader('Content-Type', 'application/json'), res.end(body)));
    const transport = createTransport();
    try {
      const res = await transport.send('GET', `${server.url}/v1/whoami`, { timeoutMs: 5000, maxDepth: 1000 });
      expect((res.body as { text: string }).text).toBe('[[[[{{{{ \\" [[[[');
      const refused = await transport.send('GET', `${server.url}/v1/whoami`, { timeoutMs: 5000, maxDepth: 999 }).catch((e: unknown) => e);
      expect((refused as TransportError).check).toBe('json-depth');
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('measures nesting across chunk boundaries, an escape split from what it escapes included', () => {
    const scan = createJsonScan({ maxDepth: 2, maxContainers: 10 });
    expect(scan(Buffer.from('{"a\\'))).toBeUndefined();
    expect(scan(Buffer.from('"[[[[", "b": ['))).toBeUndefined();
    expect(scan(Buffer.from('['))).toBe('depth');
    const count = createJsonScan({ maxDepth: 5, maxContainers: 3 });
    expect(count(Buffer.from('[{}, "{}{}", {'))).toBeUndefined();
    expect(count(Buffer.from('}, {}]'))).toBe('containers');
  });

  it('reports a 500 as an undocumented status', async () => {
    const server = await serve((_req, res) => ((res.statusCode = 500), res.setHeader('Content-Type', 'application/json'), res.end('{"error":"boom"}')));
    try {
      const run = await runContracts(['--base-url', `${server.url}/v1`, '--timeout', '300'], READ_KEY);
      expect(run.code).toBe(1);
      expect(run.results.failures.map((f) => f.check)).toContain('status-documented');
    } finally {
      await server.close();
    }
  });

  it('stops a run against a hanging server at --max-time, listing what was not run', async () => {
    const server = await serve(() => undefined);
    try {
      const started = Date.now();
      const run = await runContracts(['--base-url', `${server.url}/v1`, '--timeout', '60000', '--max-time', '2'], READ_KEY);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(run.code).toBe(1);
      expect(run.results.stopped).toMatchObject({ kind: 'deadline' });
      expect(run.results.notRun).toBeGreaterThan(10);
      expect(run.output).toMatch(/STOPPED \(deadline\)/);
      const junit = readFileSync(join(run.reportDir, 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<skipped message="not run: the run stopped \(deadline\) before it"/);
      expect(junit).toMatch(/<testsuites [^>]*errors="1">/);
      expect(junit).toMatch(/<testcase classname="contract run" name="the run stopped \(deadline\)"[^>]*>\s*<error type="deadline" message="the run reached its deadline/);
    } finally {
      await server.close();
    }
  });

  it('stops with one message when the server cannot be reached', async () => {
    const server = await serve(() => undefined);
    const url = server.url;
    await server.close();
    const run = await runContracts(['--base-url', `${url}/v1`], READ_KEY);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/server unreachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(run.results.failed).toBe(0);
    expect(run.results.notRun).toBeGreaterThan(10);
    // CI reads junit.xml: the stop is an error there, and what it left undone is skipped with the reason.
    const junit = readFileSync(join(run.reportDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites [^>]*failures="0"[^>]*errors="1">/);
    expect(junit).toMatch(/<error type="unreachable" message="server unreachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)"/);
    expect(junit.match(/<skipped message="not run: the run stopped \(unreachable\) before it"/g)?.length).toBe(run.results.notRun);
  });

  it.each([
    ['a rate-limit code but no details and no headers', '{"error":{"code":"RATE_LIMIT_EXCEEDED","message":"slow down"}}'],
    ['no body at all', ''],
  ])('stops once, naming the fault, when every answer is a 429 with %s', async (_name, body) => {
    const server = await serve((_req, res) => (res.writeHead(429, body ? { 'Content-Type': 'application/json' } : {}), res.end(body)));
    try {
      const run = await runContracts(['--base-url', `${server.url}/v1`, '--max-time', '20'], READ_KEY);
      expect(run.code).toBe(1);
      expect(run.results.failures).toEqual([]);
      expect(run.results.stopped).toMatchObject({ kind: 'malformed-429' });
      expect(run.results.stopped!.message).toMatch(/-> 429 with no Retry-After header and no error\.details: a rate-limit refusal that does not say when the budget returns/);
      expect(run.output.match(/STOPPED \(malformed-429\)/g)).toHaveLength(1);
      expect(run.output).not.toMatch(/TypeError/);
      expect(run.results.notRun).toBeGreaterThan(10);
    } finally {
      await server.close();
    }
  });

  it('stops after a few checks when the server closes every connection, naming what happened', async () => {
    const server = await serve((req) => req.socket.destroy());
    try {
      const run = await runContracts(['--base-url', `${server.url}/v1`], READ_KEY);
      expect(run.results.failures.map((f) => f.check)).toEqual(['connection-closed', 'connection-closed', 'connection-closed']);
      expect(run.output).toMatch(/closes the connection without answering: 3 checks in a row/);
    } finally {
      await server.close();
    }
  });

  it.each([
    [['--base-url', 'notaurl'], /--base-url must be an absolute http\(s\) URL/],
    [['--base-url', 'ftp://x/v1'], /--base-url must be an absolute http\(s\) URL, got "ftp:\/\/x\/v1"/],
    [['--target', 'moc'], /--target must be mock, mock-process, prism, not "moc"/],
    [['--max-time', 'soon'], /--max-time must be a whole number from 1 to \d+, got "soon"/],
    [['--max-json-depth', '0'], /--max-json-depth must be a whole number from 1 to \d+, got "0"/],
    [['--bogus'], /unknown option --bogus/],
  ])('refuses %j with a usage message and exit code 2', async (args, message) => {
    const run = await runContracts(args as string[], READ_KEY);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(message);
    expect(run.output).toMatch(/Usage: cortex-contract/);
  });

  it.each([
    ['a query string', 'http://127.0.0.1:1/v1?token=tok-Zq9Wq8Ev7Rt6Yu5', 'tok-Zq9Wq8Ev7Rt6Yu5', /--base-url must have no query string/],
    ['a key in the query', 'http://127.0.0.1:1/v1?api_key=sk_live_inquery0000000000000000000042', 'inquery0000000000000000000042', /--base-url must have no query string/],
    ['a fragment', 'http://127.0.0.1:1/v1#sk_test_infragment000000000000000001', 'infragment000000000000000001', /--base-url must have no fragment/],
    ['a password that is not percent-encoding', 'http://u:Plain%pass-Zq9Wq8@127.0.0.1:1/v1', 'Plain%pass-Zq9Wq8', /--base-url has a password that is not valid percent-encoding/],
    ['a user name that is not percent-encoding', 'http://us%zzer-Zq9Wq8:pw@127.0.0.1:1/v1', 'us%zzer-Zq9Wq8', /--base-url has a user name that is not valid percent-encoding/],
  ])('refuses a base URL with %s as a usage error (exit 2) that names --base-url and quotes no secret', async (_what, baseUrl, secret, message) => {
    const run = await runContracts(['--base-url', baseUrl], READ_KEY);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(message);
    expect(run.output).toMatch(/Usage: cortex-contract/);
    expect(run.output).not.toContain(secret);
    expect(run.output).not.toContain('URI malformed');
  });

  it('names CORTEX_BASE_URL when the environment gives the base URL with a query string', async () => {
    const run = await runContracts([], { ...READ_KEY, CORTEX_BASE_URL: 'http://127.0.0.1:1/v1?token=tok-Zq9Wq8Ev7Rt6Yu5' });
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/CORTEX_BASE_URL must have no query string/);
    expect(run.output).not.toContain('tok-Zq9Wq8Ev7Rt6Yu5');
  });

  it('writes junit.xml and results.json when stopped by SIGTERM', async () => {
    const server = await serve(() => undefined);
    const reportDir = mkdtempSync(join(tmpdir(), 'contract-term-'));
    try {
      const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'contracts', 'run.js'), '--base-url', `${server.url}/v1`, '--report-dir', reportDir], { env: { ...process.env, ...READ_KEY } });
      let out = '';
      await new Promise<void>((resolve) => child.stdout.on('data', (d) => ((out += d), out.includes('checking') && resolve())));
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(143);
      expect(existsSync(join(reportDir, 'junit.xml'))).toBe(true);
      const results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8'));
      expect(results.stopped).toMatchObject({ kind: 'interrupted' });
      expect(results.notRun).toBeGreaterThan(10);
    } finally {
      await server.close();
    }
  });
});
