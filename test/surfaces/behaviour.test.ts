// One behaviour suite, three ways in: the node:http server, an Express mount inside a host
// app that parses JSON first, and MSW handlers answering fetch in process. Each surface
// must give the same auth matrix, limits, state, clock and errors, because each runs the
// same core.
import express from 'express';
import request from 'supertest';
import { setupServer } from 'msw/node';
import { startMockServer, type RunningMock } from '../../mock/server';
import { createMock } from '../../mock/app';
import type { MockCore } from '../../mock/core';
import { createMswHandlers } from '../../mock/surfaces/msw';
import { KEYS, T0_ISO } from '../helpers/fixtures';
import { expectResponse, specStatus } from '../helpers/expect-response';

interface Answer {
  status: number;
  header(name: string): string | null;
  body: { error?: { code: string; details: Record<string, unknown> }; id?: string; [k: string]: unknown };
}

interface Surface {
  mock: MockCore;
  /** `path` is below the API's base: `/scans`. */
  send(method: string, path: string, init?: { key?: string; body?: unknown }): Promise<Answer>;
  close(): Promise<void>;
}

const CONFIG = { clock: T0_ISO, plans: { vibe_coder: { requests_per_window: 3, window_seconds: 60 } } };

const headersOf = (key?: string, body?: unknown): Record<string, string> => ({
  ...(key ? { Authorization: `Bearer ${key}` } : {}),
  ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
});

async function viaFetch(url: string, method: string, init: { key?: string; body?: unknown } = {}): Promise<Answer> {
  const res = await fetch(url, { method, headers: headersOf(init.key, init.body), body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  return { status: res.status, header: (n) => res.headers.get(n), body: text ? JSON.parse(text) : {} };
}

const surfaces: Array<[string, () => Promise<Surface>]> = [
  [
    'node:http (startMockServer)',
    async () => {
      const running: RunningMock = await startMockServer({ config: CONFIG });
      return { mock: running.mock, send: (m, p, i) => viaFetch(`${running.baseUrl}${p}`, m, i), close: () => running.close() };
    },
  ],
  [
    'Express mount (app.use("/cortex", mock.router()) behind express.json())',
    async () => {
      const mock = createMock({ config: CONFIG });
      const host = express();
      host.use(express.json());
      host.use('/cortex', mock.router());
      const send = async (method: string, path: string, init: { key?: string; body?: unknown } = {}): Promise<Answer> => {
        let req = request(host)[method.toLowerCase() as 'get'](`/cortex/v1${path}`).set(headersOf(init.key, init.body));
        if (init.body !== undefined) req = req.send(init.body as object);
        const res = await req;
        return { status: res.status, header: (n) => (res.headers[n.toLowerCase()] as string | undefined) ?? null, body: res.body };
      };
      return { mock, send, close: async () => undefined };
    },
  ],
  [
    'MSW handlers (setupServer, fetch with no port)',
    async () => {
      const { handlers, mock } = createMswHandlers({ baseUrl: 'https://api.cortex-edr.com/v1', config: CONFIG });
      const server = setupServer(...handlers);
      server.listen({ onUnhandledRequest: 'error' });
      return { mock, send: (m, p, i) => viaFetch(`https://api.cortex-edr.com/v1${p}`, m, i), close: async () => server.close() };
    },
  ],
];

describe.each(surfaces)('through %s', (_name, open) => {
  let surface: Surface;
  beforeEach(async () => {
    surface = await open();
  });
  afterEach(() => surface.close());

  it('gives each refused credential its exact 401, with the challenge', async () => {
    const none = await surface.send('GET', '/scans');
    expectResponse(none, 401, 'listScans');
    expect(none.body.error).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'missing' } });
    expect(none.header('www-authenticate')).toBe('Bearer realm="cortex-edr"');
    for (const [key, reason] of [[KEYS.expired, 'expired'], [KEYS.revoked, 'revoked'], [KEYS.live, 'live_key_refused'], ['sk_test_short', 'malformed']] as const) {
      const res = await surface.send('GET', '/scans', { key });
      expectResponse(res, 401, 'listScans');
      expect(res.body.error?.details.reason).toBe(reason);
    }
  });

  it('gives 403 naming the permission a key lacks, and lets admin stand for read and write', async () => {
    const refused = await surface.send('POST', '/scans', { key: KEYS.read, body: { target: 'host-01', scan_type: 'quick' } });
    expectResponse(refused, 403, 'createScan');
    expect(refused.body.error?.details).toMatchObject({ required_permissions: ['write'], provided_permissions: ['read'] });
    expectResponse(await surface.send('GET', '/scans', { key: KEYS.admin }), 200, 'listScans');
  });

  it('keeps state: a created scan (its body parsed by whoever got it first) can be fetched', async () => {
    const created = await surface.send('POST', '/scans', { key: KEYS.write, body: { target: 'host-01', scan_type: 'quick' } });
    expectResponse(created, 201, 'createScan');
    const fetched = await surface.send('GET', `/scans/${created.body.id}`, { key: KEYS.read });
    expectResponse(fetched, 200, 'getScan');
    expect(fetched.body.id).toBe(created.body.id);
    expectResponse(await surface.send('GET', '/scans/scan_doesnotexist00', { key: KEYS.read }), 404, 'getScan');
  });

  it('counts the plan down to a 429 at N+1, and the clock handle opens the next window', async () => {
    for (let i = 2; i >= 0; i--) {
      const ok = await surface.send('GET', '/whoami', { key: KEYS.vibeCoderAdmin });
      expectResponse(ok, 200, 'getWhoami');
      expect([ok.header('x-ratelimit-limit'), ok.header('x-ratelimit-remaining')]).toEqual(['3', String(i)]);
      // The IETF fields, the same figures (T0 is 30 s into its minute).
      expect([ok.header('ratelimit-policy'), ok.header('ratelimit')]).toEqual(['"vibe_coder";q=3;w=60', `"vibe_coder";r=${i};t=30`]);
    }
    const limited = await surface.send('GET', '/whoami', { key: KEYS.vibeCoderAdmin });
    expectResponse(limited, 429, 'getWhoami');
    expect(limited.body.error?.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(Number(limited.header('retry-after'))).toBe(30);
    expect([limited.header('ratelimit-policy'), limited.header('ratelimit')]).toEqual(['"vibe_coder";q=3;w=60', '"vibe_coder";r=0;t=30']);
    surface.mock.clock.advance(30_000);
    expectResponse(await surface.send('GET', '/whoami', { key: KEYS.vibeCoderAdmin }), 200, 'getWhoami');
  });

  it('answers invalid input with a 400 that names it, and an unknown route with 404', async () => {
    const bad = await surface.send('GET', '/scans?limit=abc', { key: KEYS.read });
    expectResponse(bad, 400, 'listScans');
    expect(bad.body.error?.details.parameter).toBe('limit');
    const extra = await surface.send('POST', '/scans', { key: KEYS.write, body: { target: 'host-01', scan_type: 'quick', extra: 1 } });
    expectResponse(extra, 400, 'createScan');
    expect(extra.body.error?.details.parameter).toBe('extra');
    expect((await surface.send('GET', '/nope', { key: KEYS.read })).status).toBe(404);
  });
});

describe('the Express mount inside a host app', () => {
  const host = () => {
    const mock = createMock({ config: CONFIG });
    const app = express();
    app.use(express.json());
    app.use('/cortex', mock.router());
    app.get('/cortex/health', (_req, res) => {
      res.json({ ok: true });
    });
    app.use((_req, res) => {
      res.status(404).send('host 404');
    });
    return app;
  };

  it('lets the host answer a path the mock does not know', async () => {
    const app = host();
    expect((await request(app).get('/cortex/health').expect(200)).body).toEqual({ ok: true });
    expect((await request(app).get('/cortex/elsewhere').expect(404)).text).toBe('host 404');
  });

  it('serves /docs/, /dashboard/ and the spec under the mount, with relative URLs', async () => {
    const app = host();
    await request(app).get('/cortex/docs').expect(301).expect('Location', '/cortex/docs/');
    const page = await request(app).get('/cortex/docs/').expect(200);
    expect(page.text).not.toMatch(/(src|href)="\//);
    await request(app).get('/cortex/docs/assets/swagger-ui.css').expect(200);
    await request(app).get('/cortex/openapi.json').expect(200).expect('Content-Type', /json/);
    const index = await request(app).get('/_mock'.replace('/', '/cortex/')).expect(specStatus(200));
    expect(index.body.spec.json).toBe('/cortex/_mock/openapi.json');
    expect(index.body.api.base).toBe('/cortex/v1');
    await request(app).get('/cortex/dashboard').expect(301).expect('Location', '/cortex/dashboard/');
    const dashboard = await request(app).get('/cortex/dashboard/').expect(200);
    expect(dashboard.text).toContain('src="dashboard.js"');
    expect(dashboard.text).not.toMatch(/(src|href)="\//);
    await request(app).get('/cortex/dashboard/dashboard.js').expect(200).expect('Content-Type', /javascript/);
  });
});
