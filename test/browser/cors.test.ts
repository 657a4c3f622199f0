// CORS in a real browser: a page served from another localhost port calls GET /v1/scans
// with a Bearer key (so Chromium sends a preflight first) and reads X-RateLimit-Remaining
// and the IETF RateLimit-Policy and RateLimit.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { startMockServer, type RunningMock } from '../../mock/server';
import { launchChromium } from '../helpers/browser';
import { KEYS, T0_ISO } from '../helpers/fixtures';

// Chromium's start-up dominates; sized for a machine with both cores busy.
jest.setTimeout(90_000);

describe('CORS in Chromium', () => {
  let mock: RunningMock;
  let page: Server;
  let pageUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    mock = await startMockServer({ config: { clock: T0_ISO } });
    page = createServer((_req, res) => res.setHeader('Content-Type', 'text/html').end('<!doctype html><title>front end</title><p>app'));
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => page.close(() => r()));
    await mock.close();
  });

  it('lets a page on another port call /v1/scans with a Bearer key and read X-RateLimit-Remaining, RateLimit-Policy and RateLimit', async () => {
    const tab = await browser.newPage();
    await tab.goto(pageUrl);
    const result = await tab.evaluate(
      async ({ url, key }) => {
        const res = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
        const body = (await res.json()) as { data: unknown[] };
        return {
          status: res.status,
          remaining: res.headers.get('X-RateLimit-Remaining'),
          limit: res.headers.get('X-RateLimit-Limit'),
          // The IETF fields: readable only when Access-Control-Expose-Headers names them.
          policy: res.headers.get('RateLimit-Policy'),
          rateLimit: res.headers.get('RateLimit'),
          items: body.data.length,
        };
      },
      { url: `${mock.baseUrl}/scans`, key: KEYS.read },
    );
    expect(result).toEqual({ status: 200, remaining: '499', limit: '500', policy: '"developer";q=500;w=60', rateLimit: expect.stringMatching(/^"developer";r=499;t=\d+$/), items: expect.any(Number) });
    expect(result.items).toBeGreaterThan(0);
    const journal = mock.mock.journal.list();
    // The preflight came first, was answered 204 before authentication, and cost nothing.
    expect(journal.map((e) => `${e.method} ${e.status}`)).toEqual(['OPTIONS 204', 'GET 200']);
    process.stdout.write(`chromium: ${journal.map((e) => `${e.method} ${e.path} ${e.status}`).join(', ')}; the page read ${JSON.stringify(result)}\n`);
    await tab.close();
  });

  it('cannot reach the control API from that page', async () => {
    const tab = await browser.newPage();
    await tab.goto(pageUrl);
    const before = mock.clock.now();
    const outcome = await tab.evaluate(async (url) => {
      const simple = await fetch(url, { method: 'POST', body: '{"seconds": 3600}', headers: { 'Content-Type': 'text/plain' }, mode: 'no-cors' }).then(() => 'sent', (e) => String(e));
      const json = await fetch(url, { method: 'POST', body: '{"seconds": 3600}', headers: { 'Content-Type': 'application/json' } }).then((r) => r.status, (e) => `blocked: ${String(e)}`);
      return { simple, json };
    }, `${mock.url}/_mock/clock/advance`);
    expect(String(outcome.json)).toMatch(/^blocked/);
    expect(mock.clock.now()).toBe(before);
    await tab.close();
  });
});
