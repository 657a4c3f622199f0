// The control API's contract: every operation of openapi/control.yaml called through a
// client generated from it (openapi-typescript's types in mock/generated/control-types.ts,
// openapi-fetch), over real HTTP, and every response checked against the document: its
// status is documented for the operation, and its body matches that status's schema.
// Every status the document lists for an operation is reached, so a status that can no
// longer happen, or an operation with no check, fails here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createClient, { type Client } from 'openapi-fetch';
import { load } from 'js-yaml';
import { startMockServer, type RunningMock } from '../../mock/server';
import type { paths } from '../../mock/generated/control-types';
import { CONTROL_SPEC_PATH, HTTP_METHODS, readSpecFile } from '../../lib/openapi/load-spec';
import { controlProblems } from '../helpers/spec-check';
import { httpsGet } from '../helpers/https';
import { T0_ISO } from '../helpers/start-time';

jest.setTimeout(60_000);

const root = join(__dirname, '..', '..');
const CONTROL = readSpecFile(CONTROL_SPEC_PATH) as unknown as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };
/** Every (operationId, status) pair control.yaml documents. */
const DOCUMENTED = Object.values(CONTROL.paths).flatMap((item) => HTTP_METHODS.filter((m) => item[m]).flatMap((m) => Object.keys(item[m].responses).map((status) => `${item[m].operationId} ${status}`)));

/** An error response's details, whichever error it is. */
const details = (result: { error?: unknown }) => ((result.error as { error?: { details?: Record<string, unknown> } } | undefined)?.error?.details ?? {}) as { reason?: string; parameter?: string };

const FOREIGN = { Origin: 'http://evil.example' };
const TOO_LARGE = 'x'.repeat(70_000);
const notJson = { body: 'a=1' as never, bodySerializer: (b: unknown) => b as string, headers: { 'Content-Type': 'text/plain' } };

describe('the control API, through a client generated from control.yaml', () => {
  let server: RunningMock;
  let ctl: Client<paths>;
  const reached = new Set<string>();

  /** Awaits a call, checks its response against control.yaml and notes the pair reached. */
  async function checked<R extends { response: Response; data?: unknown; error?: unknown }>(operationId: string, call: Promise<R>): Promise<R> {
    const result = await call;
    const status = result.response.status;
    const body = result.data ?? result.error;
    expect({ operationId, status, problems: controlProblems(operationId, { status, body }) }).toEqual({ operationId, status, problems: [] });
    reached.add(`${operationId} ${status}`);
    return result;
  }

  /** A request with no Host header (HTTP/1.1 requires one: 400), which no fetch can send. */
  function withoutHost(operationId: string, method: string, path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path: `/_mock${path}`, setHost: false }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          expect({ operationId, problems: controlProblems(operationId, { status: res.statusCode!, body: JSON.parse(text) }) }).toEqual({ operationId, problems: [] });
          expect(res.statusCode).toBe(400);
          reached.add(`${operationId} ${res.statusCode}`);
          resolve();
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  beforeAll(async () => {
    server = await startMockServer({ config: { clock: T0_ISO, max_accounts: 12, max_keys_per_account: 10 } });
    ctl = createClient<paths>({ baseUrl: `${server.url}/_mock` });
  });
  afterAll(() => server?.close());

  it('describes itself: the index, and its own document as JSON and YAML', async () => {
    const index = await checked('getControlIndex', ctl.GET('/'));
    expect(index.data?.spec.json).toBe('/_mock/openapi.json');
    await checked('getControlSpecJson', ctl.GET('/openapi.json'));
    const yaml = await checked('getControlSpecYaml', ctl.GET('/openapi.yaml', { parseAs: 'text' }));
    expect((load(yaml.data as unknown as string) as { openapi: string }).openapi).toMatch(/^3\.1/);
  });

  it('reads, sets and advances the clock', async () => {
    expect((await checked('getClock', ctl.GET('/clock'))).data?.now).toBe(T0_ISO);
    expect((await checked('setClock', ctl.PUT('/clock', { body: { now: '2027-01-01T00:00:00Z' } }))).data?.epoch_ms).toBe(Date.parse('2027-01-01T00:00:00Z'));
    expect((await checked('advanceClock', ctl.POST('/clock/advance', { body: { seconds: 60 } }))).data?.now).toBe('2027-01-01T00:01:00.000Z');
    await checked('setClock', ctl.PUT('/clock', { body: { now: 'yesterday' } }));
    await checked('advanceClock', ctl.POST('/clock/advance', { body: { seconds: -1 } }));
  });

  it('lists, adds, rotates and revokes keys', async () => {
    const listed = await checked('listMockKeys', ctl.GET('/keys'));
    expect(listed.data?.data.length).toBeGreaterThan(5);
    const added = await checked('addMockKey', ctl.POST('/keys', { body: { id: 'key_contract', account_id: 'acct_developer', name: 'contract', permissions: ['read'] } }));
    expect(added.response.status).toBe(201);
    expect(details(await checked('addMockKey', ctl.POST('/keys', { body: { id: 'key_contract', account_id: 'acct_developer', name: 'again', permissions: [] } }))).reason).toBe('already_exists');
    expect(details(await checked('addMockKey', ctl.POST('/keys', { body: { account_id: 'acct_developer', name: 'x', permissions: [], mode: 'live', secret: 'sk_test_contract0000000000000000001' } }))).parameter).toBe('mode');
    // The key cap of /v1 (max_keys_per_account: 10) holds here too.
    let capped;
    for (let i = 0; i < 5 && !capped; i++) {
      const res = await checked('addMockKey', ctl.POST('/keys', { body: { account_id: 'acct_developer', name: `fill ${i}`, permissions: [] } }));
      if (res.response.status === 409) capped = res.error;
    }
    expect(capped?.error.details).toEqual({ reason: 'limit_reached', resource: 'api_key' });

    const rotated = await checked('rotateMockKey', ctl.POST('/keys/{key_id}/rotate', { params: { path: { key_id: 'key_contract' } }, body: { grace_seconds: 0 } }));
    expect(rotated.data?.key).toMatch(/^sk_test_/);
    await checked('rotateMockKey', ctl.POST('/keys/{key_id}/rotate', { params: { path: { key_id: 'key_contract' } }, body: { grace_seconds: -1 } }));
    await checked('rotateMockKey', ctl.POST('/keys/{key_id}/rotate', { params: { path: { key_id: 'key_nope' } }, body: { grace_seconds: 0 } }));
    // Revoke takes no body (as openapi-fetch sends it), or {}.
    expect((await checked('revokeMockKey', ctl.POST('/keys/{key_id}/revoke', { params: { path: { key_id: 'key_contract' } } }))).data?.state).toBe('revoked');
    expect((await checked('revokeMockKey', ctl.POST('/keys/{key_id}/revoke', { params: { path: { key_id: 'key_read' } }, body: {} }))).data?.state).toBe('revoked');
    expect(details(await checked('revokeMockKey', ctl.POST('/keys/{key_id}/revoke', { params: { path: { key_id: 'key_contract' } } }))).reason).toBe('key_revoked');
    await checked('rotateMockKey', ctl.POST('/keys/{key_id}/rotate', { params: { path: { key_id: 'key_contract' } }, body: { grace_seconds: 0 } }));
    await checked('revokeMockKey', ctl.POST('/keys/{key_id}/revoke', { params: { path: { key_id: 'key_write' } }, body: { extra: 1 } as never }));
    await checked('revokeMockKey', ctl.POST('/keys/{key_id}/revoke', { params: { path: { key_id: 'key_nope' } } }));
  });

  it('adds accounts up to max_accounts, and pages usage', async () => {
    await checked('addMockAccount', ctl.POST('/accounts', { body: { id: 'acct_contract', name: 'Contract', plan: 'developer' } }));
    await checked('addMockAccount', ctl.POST('/accounts', { body: { id: 'acct_contract', name: 'Contract', plan: 'developer' } }));
    await checked('addMockAccount', ctl.POST('/accounts', { body: { id: 'nope', name: 'Contract', plan: 'developer' } }));
    let capped;
    for (let i = 0; i < 12 && !capped; i++) {
      const res = await checked('addMockAccount', ctl.POST('/accounts', { body: { id: `acct_fill_${i}`, name: `fill ${i}`, plan: 'vibe_coder' } }));
      if (res.response.status === 409) capped = res.error;
    }
    expect(capped?.error.details).toEqual({ reason: 'limit_reached', resource: 'account' });
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await checked('getMockUsage', ctl.GET('/usage', { params: { query: { limit: 5, windows: 3, cursor } } }));
      ids.push(...page.data!.data.map((a) => a.account_id));
      cursor = page.data!.next_cursor ?? undefined;
    } while (cursor);
    expect(ids).toHaveLength(12);
    expect(ids).toContain('acct_contract');
    await checked('getMockUsage', ctl.GET('/usage', { params: { query: { windows: 0 } } }));
  });

  it('reads and clears the journal, and resets', async () => {
    await fetch(`${server.baseUrl}/whoami`);
    expect((await checked('getJournal', ctl.GET('/journal', { params: { query: { limit: 5 } } }))).data?.data.length).toBe(1);
    await checked('getJournal', ctl.GET('/journal', { params: { query: { limit: 0 } } }));
    // No body and no Content-Type, as openapi-fetch sends them.
    await checked('clearJournal', ctl.DELETE('/journal'));
    expect((await checked('getJournal', ctl.GET('/journal'))).data?.data).toEqual([]);
    await checked('resetMock', ctl.POST('/reset'));
    expect((await checked('getClock', ctl.GET('/clock'))).data?.now).toBe(T0_ISO);
  });

  it('reads the conduct report: a key in the query is a finding, and a reset clears it', async () => {
    await fetch(`${server.baseUrl}/whoami?api_key=sk_test_readonly_00000000000000000001`);
    const found = (await checked('getConduct', ctl.GET('/conduct'))).data;
    expect(found?.clients.flatMap((c) => c.findings.map((f) => f.rule))).toContain('key_in_query');
    await checked('resetMock', ctl.POST('/reset'));
    expect((await checked('getConduct', ctl.GET('/conduct'))).data).toEqual({ clients: [] });
  });

  it('lists, adds and removes fault rules, refusing a bad rule or id with a 400 naming the field and an unknown id with a 404', async () => {
    const added = await checked('addFault', ctl.POST('/faults', { body: { match: { operation: 'listScans' }, when: { first: 2 }, fault: { kind: 'status', status: 503 } } }));
    expect(added.response.status).toBe(201);
    const id = added.data!.id;
    expect(added.data).toMatchObject({ source: 'runtime', seen: 0, fired: 0 });
    expect(details(await checked('addFault', ctl.POST('/faults', { body: { when: { first: 0 }, fault: { kind: 'reset' } } }))).parameter).toBe('when.first');
    expect((await checked('listFaults', ctl.GET('/faults'))).data?.data.map((r) => r.id)).toEqual([id]);
    expect(details(await checked('removeFault', ctl.DELETE('/faults/{fault_id}', { params: { path: { fault_id: 'flt_x' } } }))).parameter).toBe('fault_id');
    expect((await checked('removeFault', ctl.DELETE('/faults/{fault_id}', { params: { path: { fault_id: id } } }))).response.status).toBe(204);
    expect((await checked('removeFault', ctl.DELETE('/faults/{fault_id}', { params: { path: { fault_id: id } } }))).response.status).toBe(404);
    expect((await checked('listFaults', ctl.GET('/faults'))).data?.data).toEqual([]);
  });

  it('refuses, in the documented shapes, what the door refuses: another origin (403), a body that is not JSON (415), one too large (413), no Host (400)', async () => {
    const every: Array<[string, () => Promise<{ response: Response }>]> = [
      ['getControlIndex', () => ctl.GET('/', { headers: FOREIGN })],
      ['getControlSpecJson', () => ctl.GET('/openapi.json', { headers: FOREIGN })],
      ['getControlSpecYaml', () => ctl.GET('/openapi.yaml', { headers: FOREIGN })],
      ['resetMock', () => ctl.POST('/reset', { headers: FOREIGN })],
      ['getClock', () => ctl.GET('/clock', { headers: FOREIGN })],
      ['setClock', () => ctl.PUT('/clock', { headers: FOREIGN, body: { now: '2027-01-01T00:00:00Z', frozen: true } })],
      ['advanceClock', () => ctl.POST('/clock/advance', { headers: FOREIGN, body: { seconds: 1 } })],
      ['listMockKeys', () => ctl.GET('/keys', { headers: FOREIGN })],
      ['addMockKey', () => ctl.POST('/keys', { headers: FOREIGN, body: { account_id: 'acct_developer', name: 'x', permissions: [] } })],
      ['rotateMockKey', () => ctl.POST('/keys/{key_id}/rotate', { headers: FOREIGN, params: { path: { key_id: 'key_read' } }, body: { grace_seconds: 0 } })],
      ['revokeMockKey', () => ctl.POST('/keys/{key_id}/revoke', { headers: FOREIGN, params: { path: { key_id: 'key_read' } } })],
      ['getMockUsage', () => ctl.GET('/usage', { headers: FOREIGN })],
      ['addMockAccount', () => ctl.POST('/accounts', { headers: FOREIGN, body: { id: 'acct_x', name: 'x', plan: 'developer' } })],
      ['getJournal', () => ctl.GET('/journal', { headers: FOREIGN })],
      ['clearJournal', () => ctl.DELETE('/journal', { headers: FOREIGN })],
      ['getTls', () => ctl.GET('/tls', { headers: FOREIGN })],
      ['getConduct', () => ctl.GET('/conduct', { headers: FOREIGN })],
      ['listFaults', () => ctl.GET('/faults', { headers: FOREIGN })],
      ['addFault', () => ctl.POST('/faults', { headers: FOREIGN, body: { when: { first: 1 }, fault: { kind: 'reset' } } })],
      ['removeFault', () => ctl.DELETE('/faults/{fault_id}', { headers: FOREIGN, params: { path: { fault_id: 'flt_1' } } })],
    ];
    for (const [operationId, call] of every) expect((await checked(operationId, call() as Promise<{ response: Response; error?: unknown }>)).response.status).toBe(403);

    await checked('resetMock', ctl.POST('/reset', notJson));
    await checked('clearJournal', ctl.DELETE('/journal', notJson));
    await checked('setClock', ctl.PUT('/clock', notJson));
    await checked('advanceClock', ctl.POST('/clock/advance', notJson));
    await checked('addMockKey', ctl.POST('/keys', notJson));
    await checked('rotateMockKey', ctl.POST('/keys/{key_id}/rotate', { ...notJson, params: { path: { key_id: 'key_read' } } }));
    await checked('revokeMockKey', ctl.POST('/keys/{key_id}/revoke', { ...notJson, params: { path: { key_id: 'key_read' } } }));
    await checked('addMockAccount', ctl.POST('/accounts', notJson));
    await checked('addFault', ctl.POST('/faults', notJson));
    await checked('removeFault', ctl.DELETE('/faults/{fault_id}', { ...notJson, params: { path: { fault_id: 'flt_1' } } }));

    await checked('setClock', ctl.PUT('/clock', { body: { now: TOO_LARGE } }));
    await checked('advanceClock', ctl.POST('/clock/advance', { body: { note: TOO_LARGE } as never }));
    await checked('addMockKey', ctl.POST('/keys', { body: { account_id: 'acct_developer', name: TOO_LARGE, permissions: [] } }));
    await checked('rotateMockKey', ctl.POST('/keys/{key_id}/rotate', { params: { path: { key_id: 'key_read' } }, body: { note: TOO_LARGE } as never }));
    await checked('revokeMockKey', ctl.POST('/keys/{key_id}/revoke', { params: { path: { key_id: 'key_read' } }, body: { note: TOO_LARGE } as never }));
    await checked('addMockAccount', ctl.POST('/accounts', { body: { id: 'acct_big', name: TOO_LARGE, plan: 'developer' } }));
    await checked('addFault', ctl.POST('/faults', { body: { when: { first: 1 }, fault: { kind: 'reset' }, note: TOO_LARGE } as never }));

    for (const [operationId, method, path] of [['getControlIndex', 'GET', ''], ['getControlSpecJson', 'GET', '/openapi.json'], ['getControlSpecYaml', 'GET', '/openapi.yaml'], ['resetMock', 'POST', '/reset'], ['getClock', 'GET', '/clock'], ['listMockKeys', 'GET', '/keys'], ['clearJournal', 'DELETE', '/journal'], ['getTls', 'GET', '/tls'], ['listFaults', 'GET', '/faults'], ['getConduct', 'GET', '/conduct']]) {
      await withoutHost(operationId, method, path);
    }
    // Nothing refused changed anything.
    expect(server.mock.state.keys.getKey('key_read')!.revoked).toBe(false);
    expect(server.mock.faults.list()).toEqual([]);
  });

  it('reads the TLS set-up: 404 over plain HTTP, the CA over HTTPS', async () => {
    expect((await checked('getTls', ctl.GET('/tls'))).response.status).toBe(404);
    const dir = mkdtempSync(join(tmpdir(), 'control-tls-'));
    const tls = await startMockServer({ config: { log_level: 'silent' }, tls: true, tlsDir: dir });
    try {
      // fetch takes no CA of its own: node:https, then the same check.
      const res = await httpsGet(`${tls.url}/_mock/tls`, { ca: tls.ca });
      if ('error' in res) throw new Error(res.error);
      expect((await checked('getTls', Promise.resolve({ response: new Response(null, { status: res.status }), data: res.body }))).data).toEqual({ ca_pem: tls.ca, profiles: [] });
    } finally {
      await tls.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 503 store_unavailable for every request for the state when its shared store cannot be reached (no Redis: a closed port)', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const away = await startMockServer({ config: { clock: T0_ISO, store: `redis://127.0.0.1:${closed}/0` } });
    try {
      const c = createClient<paths>({ baseUrl: `${away.url}/_mock` });
      const key = { params: { path: { key_id: 'key_read' } } };
      const calls: Array<[string, Promise<{ response: Response; data?: unknown; error?: unknown }>]> = [
        ['resetMock', c.POST('/reset')],
        ['getClock', c.GET('/clock')],
        ['setClock', c.PUT('/clock', { body: { now: '2027-01-01T00:00:00Z' } })],
        ['advanceClock', c.POST('/clock/advance', { body: { seconds: 1 } })],
        ['listMockKeys', c.GET('/keys')],
        ['addMockKey', c.POST('/keys', { body: { account_id: 'acct_developer', name: 'x', permissions: [] } })],
        ['rotateMockKey', c.POST('/keys/{key_id}/rotate', { ...key, body: { grace_seconds: 0 } })],
        ['revokeMockKey', c.POST('/keys/{key_id}/revoke', key)],
        ['getMockUsage', c.GET('/usage')],
        ['addMockAccount', c.POST('/accounts', { body: { id: 'acct_x', name: 'X', plan: 'developer' } })],
        ['getJournal', c.GET('/journal')],
        ['clearJournal', c.DELETE('/journal')],
        ['listFaults', c.GET('/faults')],
        ['addFault', c.POST('/faults', { body: { when: { first: 1 }, fault: { kind: 'status', status: 503 } } })],
        ['removeFault', c.DELETE('/faults/{fault_id}', { params: { path: { fault_id: 'flt_1' } } })],
      ];
      for (const [operationId, call] of calls) {
        const res = await checked(operationId, call);
        expect({ operationId, status: res.response.status, reason: details(res).reason, retryAfter: res.response.headers.get('retry-after') }).toEqual({ operationId, status: 503, reason: 'store_unavailable', retryAfter: '1' });
      }
    } finally {
      await away.close();
      await away.mock.close();
    }
  });

  it('has reached every status control.yaml documents for every operation', () => {
    expect(DOCUMENTED.filter((pair) => !reached.has(pair))).toEqual([]);
    expect([...reached].filter((pair) => !DOCUMENTED.includes(pair))).toEqual([]);
  });
});
