// /docs in Chromium as a new user meets it: both documents in the definition selector,
// "Try it out" then Execute on GET /v1/scans gives 200 at the first click (the spec's
// examples are real, the admin test key is pre-authorized), and no request 404s (favicon
// included). Every Execute of a create gets a fresh Idempotency-Key unless the user typed
// one, the Servers list names the address the page came from, "Try it out" works on every
// control operation, and no other origin can frame the page.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { startMockServer, type RunningMock } from '../../mock/server';
import { CONTROL_SPEC_PATH, HTTP_METHODS, readSpecFile } from '../../lib/openapi/load-spec';
import { launchChromium } from '../helpers/browser';
import { controlProblems, operation, specProblems } from '../helpers/spec-check';

jest.setTimeout(90_000);

/** Screenshots are test artefacts, kept under reports/. */
const SHOTS = join(__dirname, '..', '..', 'reports', 'browser');

describe('/docs in Chromium', () => {
  let mock: RunningMock;
  let browser: Browser;

  beforeAll(async () => {
    mock = await startMockServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await mock.close();
  });

  it('lists both documents and answers "Try it out" on GET /v1/scans with 200 at the first click', async () => {
    const tab = await browser.newPage();
    const failed: string[] = [];
    tab.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    tab.on('requestfailed', (r) => failed.push(`failed ${r.url()}`));
    await tab.goto(`${mock.url}/docs`);
    await tab.waitForSelector('.opblock-summary-path');
    const definitions = await tab.$$eval('select#select option', (os) => os.map((o) => o.textContent));
    expect(definitions).toEqual(['CortexEDR API v1', 'Mock control API (/_mock)']);
    const op = tab.locator('.opblock-get', { has: tab.locator('.opblock-summary-path[data-path="/scans"]') }).first();
    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: 'Try it out' }).click();
    await op.getByRole('button', { name: 'Execute' }).click();
    const status = op.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('200');
    mkdirSync(SHOTS, { recursive: true });
    await tab.screenshot({ path: join(SHOTS, 'docs-try-it-out.png') });
    expect(failed).toEqual([]);
    await tab.close();
  });

  const openDocs = async (definition?: string) => {
    const tab = await browser.newPage();
    await tab.goto(`${mock.url}/docs/`);
    await tab.waitForSelector('.opblock-summary-path');
    if (definition) {
      await tab.selectOption('select#select', { label: definition });
      await tab.waitForSelector(`.opblock-summary-path[data-path="/reset"]`);
    }
    return tab;
  };
  const opBlock = (tab: Page, method: string, path: string) => tab.locator(`.opblock-${method}`, { has: tab.locator(`.opblock-summary-path[data-path="${path}"]`) }).first();
  /** Clicks Execute and returns the request it sent and the response it got. */
  const execute = async (tab: Page, op: Locator, url: string) => {
    const [response] = await Promise.all([tab.waitForResponse((r) => r.url().split('?')[0].replace(/\/$/, '') === url, { timeout: 15_000 }), op.getByRole('button', { name: 'Execute' }).click()]);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // YAML, for the control spec's own document
    }
    return { request: response.request(), status: response.status(), headers: response.headers(), body, text };
  };

  it('lists the address the page was loaded from as the server of both documents', async () => {
    const tab = await openDocs();
    expect(await tab.$$eval('.servers select option', (os) => os.map((o) => o.getAttribute("value") ?? o.textContent))).toEqual([`${mock.url}/v1`]);
    await tab.selectOption('select#select', { label: 'Mock control API (/_mock)' });
    await tab.waitForSelector('.opblock-summary-path[data-path="/reset"]');
    expect(await tab.$$eval('.servers select option', (os) => os.map((o) => o.getAttribute("value") ?? o.textContent))).toEqual([`${mock.url}/_mock`]);
    await tab.close();
  });

  it('gives every Execute of createScan a fresh Idempotency-Key, unless the user typed one', async () => {
    const tab = await openDocs();
    const op = opBlock(tab, 'post', '/scans');
    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: 'Try it out' }).click();
    const keyInput = op.locator('tr[data-param-name="Idempotency-Key"] input');
    // Not pre-filled with the spec's example: that one key would replay the first scan.
    expect(await keyInput.inputValue()).toBe('');
    const url = `${mock.url}/v1/scans`;
    const first = await execute(tab, op, url);
    const second = await execute(tab, op, url);
    for (const r of [first, second]) {
      expect(r.status).toBe(201);
      expect(specProblems(operation('createScan'), r)).toEqual([]);
      expect(r.headers['idempotent-replayed']).toBeUndefined();
    }
    const sent = [first, second].map((r) => r.request.headers()['idempotency-key']);
    expect(sent[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sent[1]).not.toBe(sent[0]);
    expect((first.body as { id: string }).id).not.toBe((second.body as { id: string }).id);
    // A key the user typed is sent as typed, and replays.
    await keyInput.fill('typed-by-the-user-0001');
    const typed = [await execute(tab, op, url), await execute(tab, op, url)];
    expect(typed.map((r) => r.request.headers()['idempotency-key'])).toEqual(['typed-by-the-user-0001', 'typed-by-the-user-0001']);
    expect(typed.map((r) => r.status)).toEqual([201, 201]);
    expect(typed[1].headers['idempotent-replayed']).toBe('true');
    expect((typed[1].body as { id: string }).id).toBe((typed[0].body as { id: string }).id);
    await tab.close();
  });

  it('answers "Try it out" on every control operation with a documented success', async () => {
    const tab = await openDocs('Mock control API (/_mock)');
    const ops = await tab.$$eval('.opblock', (blocks) =>
      blocks.map((b) => ({ method: (b.querySelector('.opblock-summary-method')?.textContent ?? '').toLowerCase(), path: b.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '', operationId: b.id.replace(/^operations-Control-/, '') })),
    );
    // Every operation control.yaml has, each shown once.
    const paths = readSpecFile(CONTROL_SPEC_PATH).paths as Record<string, Record<string, unknown>>;
    const documented = Object.values(paths).reduce((n, item) => n + HTTP_METHODS.filter((m) => item[m]).length, 0);
    expect(ops.length).toBe(documented);
    // Path parameters are the user's to type: each key operation gets a key of its own, and
    // removeFault the rule addFault (before it on the page) made from its example.
    const keyIds: Record<string, string> = { '/keys/{key_id}/rotate': 'key_read', '/keys/{key_id}/revoke': 'key_write', '/faults/{fault_id}': 'flt_1' };
    const paramOf: Record<string, string> = { '/keys/{key_id}/rotate': 'key_id', '/keys/{key_id}/revoke': 'key_id', '/faults/{fault_id}': 'fault_id' };
    // GET /tls answers its documented 404 on a mock without --tls, as this one is.
    const expectedStatus: Record<string, number> = { getTls: 404 };
    const answered: string[] = [];
    for (const { method, path, operationId } of ops) {
      const op = opBlock(tab, method, path);
      await op.locator('.opblock-summary').click();
      await op.getByRole('button', { name: 'Try it out' }).click();
      if (keyIds[path]) await op.locator(`tr[data-param-name="${paramOf[path]}"] input`).fill(keyIds[path]);
      const url = `${mock.url}/_mock${path === '/' ? '' : path.replace(/\{[a-z_]+\}/, keyIds[path] ?? '')}`;
      const res = await execute(tab, op, url);
      answered.push(`${method.toUpperCase()} ${path} ${res.status}`);
      if (expectedStatus[operationId]) expect({ path, status: res.status }).toEqual({ path, status: expectedStatus[operationId] });
      else expect({ path, ok: res.status >= 200 && res.status < 300 }).toEqual({ path, ok: true });
      expect(controlProblems(operationId, res)).toEqual([]);
      await op.locator('.opblock-summary').click();
    }
    expect(answered).toHaveLength(documented);
    await tab.close();
  });

  it('cannot be framed by another origin', async () => {
    const framer: Server = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(`<!doctype html><title>framer</title><iframe id="docs" src="${mock.url}/docs/?x=1#/Control/advanceClock" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((r) => framer.listen(0, '127.0.0.1', r));
    const tab = await browser.newPage();
    const refusals: string[] = [];
    tab.on('console', (m) => refusals.push(m.text()));
    try {
      // Another port is another origin (RFC 6454), however local.
      const docsLoaded = tab.waitForResponse((r) => r.url().startsWith(`${mock.url}/docs/`));
      await tab.goto(`http://localhost:${(framer.address() as AddressInfo).port}/`);
      const response = await docsLoaded;
      expect(response.headers()['x-frame-options']).toBe('DENY');
      await tab.waitForLoadState('load');
      const frame = tab.frames().find((f) => f !== tab.mainFrame())!;
      expect(frame).toBeDefined();
      // Chromium replaces a refused frame with its error page: no Swagger UI, no script.
      expect(frame.url()).not.toContain('/docs/');
      expect(await frame.locator('#swagger-ui').count()).toBe(0);
      expect(refusals.join('\n')).toMatch(/frame-ancestors|X-Frame-Options/);
    } finally {
      await tab.close();
      await new Promise<void>((r) => framer.close(() => r()));
    }
  });
});
