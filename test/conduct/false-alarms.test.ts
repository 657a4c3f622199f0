// No false alarms (issue 24 point 5): a polite client's behaviour that a rule could misread.
// A GET whose answer a fault cut short (a truncated body: the ETag came, the representation
// did not) is retried, not repeated: the retry has nothing to revalidate.
import { withMockServer } from '../helpers/mock-server';
import { expectFetched } from '../helpers/expect-response';
import { bearer, KEYS, T0_ISO } from '../helpers/fixtures';

jest.setTimeout(60_000);

it('a GET retried after a truncated answer raises no uncached_repeat, though the cut answer carried an ETag', async () => {
  await withMockServer({ config: { clock: T0_ISO, faults: [{ match: { operation: 'listScans' }, when: { first: 1 }, fault: { kind: 'truncate', fraction: 0.5 } }] } }, async (server) => {
    const cut = await fetch(`${server.baseUrl}/scans`, { headers: bearer(KEYS.read) });
    expect(cut.headers.get('etag')).toMatch(/^"/);
    await expect(cut.arrayBuffer()).rejects.toThrow();
    await expectFetched(await fetch(`${server.baseUrl}/scans`, { headers: bearer(KEYS.read) }), 200, 'listScans');
    expect(server.mock.conduct()).toEqual({ clients: [] });
  });
});

it('a GET repeated after a whole answer with an ETag still raises uncached_repeat', async () => {
  await withMockServer({ config: { clock: T0_ISO } }, async (server) => {
    for (let i = 0; i < 2; i++) await expectFetched(await fetch(`${server.baseUrl}/scans`, { headers: bearer(KEYS.read) }), 200, 'listScans');
    expect(server.mock.conduct().clients.flatMap((c) => c.findings.map((f) => f.rule))).toEqual(['uncached_repeat']);
  });
});

describe('a forced outcome (Prefer: code=NNN) is the answer the client asked for', () => {
  const send = (server: { baseUrl: string }, path: string, init: RequestInit = {}) =>
    fetch(`${server.baseUrl}${path}`, { ...init, headers: { ...bearer(KEYS.admin), 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) } });

  it('a forced 429 asks no wait: the next requests at once raise neither retry_before_reset nor burst_over_limit', async () => {
    await withMockServer({ config: { clock: T0_ISO } }, async (server) => {
      for (let i = 0; i < 3; i++) await expectFetched(await send(server, '/scans', { headers: { Prefer: 'code=429' } }), 429, 'listScans');
      await expectFetched(await send(server, '/reports'), 200, 'listReports');
      await expectFetched(await send(server, '/users'), 200, 'listUsers');
      expect(server.mock.conduct()).toEqual({ clients: [] });
    });
  });

  it('a create after a forced 503 is no retry: no post_retry_without_idempotency_key', async () => {
    await withMockServer({ config: { clock: T0_ISO } }, async (server) => {
      const body = JSON.stringify({ target: 'host-1.example', scan_type: 'quick' });
      await expectFetched(await send(server, '/scans', { method: 'POST', body, headers: { Prefer: 'code=503' } }), 503, 'createScan');
      await expectFetched(await send(server, '/scans', { method: 'POST', body }), 201, 'createScan');
      expect(server.mock.conduct()).toEqual({ clients: [] });
    });
  });

  it('a request sent before a real 429\'s Retry-After is still retry_before_reset, forced or not', async () => {
    await withMockServer({ config: { clock: T0_ISO, plans: { developer: { requests_per_window: 1, window_seconds: 60 } } } }, async (server) => {
      await expectFetched(await send(server, '/reports'), 200, 'listReports');
      await expectFetched(await send(server, '/users'), 429, 'listUsers');
      await expectFetched(await send(server, '/scans', { headers: { Prefer: 'code=429' } }), 429, 'listScans');
      expect(server.mock.conduct().clients.flatMap((c) => c.findings.map((f) => f.rule))).toEqual(['retry_before_reset']);
    });
  });
});

describe('a GET after the client changed its resource', () => {
  it('is no uncached_repeat: the change invalidated what the client held (RFC 9111 section 4.4)', async () => {
    await withMockServer({ config: { clock: T0_ISO } }, async (server) => {
      const headers = { ...bearer(KEYS.admin), 'Content-Type': 'application/json' };
      const created = await fetch(`${server.baseUrl}/users`, { method: 'POST', headers, body: JSON.stringify({ email: 'ada@corp.example', name: 'Ada', role: 'viewer' }) });
      await expectFetched(created, 201, 'createUser');
      const { id } = (await created.clone().json()) as { id: string };
      await expectFetched(await fetch(`${server.baseUrl}/users/${id}`, { headers }), 200, 'getUser');
      await expectFetched(await fetch(`${server.baseUrl}/users/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ name: 'Ada L.' }) }), 200, 'updateUser');
      await expectFetched(await fetch(`${server.baseUrl}/users/${id}`, { headers }), 200, 'getUser');
      expect(server.mock.conduct()).toEqual({ clients: [] });
    });
  });

  it('is still uncached_repeat when the change was refused', async () => {
    await withMockServer({ config: { clock: T0_ISO } }, async (server) => {
      const headers = { ...bearer(KEYS.admin), 'Content-Type': 'application/json' };
      const list = await fetch(`${server.baseUrl}/users`, { headers });
      await expectFetched(list, 200, 'listUsers');
      await expectFetched(await fetch(`${server.baseUrl}/users`, { method: 'POST', headers, body: JSON.stringify({ email: 'not an email' }) }), 400, 'createUser');
      await expectFetched(await fetch(`${server.baseUrl}/users`, { headers }), 200, 'listUsers');
      expect(server.mock.conduct().clients.flatMap((c) => c.findings.map((f) => f.rule))).toEqual(['uncached_repeat']);
    });
  });
});
