// /dashboard in Chromium, as a developer uses it: create a Read key expiring in a day, use
// its secret, watch it expire as the clock moves, revoke another key, exhaust a Vibe Coder
// key and see the 429 in Usage and in Requests, see a client's conduct findings and follow
// a request id to its request; every control reachable by name, and axe finds nothing
// serious. Screenshots are kept under reports/dashboard/.
import { mkdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startMockServer, type RunningMock } from '../../mock/server';
import { launchChromium } from '../helpers/browser';
import { KEYS, T0_ISO } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';
import { controlProblems } from '../helpers/spec-check';

jest.setTimeout(120_000);

const SHOTS = join(__dirname, '..', '..', 'reports', 'dashboard');
const AXE = require.resolve('axe-core/axe.min.js');

describe('/dashboard in Chromium', () => {
  let mock: RunningMock;
  let browser: Browser;
  let tab: Page;
  const offOrigin: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    mock = await startMockServer({ config: { clock: T0_ISO, plans: { vibe_coder: { requests_per_window: 5, window_seconds: 60 } } } });
    browser = await launchChromium();
    tab = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    // Nothing the page does may leave the mock's origin.
    tab.on('request', (r) => {
      if (!r.url().startsWith(mock.url)) offOrigin.push(r.url());
    });
    await tab.goto(`${mock.url}/dashboard`);
    await tab.waitForSelector('body[data-loaded="true"]');
  });
  afterAll(async () => {
    await browser?.close();
    await mock?.close();
  });

  const api = (key: string) => fetch(`${mock.baseUrl}/scans`, { headers: { Authorization: `Bearer ${key}` } });
  const reason = async (res: Response) => ((await res.json()) as { error: { details: { reason: string } } }).error.details.reason;
  const keyRow = (name: string) => tab.locator('#keys tbody tr', { has: tab.getByRole('rowheader', { name, exact: true }) });

  it('creates a Read key expiring in a day and shows its secret once, which then works', async () => {
    await tab.getByRole('button', { name: 'Create key' }).click();
    const form = tab.getByRole('dialog', { name: 'Create key' });
    await form.waitFor();
    await form.getByLabel('Name').fill('ci-reader');
    await form.getByLabel('Read').check();
    // Admin implies Read and Write, and the form shows it.
    await form.getByLabel('Admin').check();
    expect(await form.getByLabel('Write').isChecked()).toBe(true);
    expect(await form.getByLabel('Write').isDisabled()).toBe(true);
    await form.getByLabel('Admin').uncheck();
    expect(await form.getByLabel('Write').isDisabled()).toBe(false);
    await form.getByLabel('Write').uncheck();
    await form.getByLabel('Expires').fill('2026-11-02');
    expect(await form.getByLabel('Never').isChecked()).toBe(false);
    await form.getByRole('button', { name: 'Create key' }).click();

    const shown = tab.getByRole('dialog', { name: 'Copy the secret now' });
    await shown.waitFor();
    expect(await shown.textContent()).toContain("It won't be shown again");
    const secret = await shown.getByLabel('Secret').inputValue();
    expect(secret).toMatch(/^sk_test_[A-Za-z0-9]{32}$/);
    await shown.getByRole('button', { name: 'Copy' }).click();
    await tab.screenshot({ path: join(SHOTS, '1-secret-shown-once.png') });
    await shown.getByRole('button', { name: 'Done' }).click();

    await expectFetched(await api(secret), 200);
    // Once closed, the secret is nowhere in the page, its storage or its URL.
    expect(await tab.content()).not.toContain(secret);
    expect(await tab.evaluate<string>('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href')).not.toContain(secret);
    const journal = await (await fetch(`${mock.url}/_mock/journal`)).text();
    expect(journal).not.toContain(secret);

    const row = keyRow('ci-reader');
    await row.waitFor();
    expect(await row.textContent()).toContain(`sk_test_…${secret.slice(-4)}`);
    expect(await row.textContent()).toContain('read');

    // Two days on the mock's clock: the key shows as expired, and the API says so.
    await tab.getByRole('button', { name: '+1 day' }).click();
    await tab.getByRole('button', { name: '+1 day' }).click();
    await row.locator('.badge.state-expired').waitFor();
    expect(await row.getAttribute('class')).toContain('state-expired');
    const expired = await api(secret);
    await expectFetched(expired, 401);
    expect(await reason(expired)).toBe('expired');
    await tab.screenshot({ path: join(SHOTS, '2-key-expired.png') });
  });

  it('revokes another key after asking, and the API then answers 401 revoked', async () => {
    const row = keyRow('read-only');
    await row.getByRole('button', { name: 'Revoke' }).click();
    const confirm = tab.getByRole('dialog', { name: 'Revoke key?' });
    await confirm.waitFor();
    // Asking first: nothing is revoked until it is confirmed.
    await expectFetched(await api(KEYS.read), 200);
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await row.locator('.badge.state-revoked').waitFor();
    const res = await api(KEYS.read);
    await expectFetched(res, 401);
    expect(await reason(res)).toBe('revoked');
  });

  it('shows an exhausted Vibe Coder key in Usage and its 429 in Requests', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api(KEYS.vibeCoderAdmin)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const card = tab.locator('#usage article[data-account-id="acct_vibe_coder"]');
    await card.locator('dd.remaining', { hasText: /^0$/ }).waitFor();
    expect(await card.locator('dd.limited-count').textContent()).toBe('1');
    expect(await card.getByRole('img').getAttribute('aria-label')).toMatch(/429s in 1 of them: 1/);
    await tab.getByLabel('Status').selectOption('429');
    const limited = tab.locator('#requests tbody tr.limited');
    await limited.first().waitFor();
    expect(await limited.count()).toBe(1);
    expect(await limited.first().textContent()).toContain('RATE_LIMIT_EXCEEDED');
    expect(await limited.first().textContent()).toContain('key_vibe_coder_admin');
    await tab.getByLabel('Status').selectOption('');
    await tab.screenshot({ path: join(SHOTS, '3-usage-and-requests.png'), fullPage: true });
  });

  it('lists the fault rules with their firings, marks the requests they shaped, and deletes a rule', async () => {
    const id = await mock.mock.faults.add({ match: { operation: 'listScans', key_id: 'key_admin' }, when: { first: 1 }, fault: { kind: 'status', status: 503, retry_after: 2 } });
    const other = await mock.mock.faults.add({ match: { operation: 'deleteUser' }, when: { probability: 0.25, times: 3 }, fault: { kind: 'latency', min_ms: 10, max_ms: 20 } });
    const shaped = await api(KEYS.admin);
    await expectFetched(shaped, 503, 'listScans');
    expect(shaped.headers.get('x-mock-fault')).toBe(`${id};kind=status`);
    await expectFetched(await api(KEYS.admin), 200, 'listScans');

    const rules = tab.getByRole('table', { name: /Fault rules/ });
    const rule = rules.locator('tbody tr', { has: tab.getByRole('rowheader', { name: id, exact: true }) });
    await rule.locator('td.seen', { hasText: /^2$/ }).waitFor();
    expect(await rule.locator('td.fired').textContent()).toBe('1');
    const text = await rule.textContent();
    for (const part of ['operation listScans, key_id key_admin', 'the first 1', 'status', '503, Retry-After 2 s', 'runtime', String(mock.mock.faults.list()[0].seed)]) expect(text).toContain(part);
    const second = rules.locator('tbody tr', { has: tab.getByRole('rowheader', { name: other, exact: true }) });
    expect(await second.textContent()).toContain('with probability 0.25, at most 3 times');
    expect(await second.textContent()).toContain('10-20 ms');

    // Requests: the shaped one says which rule and kind, and the Faulted filter finds it alone.
    await tab.getByLabel('Status').selectOption('fault');
    const faulted = tab.locator('#requests tbody tr.faulted');
    await faulted.first().waitFor();
    expect(await faulted.count()).toBe(1);
    expect(await faulted.first().locator('td.fault').textContent()).toBe(`status (${id})`);
    expect(await tab.locator('#requests tbody tr').count()).toBe(1);
    await tab.getByLabel('Status').selectOption('');
    expect(await tab.locator('#requests tbody tr:not(.faulted) td.fault', { hasText: /^-$/ }).count()).toBeGreaterThan(0);
    await tab.screenshot({ path: join(SHOTS, '4-fault-rules.png'), fullPage: true });

    // Delete goes through DELETE /_mock/faults/{id}: the mock drops the rule, the page the row.
    await rule.getByRole('button', { name: 'Delete' }).click();
    await rule.waitFor({ state: 'detached' });
    expect(mock.mock.faults.list().map((r) => r.id)).toEqual([other]);
    expect(await tab.locator('#status').textContent()).toBe(`Fault rule ${id} deleted.`);
    await second.getByRole('button', { name: 'Delete' }).click();
    await tab.getByText('No fault rules: every request is answered normally.').waitFor();
    expect(mock.mock.faults.list()).toEqual([]);
  });

  it('shows each client\'s conduct findings as text, and a request id opens that request in Requests', async () => {
    // A key whose name is markup, and a target that is markup: both are the client's text.
    const hostileName = '<img src=x onerror="window.__pwned=1">';
    const created = await fetch(`${mock.url}/_mock/keys`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ account_id: 'acct_developer', name: hostileName, permissions: [] }) });
    const key = (await created.json()) as { id: string; key: string };
    expect(controlProblems('addMockKey', { status: created.status, body: key })).toEqual([]);
    const target = '/v1/scans?q=<img/src=x/onerror=window.__pwned=2>';
    const send = () => new Promise<{ status: number; id: string }>((resolve, reject) => {
      const url = new URL(mock.url);
      const req = httpRequest({ host: url.hostname, port: url.port, path: target, headers: { Authorization: `Bearer ${key.key}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, id: String(res.headers['x-request-id']) }));
      });
      req.once('error', reject);
      req.end();
    });
    // No permission: a 403, then the same request again, which is retried_auth_error.
    const first = await send();
    const again = await send();
    expect([first.status, again.status]).toEqual([403, 403]);
    const conduct = await fetch(`${mock.url}/_mock/conduct`);
    const report = await conduct.json();
    expect(controlProblems('getConduct', { status: conduct.status, body: report })).toEqual([]);

    const row = tab.locator(`#conduct tbody tr[data-client="${key.id}"][data-rule="retried_auth_error"]`);
    await row.waitFor();
    const cells = await row.locator('th, td').allTextContents();
    expect(cells).toEqual([`${hostileName} (${key.id})`, 'retried_auth_error', 'error', expect.stringContaining('a 401 or 403 is not transient'), '1', `GET ${target} repeated after a 403`, again.id]);
    // Shown as text: no element was made of it, and no handler ran.
    expect(await tab.locator('#conduct img, #requests img').count()).toBe(0);
    expect(await tab.evaluate('window.__pwned')).toBeUndefined();

    // The 429 filter hides the 403; following the link shows that client's requests with it marked.
    await tab.getByLabel('Status').selectOption('429');
    expect(await tab.locator(`#request-${again.id}`).count()).toBe(0);
    await row.getByRole('link', { name: again.id, exact: true }).click();
    const chosen = tab.locator(`#requests tbody tr#request-${again.id}`);
    await chosen.waitFor();
    expect(await tab.getByLabel('Status').inputValue()).toBe('');
    expect(await tab.getByLabel('Key', { exact: true }).inputValue()).toBe(key.id);
    expect(await chosen.getAttribute('aria-current')).toBe('true');
    expect(await chosen.getAttribute('class')).toContain('selected');
    expect(await chosen.textContent()).toContain(again.id);
    expect(await chosen.textContent()).toContain('FORBIDDEN');
    expect(await tab.evaluate<string | undefined>('document.activeElement && document.activeElement.id')).toBe(`request-${again.id}`);
    const inView = await tab.evaluate<boolean>(`(() => { const box = document.getElementById('request-${again.id}').getBoundingClientRect(); return box.top >= 0 && box.bottom <= window.innerHeight; })()`);
    expect(inView).toBe(true);
    expect(await tab.locator('#status').textContent()).toBe(`Request ${again.id} is selected in Requests.`);
    // Only the key's requests are listed, and the refresh keeps the mark.
    expect(await tab.locator('#requests tbody tr').count()).toBe(2);
    await tab.getByRole('button', { name: '+1 minute' }).click();
    await tab.locator('#status', { hasText: 'The clock moved' }).waitFor();
    expect(await tab.locator(`#requests tbody tr#request-${again.id}.selected`).count()).toBe(1);
    await tab.screenshot({ path: join(SHOTS, '5-conduct.png'), fullPage: true });
    await tab.getByLabel('Key', { exact: true }).selectOption('');
  });

  it('names every control as written, and works from the keyboard', async () => {
    for (const name of ['Create key', 'Rotate', 'Revoke', '+1 minute', '+1 hour', '+1 day', 'Freeze', 'Run']) {
      expect(await tab.getByRole('button', { name, exact: true }).count()).toBeGreaterThan(0);
    }
    // Open the form from the keyboard, type a name, close it with Escape.
    await tab.getByRole('button', { name: 'Create key' }).focus();
    await tab.keyboard.press('Enter');
    const form = tab.getByRole('dialog', { name: 'Create key' });
    await form.waitFor();
    for (const label of ['Name', 'Read', 'Write', 'Admin', 'Expires', 'Never', 'Account']) expect(await form.getByLabel(label, { exact: true }).count()).toBe(1);
    await tab.keyboard.type('typed');
    expect(await form.getByLabel('Name').inputValue()).toBe('typed');
    await tab.keyboard.press('Tab');
    await tab.keyboard.press('Space');
    expect(await form.getByLabel('Read').isChecked()).toBe(true);
    await tab.keyboard.press('Escape');
    await form.waitFor({ state: 'hidden' });
    // Freeze and run the clock by keyboard too.
    await tab.getByRole('button', { name: 'Run' }).focus();
    await tab.keyboard.press('Enter');
    await tab.locator('#clock-state', { hasText: 'running' }).waitFor();
    await tab.getByRole('button', { name: 'Freeze' }).click();
    await tab.locator('#clock-state', { hasText: 'frozen' }).waitFor();
  });

  it('passes axe-core with no serious or critical violations, and sends nothing off the origin', async () => {
    // Evaluated over the DevTools protocol: the page's own CSP allows no inline script.
    await tab.evaluate(`${readFileSync(AXE, 'utf8')};void 0`);
    // The Conduct panel has findings (and links) when axe reads it.
    expect(await tab.locator('#conduct tbody tr').count()).toBeGreaterThan(0);
    const panel = await tab.evaluate<Array<{ id: string; impact: string; nodes: number }>>("axe.run('#conduct-panel').then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))");
    process.stdout.write(`axe-core on the Conduct panel: ${panel.length} violations${panel.length ? `: ${JSON.stringify(panel)}` : ''}\n`);
    expect(panel.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    const violations = await tab.evaluate<Array<{ id: string; impact: string; nodes: number }>>('axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))');
    process.stdout.write(`axe-core: ${violations.length} violations${violations.length ? `: ${JSON.stringify(violations)}` : ''}\n`);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    expect(offOrigin).toEqual([]);
  });

  it('shows usage a page at a time when there are many accounts, the rest behind "Show more accounts"', async () => {
    for (let i = 0; i < 120; i++) {
      const res = await fetch(`${mock.url}/_mock/accounts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: `acct_many_${i}`, name: `many ${i}`, plan: 'developer' }) });
      expect(res.status).toBe(201);
    }
    const total = mock.mock.state.keys.accounts().length;
    await tab.reload();
    await tab.waitForSelector('body[data-loaded="true"]');
    const cards = tab.locator('#usage article');
    await tab.getByRole('button', { name: 'Show more accounts' }).waitFor();
    expect(await cards.count()).toBe(100);
    expect(await tab.locator('#usage-shown').textContent()).toBe('Showing the first 100 accounts.');
    await tab.getByRole('button', { name: 'Show more accounts' }).click();
    await tab.getByRole('button', { name: 'Show more accounts' }).waitFor({ state: 'hidden' });
    expect(await cards.count()).toBe(total);
    expect(await tab.locator('#usage article[data-account-id="acct_many_119"]').count()).toBe(1);
  });
});

describe('/dashboard of a mock that needs a control token', () => {
  it('asks for the token, keeps it in the page only, and then works', async () => {
    const token = 'dashboard-test-control-token-0001';
    const mock = await startMockServer({ config: { control_token: token } });
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await tab.goto(`${mock.url}/dashboard/`);
      const panel = tab.getByRole('region', { name: 'Control token' });
      await panel.waitFor();
      expect(await tab.locator('body[data-loaded="true"]').count()).toBe(0);
      await panel.getByLabel('Control token').fill(token);
      await panel.getByRole('button', { name: 'Use token' }).click();
      await tab.waitForSelector('body[data-loaded="true"]');
      expect(await tab.locator('#keys tbody tr').count()).toBeGreaterThan(5);
      // A rule's Delete sends the token too: DELETE /_mock/faults/{id} is a change like any other.
      const id = await mock.mock.faults.add({ when: { first: 1 }, fault: { kind: 'reset' } });
      await tab.getByRole('button', { name: '+1 minute' }).click();
      await tab.getByRole('rowheader', { name: id, exact: true }).waitFor();
      await tab.getByRole('button', { name: 'Delete' }).click();
      await tab.getByText('No fault rules: every request is answered normally.').waitFor();
      expect(mock.mock.faults.list()).toEqual([]);
      expect(await tab.evaluate<string>('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href + document.cookie')).not.toContain(token);
    } finally {
      await browser.close();
      await mock.close();
    }
  });
});
