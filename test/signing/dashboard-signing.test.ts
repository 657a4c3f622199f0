// The dashboard's create form sets a signing requirement (Chromium): a key made with
// "HMAC-SHA256" and a secret must sign its requests, and one signed with that secret passes.
import type { Browser, Page } from 'playwright-core';
import { signRequest } from '../../contracts/lib/signing';
import { startMockServer, type RunningMock } from '../../mock/server';
import { launchChromium } from '../helpers/browser';
import { T0, T0_ISO } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';

jest.setTimeout(120_000);

const SECRET = Buffer.from('a secret typed into the dashboard form').toString('base64');

describe("the dashboard's create form, with request signing", () => {
  let mock: RunningMock;
  let browser: Browser;
  let tab: Page;

  beforeAll(async () => {
    mock = await startMockServer({ config: { clock: T0_ISO } });
    browser = await launchChromium();
    tab = await browser.newPage();
    await tab.goto(`${mock.url}/dashboard`);
    await tab.waitForSelector('body[data-loaded="true"]');
  });
  afterAll(async () => {
    await browser?.close();
    await mock?.close();
  });

  it('creates a key whose requests must be signed with the HMAC secret given', async () => {
    await tab.getByRole('button', { name: 'Create key' }).click();
    const form = tab.getByRole('dialog', { name: 'Create key' });
    await form.waitFor();
    await form.getByLabel('Name').fill('signed-ci');
    await form.getByLabel('Read', { exact: true }).check();
    expect(await form.getByLabel('Signing key').isVisible()).toBe(false);
    await form.getByLabel('Request signing').selectOption('hmac-sha256');
    await form.getByLabel('Signing key').fill(SECRET);
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = await tab.locator('#secret-value').inputValue();
    await tab.keyboard.press('Escape');

    const url = `${mock.baseUrl}/scans`;
    const unsigned = await fetch(url, { headers: { Authorization: `Bearer ${secret}` } });
    await expectFetched(unsigned, 401, 'listScans');
    const keys = (await (await fetch(`${mock.url}/_mock/keys`)).json()) as { data: Array<{ id: string; name: string; signing?: { alg: string } }> };
    const key = keys.data.find((k) => k.name === 'signed-ci')!;
    expect(key.signing).toEqual({ alg: 'hmac-sha256' });
    const headers = { Authorization: `Bearer ${secret}` };
    const signed = signRequest({ keyId: key.id, alg: 'hmac-sha256', secret: SECRET }, 'GET', url, headers, undefined, { created: Math.floor(T0 / 1000) });
    await expectFetched(await fetch(url, { headers: { ...headers, ...signed } }), 200, 'listScans');
  });
});
