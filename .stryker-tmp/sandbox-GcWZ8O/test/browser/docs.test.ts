// @ts-nocheck
// /docs in Chromium as a new user meets it: both documents in the definition selector,
// "Try it out" then Execute on GET /v1/scans gives 200 at the first click (the spec's
// examples are real, the admin test key is pre-authorized), and no request 404s (favicon
// included).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { startMockServer, type RunningMock } from '../../mock/server';
import { launchChromium } from '../helpers/browser';

jest.setTimeout(90_000);

/** Screenshots are test artefacts, kept under reports/. */
const SHOTS = join(__dirname, '..', '..', 'reports', 'browser');

describe('/docs in Chromium', () => {
  let mock: RunningMock;
  let browser: Browser;

  beforeAll(async () => {
    mock = await startMockServer({ logger: pino({ level: 'silent' }) });
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
});
