// Over real HTTP on port 0: the in-process server handle for SDK suites, the README's curl,
// and the docs.
import { startMockServer } from '../../mock/server';
import { KEYS, T0, T0_ISO } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';

describe('startMockServer', () => {
  it('should listen on a free port and hand back url, clock, reset and close', async () => {
    const server = await startMockServer({ config: { clock: T0_ISO } });
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.baseUrl).toBe(`http://127.0.0.1:${server.port}/v1`);
      // The README's "Testing Authentication" call.
      const res = await fetch(`${server.baseUrl}/scans`, { headers: { Authorization: `Bearer ${KEYS.read}` } });
      await expectFetched(res, 200);
      const body = (await res.json()) as { object: string; data: unknown[] };
      expect(body.object).toBe('list');
      expect(body.data.length).toBeGreaterThan(0);
      expect(server.clock.now()).toBe(T0);
      server.clock.advance(1_000);
      server.reset();
      expect(server.clock.now()).toBe(T0);
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.baseUrl}/whoami`)).rejects.toThrow();
  });

  it('should run two mocks in one process without sharing state', async () => {
    const a = await startMockServer({ config: { plans: { developer: { requests_per_window: 1 } } } });
    const b = await startMockServer({ config: { plans: { developer: { requests_per_window: 1 } } } });
    try {
      const call = (base: string) => fetch(`${base}/whoami`, { headers: { Authorization: `Bearer ${KEYS.read}` } }).then((r) => r.status);
      expect(await call(a.baseUrl)).toBe(200);
      expect(await call(a.baseUrl)).toBe(429);
      expect(await call(b.baseUrl)).toBe(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('should reject, not exit, when the port is taken', async () => {
    const a = await startMockServer();
    try {
      await expect(startMockServer({ port: a.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await a.close();
    }
  });

  it('should serve the interactive reference at /docs with its assets, and the spec', async () => {
    const server = await startMockServer();
    try {
      const page = await fetch(`${server.url}/docs`);
      expect(page.status).toBe(200);
      expect(page.url).toBe(`${server.url}/docs/`);
      expect(await page.text()).toContain('src="init.js"');
      const init = await (await fetch(`${server.url}/docs/init.js`)).text();
      expect(init).toContain("new URL('openapi.json', base)");
      expect(init).toContain("new URL('_mock/openapi.json', base)");
      expect((await fetch(`${server.url}/favicon.ico`)).status).toBe(200);
      const asset = await fetch(`${server.url}/docs/assets/swagger-ui-bundle.js`);
      expect(asset.status).toBe(200);
      expect((await asset.text()).length).toBeGreaterThan(100_000);
      const yaml = await fetch(`${server.url}/openapi.yaml`);
      expect(await yaml.text()).toMatch(/^openapi: 3\.1/);
    } finally {
      await server.close();
    }
  });
});
