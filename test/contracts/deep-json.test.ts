// Bounded parsing: a server that answers every request with 10 MB of nested arrays, or with
// 10 MB of empty objects (both under the 10 MB response cap), fails each check by name
// (json-depth, json-containers) and the run goes on to write its reports, on a 512 MB heap.
// Before the scan of the bytes, the first took gigabytes and the second over 200 MB per
// parsed copy: both died with "JavaScript heap out of memory", leaving no reports.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(120_000);

const RUN = join(__dirname, '..', '..', 'dist', 'contracts', 'run.js');
/** Prints the process's peak RSS (KB) as it exits. */
const MAX_RSS = 'data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss_kb="+process.resourceUsage().maxRSS+"\\n"))';
const DEPTH = 5_000_000;
const BODIES: Array<[string, () => Buffer, string, RegExp]> = [
  ['10 MB of nesting', () => Buffer.concat([Buffer.alloc(DEPTH, '['), Buffer.alloc(DEPTH, ']')]), 'json-depth', /the body is nested deeper than 1000 levels \(--max-json-depth\); not parsed/],
  ['10 MB of empty objects', () => Buffer.from(`[${'{},'.repeat(3_400_000)}{}]`), 'json-containers', /the body holds more than 100000 objects and arrays \(--max-json-containers\); not parsed/],
];

it.each(BODIES)('fails each check on %s by name, goes on, and writes its reports on a 512 MB heap', async (_name, make, check, message) => {
  const body = make();
  expect(body.length).toBeLessThan(10 * 1024 * 1024);
  const server: Server = createServer((_req, res) => {
    res.on('error', () => undefined);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const reportDir = mkdtempSync(join(tmpdir(), 'contract-deep-'));
  try {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CORTEX_')));
    const args = ['--max-old-space-size=512', '--import', MAX_RSS, RUN, '--base-url', `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, '--report-dir', reportDir, '--max-time', '100'];
    const child = spawn(process.execPath, args, { cwd: reportDir, env: { ...clean, CORTEX_API_KEY: 'sk_test_readonly_00000000000000000001' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(output).not.toMatch(/heap out of memory/);
    expect(code).toBe(1);
    expect(existsSync(join(reportDir, 'junit.xml'))).toBe(true);
    const results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8')) as { stopped: unknown; failures: Array<{ check: string; message: string }> };
    expect(results.stopped).toBeNull();
    const named = results.failures.filter((f) => f.check === check);
    expect(named.length).toBeGreaterThan(10);
    expect(named[0].message).toMatch(message);
    const rssKb = Number(/maxrss_kb=(\d+)/.exec(output)?.[1]);
    expect(rssKb).toBeLessThan(512 * 1024);
  } finally {
    await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  }
});
