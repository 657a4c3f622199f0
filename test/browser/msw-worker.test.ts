// The MSW handlers in a browser: a page built by Vite imports `cortex-edr-mock/msw` (the
// package's "browser" export, from this repository's build) and msw's setupWorker, registers
// msw's service worker (`msw init`), and Chromium fetches the API through it: a 401, a 403
// and a 429, with no server behind them. Nothing of Node (fs, path, crypto, Buffer, pino)
// may be left in the bundle for this to work.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { KEYS } from '../helpers/fixtures';
import { operation, specProblems } from '../helpers/spec-check';

// A Vite build and Chromium's start-up; sized for a machine with both cores busy.
jest.setTimeout(180_000);

const root = join(__dirname, '..', '..');

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>cortex-edr-mock in a service worker</title>
<link rel="icon" href="data:,">
<script type="module" src="./main.js"></script>
`;

// One request a minute on the Vibe Coder plan, so the second is a 429.
const MAIN = `import { setupWorker } from 'msw/browser';
import { createMswHandlers } from 'cortex-edr-mock/msw';

const { handlers, mock } = createMswHandlers({
  baseUrl: 'https://api.cortex-edr.com/v1',
  config: { clock: '2026-11-01T09:00:30Z', plans: { vibe_coder: { requests_per_window: 1 } } },
});
const worker = setupWorker(...handlers);
window.cortex = {
  mock,
  started: worker.start({ quiet: true, onUnhandledRequest: 'error', serviceWorker: { url: './mockServiceWorker.js' } }).then(() => true),
};
`;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css' };

/** Serves `dir` on a loopback port: the page, its bundle and the worker script. */
function serveStatic(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0])).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })));
}

interface Fetched {
  status: number;
  headers: Record<string, string>;
  body: { error?: { code: string; details: Record<string, unknown> }; [k: string]: unknown };
}

describe('the MSW handlers in Chromium (setupWorker, a Vite build)', () => {
  let site: { server: Server; url: string };
  let browser: Browser;
  let buildMs: number;

  beforeAll(async () => {
    const project = mkdtempSync(join(tmpdir(), 'msw-browser-'));
    // The package as a dependency of the page's project (this repository's build), and the
    // msw it shares with it.
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(root, join(project, 'node_modules', 'cortex-edr-mock'), 'dir');
    symlinkSync(join(root, 'node_modules', 'msw'), join(project, 'node_modules', 'msw'), 'dir');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'msw-page', private: true, type: 'module' }));
    writeFileSync(join(project, 'index.html'), PAGE);
    writeFileSync(join(project, 'main.js'), MAIN);
    const init = spawnSync(process.execPath, [join(root, 'node_modules', 'msw', 'cli', 'index.js'), 'init', 'public', '--no-save'], { cwd: project, encoding: 'utf8' });
    expect(init.status).toBe(0);
    const started = Date.now();
    const build = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', '--outDir', 'out', '--emptyOutDir'], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    buildMs = Date.now() - started;
    expect(`${build.stdout}${build.stderr}`).not.toMatch(/error|externalized for browser compatibility/i);
    expect(build.status).toBe(0);
    site = await serveStatic(join(project, 'out'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (site) await new Promise<void>((r) => site.server.close(() => r()));
  });

  it('answers a 401, a 403, a create (its body read in the page) and a 429 through the service worker, in the spec shape', async () => {
    const tab = await browser.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (err) => problems.push(String(err)));
    tab.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    // A bundle that still needs Node fails at its first line (`__dirname is not defined`): say so.
    const failed = new Promise<never>((_resolve, reject) => tab.once('pageerror', reject));
    await tab.goto(site.url);
    await Promise.race([tab.waitForFunction(() => (globalThis as unknown as { cortex?: { started: Promise<boolean> } }).cortex?.started, undefined, { timeout: 90_000 }), failed]);
    expect(await tab.evaluate(() => (globalThis as unknown as { cortex: { started: Promise<boolean> } }).cortex.started)).toBe(true);
    // msw's worker controls the page: its fetches go through the service worker.
    expect(await tab.evaluate(() => (globalThis as unknown as { navigator: { serviceWorker: { controller: { scriptURL: string } | null } } }).navigator.serviceWorker.controller?.scriptURL)).toBe(`${site.url}mockServiceWorker.js`);

    const call = (method: string, path: string, key?: string, body?: unknown) =>
      tab.evaluate(
        async ({ method, path, key, body }) => {
          const res = await fetch(`https://api.cortex-edr.com/v1${path}`, {
            method,
            headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
            body: body ? JSON.stringify(body) : undefined,
          });
          return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.json() } as Fetched;
        },
        { method, path, key, body },
      );

    const none = await call('GET', '/scans');
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'missing' } });
    expect(specProblems(operation('listScans'), none)).toEqual([]);

    const denied = await call('POST', '/scans', KEYS.read, { target: 'ws-0142.corp.example', scan_type: 'quick' });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'FORBIDDEN', details: { required_permissions: ['write'], provided_permissions: ['read'] } });
    expect(specProblems(operation('createScan'), denied)).toEqual([]);

    // A body the page's mock reads: the Fetch body's stream, through a reader.
    const created = await call('POST', '/scans', KEYS.write, { target: 'ws-0142.corp.example', scan_type: 'quick' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: 'scan', target: 'ws-0142.corp.example', scan_type: 'quick' });
    expect(specProblems(operation('createScan'), created)).toEqual([]);

    const first = await call('GET', '/whoami', KEYS.vibeCoderAdmin);
    expect(first.status).toBe(200);
    expect(specProblems(operation('getWhoami'), first)).toEqual([]);
    const limited = await call('GET', '/whoami', KEYS.vibeCoderAdmin);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED' });
    expect(specProblems(operation('getWhoami'), limited)).toEqual([]);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    // The page's mock is the one that answered: its journal holds the five requests.
    const journal = await tab.evaluate(() => (globalThis as unknown as { cortex: { mock: { journal: { list(): Array<{ status: number }> } } } }).cortex.mock.journal.list().map((e) => e.status));
    expect(journal).toEqual([401, 403, 201, 200, 429]);
    expect(problems.filter((p) => !/Failed to load resource: the server responded with a status of (401|403|429)/.test(p))).toEqual([]);
    process.stdout.write(`msw in chromium: vite build ${buildMs} ms; through the service worker: ${journal.join(', ')}\n`);
    await tab.close();
  });

  it('carries a status fault (a 503 in the spec shape, X-Mock-Fault) and a reset (a network error) out through the service worker', async () => {
    const tab = await browser.newPage();
    await tab.goto(site.url);
    await tab.waitForFunction(() => (globalThis as unknown as { cortex?: { started: Promise<boolean> } }).cortex?.started, undefined, { timeout: 90_000 });
    expect(await tab.evaluate(() => (globalThis as unknown as { cortex: { started: Promise<boolean> } }).cortex.started)).toBe(true);
    const seen = await tab.evaluate(async (key) => {
      type Faults = { add(rule: unknown): string };
      const { mock } = (globalThis as unknown as { cortex: { mock: { faults: Faults; journal: { list(): Array<{ fault: unknown }> } } } }).cortex;
      const status = mock.faults.add({ match: { operation: 'listScans' }, when: { first: 1 }, fault: { kind: 'status', status: 503, retry_after: 3 } });
      const reset = mock.faults.add({ match: { operation: 'getWhoami' }, when: { first: 1 }, fault: { kind: 'reset' } });
      const headers = { Authorization: `Bearer ${key}` };
      const res = await fetch('https://api.cortex-edr.com/v1/scans', { headers });
      const shaped = { status: res.status, headers: Object.fromEntries(res.headers), body: await res.json() };
      const failure = await fetch('https://api.cortex-edr.com/v1/whoami', { headers }).then(
        (r) => `answered ${r.status}`,
        (e: Error) => e.name,
      );
      const after = (await fetch('https://api.cortex-edr.com/v1/whoami', { headers })).status;
      return { status, reset, shaped, failure, after, journal: mock.journal.list().map((e) => e.fault) };
    }, KEYS.read);
    expect(seen.shaped.status).toBe(503);
    expect(seen.shaped.headers['x-mock-fault']).toBe(`${seen.status};kind=status`);
    expect(seen.shaped.headers['retry-after']).toBe('3');
    expect(specProblems(operation('listScans'), seen.shaped)).toEqual([]);
    // The page's fetch rejects as it does for a dropped connection: TypeError: Failed to fetch.
    expect(seen.failure).toBe('TypeError');
    expect(seen.after).toBe(200);
    expect(seen.journal).toEqual([
      { rule_id: seen.status, kind: 'status' },
      { rule_id: seen.reset, kind: 'reset' },
      null,
    ]);
    await tab.close();
  });
});
