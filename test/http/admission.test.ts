// What every route checks before anything else, at its edges: a Host that is neither a
// name nor an IP literal, an absolute-form target naming another host, a refusal that
// would repeat a key; and the control API's door: repeated Origin or Sec-Fetch-Site, and
// an Origin of another scheme or port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { startMockServer } from '../../mock/server';
import { KEYS, bearer, testMock, T0 } from '../helpers/fixtures';
import { operation, specProblems, controlProblems } from '../helpers/spec-check';
import { expectResponse } from '../helpers/expect-response';
import { bodyOf, parsed, raw } from '../helpers/raw-http';

describe('the Host check', () => {
  it.each(['[evil.example]', '[::1]evil.example', '[::1]:4010x', '[127.0.0.1]', 'evil.example/x', 'a b', '127.0.0.1@evil.example', '[::1', 'evil.example:80:80'])(
    'refuses Host %s, which is neither a name nor an IP literal, with 403 on /v1 and /_mock',
    async (host) => {
      const mock = testMock();
      const v1 = await request(mock.handler).get('/v1/users').set('Host', host).set(bearer(KEYS.admin)).expect(403);
      expect(specProblems(operation('listUsers'), v1)).toEqual([]);
      expect(v1.body.error.details.reason).toBe('host_not_allowed');
      const control = await request(mock.handler).post('/_mock/clock/advance').set('Host', host).send({ seconds: 60 }).expect(403);
      expect(control.body.error.details.reason).toBe('host_not_allowed');
      expect(mock.clock.now()).toBe(T0);
    },
  );

  it.each(['[::1]', '[::1]:4010', '[0:0:0:0:0:0:0:1]:80', '127.0.0.1', 'localhost.:4010'])('still lets Host %s through', async (host) => {
    await request(testMock().handler).get('/v1/whoami').set('Host', host).set(bearer(KEYS.read)).expect(200);
  });

  it('never repeats a key pasted into Host, in any case, in the refusal', async () => {
    const mock = testMock();
    for (const host of [KEYS.admin, KEYS.admin.toUpperCase(), `${KEYS.read}.example`, `x.${KEYS.live}:4010`]) {
      const res = await request(mock.handler).get('/v1/users').set('Host', host).set(bearer(KEYS.admin)).expect(403);
      expect(specProblems(operation('listUsers'), res)).toEqual([]);
      const text = JSON.stringify(res.body).toLowerCase();
      expect(text).not.toContain('readonly_0000');
      expect(text).not.toContain('admin_0000');
      expect(text).not.toContain('mock_fixture');
      expect(text).not.toMatch(/sk_?(test|live)_?/);
    }
  });
});

describe('a Host header that is repeated or names a bad port', () => {
  let server: Awaited<ReturnType<typeof startMockServer>>;
  beforeAll(async () => {
    server = await startMockServer({ port: 0 });
  }, 30_000);
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const send = (target: string, hosts: string[], extra = '') =>
    raw(server.port, `GET ${target} HTTP/1.1\r\n${hosts.map((h) => `Host: ${h}\r\n`).join('')}Authorization: Bearer ${KEYS.read}\r\n${extra}Connection: close\r\n\r\n`);

  it.each([
    [['localhost', 'evil.example']],
    [['evil.example', 'localhost']],
    [['127.0.0.1', '127.0.0.1']],
  ])('refuses two Host lines %j with 400 (RFC 9112 section 3.2), on /v1, /_mock and /docs', async (hosts) => {
    const v1 = parsed(await send('/v1/whoami', hosts));
    expectResponse(v1, 400, 'getWhoami');
    expect(v1.body.error.details).toEqual({ parameter: 'Host', location: 'header', schema_path: '#/paths', reason: 'repeated' });
    const control = parsed(await send('/_mock/clock', hosts));
    expect(control.status).toBe(400);
    expect(controlProblems('getClock', control)).toEqual([]);
    expect(control.body.error.details.reason).toBe('repeated');
    const docs = await send('/docs/', hosts, 'Accept: text/html\r\n');
    expect(docs).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(docs).error.details.reason).toBe('repeated');
  });

  it.each(['localhost:99999', 'localhost:', 'localhost:0', 'localhost:65536', '127.0.0.1:123456', '[::1]:', '[::1]:70000'])(
    'refuses Host %s, whose port is not 1 to 65535, with 400 malformed_host on /v1 and /_mock',
    async (host) => {
      const v1 = parsed(await send('/v1/whoami', [host]));
      expectResponse(v1, 400, 'getWhoami');
      expect(v1.body.error.details).toEqual({ parameter: 'Host', location: 'header', schema_path: '#/paths', reason: 'malformed_host' });
      const control = parsed(await send('/_mock/clock', [host]));
      expect(control.status).toBe(400);
      expect(controlProblems('getClock', control)).toEqual([]);
      expect(control.body.error.details.reason).toBe('malformed_host');
    },
  );

  it.each(['localhost:1', 'localhost:65535', '127.0.0.1:4010', '[::1]:80', 'localhost'])('still lets Host %s through', async (host) => {
    expectResponse(parsed(await send('/v1/whoami', [host])), 200, 'getWhoami');
  });

  it('checks the port of an absolute-form target the same way', async () => {
    const out = parsed(await send('http://localhost:99999/v1/whoami', ['localhost']));
    expectResponse(out, 400, 'getWhoami');
    expect(out.body.error.details.reason).toBe('malformed_host');
  });
});

describe('an absolute-form request target', () => {
  let server: Awaited<ReturnType<typeof startMockServer>>;
  beforeAll(async () => {
    server = await startMockServer({ port: 0 });
  }, 30_000);
  afterAll(() => server.close());

  it.each([
    ['GET', 'http://evil.example/v1/whoami'],
    ['GET', 'http://evil.example:4010/_mock/clock'],
    ['POST', 'http://rebind.attacker.example/_mock/reset'],
    ['GET', 'http://127.0.0.1@evil.example/openapi.json'],
  ])('checks the authority of %s %s like a Host, whatever Host says: 403', async (method, target) => {
    const out = await raw(server.port, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${KEYS.read}\r\nContent-Type: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 403 /);
    expect(bodyOf(out).error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'host_not_allowed' } });
  });

  it('lets an absolute-form target naming the mock through', async () => {
    const out = await raw(server.port, `GET http://127.0.0.1:${server.port}/_mock/clock HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 200 /);
  });

  it.each(['http://localhost:PORT/v1/whoami', 'http://127.0.0.1:PORT/v1/whoami?x=1', 'HTTP://LOCALHOST:PORT/v1/whoami'])('routes an absolute-form target naming the mock, %s, by its path (RFC 9112 section 3.2.2)', async (target) => {
    const out = parsed(await raw(server.port, `GET ${target.replace('PORT', String(server.port))} HTTP/1.1\r\nHost: localhost:${server.port}\r\nAuthorization: Bearer ${KEYS.read}\r\nConnection: close\r\n\r\n`));
    expectResponse(out, 200, 'getWhoami');
    expect(out.body.key.id).toBe('key_read');
  });

  it('routes an absolute-form target with no path as /', async () => {
    const out = parsed(await raw(server.port, `GET http://localhost:${server.port}?x HTTP/1.1\r\nHost: localhost:${server.port}\r\nConnection: close\r\n\r\n`));
    const origin = parsed(await raw(server.port, `GET /?x HTTP/1.1\r\nHost: localhost:${server.port}\r\nConnection: close\r\n\r\n`));
    expect([out.status, out.body]).toEqual([origin.status, origin.body]);
  });

  it('routes an absolute-form target under a host app\'s Express mount by its path', async () => {
    const mock = testMock();
    const app = express();
    app.use('/cortex', mock.router());
    const host = createServer(app);
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    try {
      const port = (host.address() as AddressInfo).port;
      const out = parsed(await raw(port, `GET http://localhost:${port}/cortex/v1/whoami HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: Bearer ${KEYS.read}\r\nConnection: close\r\n\r\n`));
      expectResponse(out, 200, 'getWhoami');
      expect(mock.journal.list().at(-1)).toMatchObject({ path: '/v1/whoami', status: 200 });
    } finally {
      await new Promise((resolve) => host.close(resolve));
    }
  });

  it('journals an absolute-form request under its path', async () => {
    server.reset();
    await raw(server.port, `GET http://localhost:${server.port}/v1/whoami HTTP/1.1\r\nHost: localhost:${server.port}\r\nAuthorization: Bearer ${KEYS.read}\r\nConnection: close\r\n\r\n`);
    const journal = (await (await fetch(`http://127.0.0.1:${server.port}/_mock/journal`)).json()) as { data: Array<{ path: string; status: number }> };
    expect(journal.data.map((e) => [e.path, e.status])).toContainEqual(['/v1/whoami', 200]);
  });
});

describe('the control API door', () => {
  const HOST = '127.0.0.1:4010';

  it.each([
    ['two Sec-Fetch-Site values', { 'Sec-Fetch-Site': ['same-origin', 'cross-site'] }],
    ['two Sec-Fetch-Site values in one line', { 'Sec-Fetch-Site': 'same-origin, cross-site' }],
    ['two Origins', { Origin: ['http://127.0.0.1:4010', 'https://evil.example'] }],
    ['two Origins, both its own', { Origin: ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'] }],
    ['its host and port under https', { Origin: 'https://127.0.0.1:4010' }],
    ['its host under another scheme', { Origin: 'ftp://127.0.0.1:4010' }],
    ['its host on the default port', { Origin: 'http://127.0.0.1' }],
  ])('refuses %s with 403 cross_origin, and changes nothing', async (_name, headers) => {
    const mock = testMock();
    let req = request(mock.handler).post('/_mock/clock/advance').set('Host', HOST).set('Content-Type', 'application/json');
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value as string);
    const res = await req.send({ seconds: 60 }).expect(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'cross_origin' } });
    expect(mock.clock.now()).toBe(T0);
  });

  it('answers its own origin: scheme, host and port, the port written or the default', async () => {
    const mock = testMock();
    await request(mock.handler).get('/_mock/clock').set('Host', HOST).set('Origin', 'http://127.0.0.1:4010').set('Sec-Fetch-Site', 'same-origin').expect(200);
    await request(mock.handler).get('/_mock/clock').set('Host', '127.0.0.1').set('Origin', 'http://127.0.0.1:80').expect(200);
    await request(mock.handler).get('/_mock/clock').set('Host', 'LOCALHOST:4010').set('Origin', 'http://localhost:4010').expect(200);
  });
});
