// The control plane as a hostile web page, a DNS-rebinding attacker and a LAN neighbour
// would try it: every route checks Host, /_mock answers only its own origin and only JSON
// for changes, and a mock bound to a non-loopback address needs its control token.
import request from 'supertest';
import { SPEC, KEYS, bearer, testMock, T0 } from '../helpers/fixtures';
import { controlProblems, operation, specProblems } from '../helpers/spec-check';
import { expectFetched, specStatus } from '../helpers/expect-response';
import { withMockServer } from '../helpers/mock-server';

const json = { 'Content-Type': 'application/json' };

/** The control operation a path names, to check its response against control.yaml. */
const CONTROL_OPS: Record<string, string> = {
  'post /_mock/reset': 'resetMock',
  'post /_mock/clock/advance': 'advanceClock',
  'put /_mock/clock': 'setClock',
  'post /_mock/keys': 'addMockKey',
  'post /_mock/accounts': 'addMockAccount',
  'delete /_mock/journal': 'clearJournal',
  'post /_mock/keys/key_read/revoke': 'revokeMockKey',
  'post /_mock/keys/key_read/rotate': 'rotateMockKey',
};

describe('the Host check', () => {
  it.each(['localhost', 'localhost:4010', 'app.localhost:4010', '127.0.0.1:4010', '127.0.0.2', '[::1]:4010', '10.1.2.3:80', 'LOCALHOST.'])('lets Host %s through', async (host) => {
    const mock = testMock();
    await request(mock.handler).get('/v1/whoami').set('Host', host).set(bearer(KEYS.read)).expect(specStatus(200));
    await request(mock.handler).get('/_mock/clock').set('Host', host).expect(specStatus(200));
  });

  it.each(['rebind.attacker.example', 'rebind.attacker.example:4010', 'localhost.attacker.example', '127.0.0.1.nip.io', 'evil'])('refuses Host %s on every route with 403 in the error shape, saying how to allow it', async (host) => {
    const mock = testMock();
    for (const [method, path] of [['post', '/_mock/keys'], ['post', '/_mock/reset'], ['get', '/_mock/keys'], ['get', '/v1/users'], ['get', '/docs/'], ['get', '/openapi.json']] as const) {
      const res = await request(mock.handler)[method](path).set('Host', host).set(json).set(bearer(KEYS.admin)).send({ account_id: 'acct_developer', name: 'x', permissions: ['admin'] });
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'host_not_allowed' } });
      expect(res.body.error.message).toMatch(/allowed_hosts|--allowed-hosts/);
    }
    // Nothing was minted, and the refusal on /v1 is a documented 403.
    expect(mock.state.keys.keysOf('acct_developer').length).toBe(8);
    const v1 = await request(mock.handler).get('/v1/users').set('Host', host).set(bearer(KEYS.admin));
    expect(specProblems(operation('listUsers'), v1)).toEqual([]);
  });

  it('lets configured names through, with *.suffix wildcards, and turns off with allowed_hosts: all', async () => {
    const listed = testMock({ config: { allowed_hosts: ['mock.internal', '*.svc.cluster.local'] } });
    await request(listed.handler).get('/v1/whoami').set('Host', 'mock.internal:4010').set(bearer(KEYS.read)).expect(specStatus(200));
    await request(listed.handler).get('/v1/whoami').set('Host', 'cortex.ci.svc.cluster.local').set(bearer(KEYS.read)).expect(specStatus(200));
    // getWhoami documents no 403: the refusal is the spec's x-cortex-host-refusal, before routing.
    await request(listed.handler).get('/v1/whoami').set('Host', 'other.internal').set(bearer(KEYS.read)).expect(specStatus(403));
    const open = testMock({ config: { allowed_hosts: 'all' } });
    await request(open.handler).get('/v1/whoami').set('Host', 'cortex-mock').set(bearer(KEYS.read)).expect(specStatus(200));
  });

  it('lets the name the server is bound to through', async () => {
    const mock = testMock({ boundHost: 'devbox.lan' });
    await request(mock.handler).get('/v1/whoami').set('Host', 'devbox.lan:4010').set(bearer(KEYS.read)).expect(specStatus(200));
  });
});

describe('the control API door', () => {
  it('refuses a cross-origin "simple" request (text/plain) with 403, and changes nothing', async () => {
    const mock = testMock();
    mock.clock.advance(5_000);
    const res = await request(mock.handler).post('/_mock/reset').set('Origin', 'https://evil.example').set('Content-Type', 'text/plain').send('{}').expect(specStatus(403));
    expect(res.body.error.details).toEqual({ reason: 'cross_origin' });
    expect(mock.clock.isFrozen() && mock.clock.now()).toBe(T0 + 5_000);
  });

  it.each([
    ['another origin', { Origin: 'https://evil.example' }],
    ['another port of the same host', { Origin: 'http://127.0.0.1:3000' }],
    ['a null origin (sandboxed frame, file://)', { Origin: 'null' }],
    ['a cross-site fetch without Origin', { 'Sec-Fetch-Site': 'cross-site' }],
    ['a same-site fetch from another port', { 'Sec-Fetch-Site': 'same-site' }],
  ])('refuses %s with 403, reads included', async (_name, headers) => {
    const mock = testMock();
    for (const [method, path] of [['get', '/_mock/keys'], ['get', '/_mock/journal'], ['get', '/_mock/usage'], ['post', '/_mock/reset'], ['put', '/_mock/clock'], ['post', '/_mock/keys/key_read/revoke'], ['post', '/_mock/keys/key_read/rotate']] as const) {
      const res = await request(mock.handler)[method](path).set('Host', '127.0.0.1:4010').set(headers).set(json).send({ now: '2027-01-01T00:00:00Z' });
      expect({ path, status: res.status, reason: res.body.error?.details?.reason }).toEqual({ path, status: 403, reason: 'cross_origin' });
    }
  });

  it('answers its own origin, and clients that send no Origin', async () => {
    const mock = testMock();
    await request(mock.handler).get('/_mock/keys').set('Host', '127.0.0.1:4010').set('Origin', 'http://127.0.0.1:4010').set('Sec-Fetch-Site', 'same-origin').expect(specStatus(200));
    await request(mock.handler).post('/_mock/reset').set(json).expect(specStatus(204));
  });

  it.each([
    ['post', '/_mock/reset', 'text/plain'],
    ['post', '/_mock/reset', undefined],
    ['post', '/_mock/clock/advance', 'text/plain'],
    ['put', '/_mock/clock', 'application/x-www-form-urlencoded'],
    ['post', '/_mock/keys', 'multipart/form-data; boundary=x'],
    ['post', '/_mock/accounts', undefined],
    ['delete', '/_mock/journal', undefined],
    ['post', '/_mock/keys/key_read/revoke', 'text/plain'],
    ['post', '/_mock/keys/key_read/rotate', 'application/x-www-form-urlencoded'],
  ])('requires JSON for a body sent to %s %s (as %s): 415, and changes nothing', async (method, path, type) => {
    const mock = testMock();
    mock.clock.advance(5_000);
    let req = request(mock.handler)[method as 'post'](path);
    req = type ? req.set('Content-Type', type).send('seconds=60') : req.send(Buffer.from('seconds=60'));
    if (!type) expect(req.get('Content-Type')).toBeUndefined();
    const res = await req.expect(specStatus(415));
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(controlProblems(CONTROL_OPS[`${method} ${path}`], res)).toEqual([]);
    expect(mock.clock.now()).toBe(T0 + 5_000);
    expect(mock.state.keys.getKey('key_read')!.revoked).toBe(false);
  });

  // What curl -X POST, openapi-fetch's POST('/reset') and Swagger UI send: no body, no type.
  it.each([
    ['post', '/_mock/reset', 204],
    ['delete', '/_mock/journal', 204],
    ['post', '/_mock/keys/key_read/revoke', 200],
  ])('answers %s %s with no body and no Content-Type (%s)', async (method, path, status) => {
    const mock = testMock();
    mock.clock.advance(5_000);
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(200);
    const res = await request(mock.handler)[method as 'post'](path).set('Host', '127.0.0.1:4010');
    expect(res.status).toBe(status);
    expect(controlProblems(CONTROL_OPS[`${method} ${path}`], res)).toEqual([]);
    if (path === '/_mock/reset') expect(mock.clock.now()).toBe(T0);
    if (path === '/_mock/journal') expect(mock.journal.list()).toEqual([]);
    if (path.endsWith('/revoke')) expect(mock.state.keys.getKey('key_read')!.revoked).toBe(true);
  });

  it('answers a body-less request from its own origin, and one that names no origin', async () => {
    const mock = testMock();
    mock.clock.advance(5_000);
    await request(mock.handler).post('/_mock/reset').set('Host', '127.0.0.1:4010').set('Origin', 'http://127.0.0.1:4010').set('Sec-Fetch-Site', 'same-origin').expect(204);
    expect(mock.clock.now()).toBe(T0);
    const revoked = await request(mock.handler).post('/_mock/keys/key_read/revoke').set('Host', '127.0.0.1:4010').set('Sec-Fetch-Site', 'none').expect(200);
    expect(controlProblems('revokeMockKey', revoked)).toEqual([]);
  });

  // A body-less POST is a "simple" request: a foreign page can send it without a preflight,
  // so the Origin and Sec-Fetch-Site checks alone must refuse it.
  it.each([
    ['a foreign Origin', { Origin: 'http://evil.example' }],
    ['another port of the same host', { Origin: 'http://127.0.0.1:3000' }],
    ['a null Origin', { Origin: 'null' }],
    ['Sec-Fetch-Site: cross-site without Origin', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site without Origin', { 'Sec-Fetch-Site': 'same-site' }],
  ])('refuses a body-less simple request with %s: 403, and changes nothing', async (_name, headers) => {
    const mock = testMock();
    mock.clock.advance(5_000);
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(200);
    for (const [method, path, type] of [['post', '/_mock/reset', undefined], ['delete', '/_mock/journal', undefined], ['post', '/_mock/keys/key_read/revoke', undefined], ['post', '/_mock/reset', 'text/plain'], ['post', '/_mock/keys/key_read/revoke', 'application/x-www-form-urlencoded']] as const) {
      let req = request(mock.handler)[method](path).set('Host', '127.0.0.1:4010').set(headers);
      if (type) req = req.set('Content-Type', type).send('a=1');
      const res = await req;
      expect({ path, type, status: res.status, reason: res.body.error?.details?.reason }).toEqual({ path, type, status: 403, reason: 'cross_origin' });
      expect(controlProblems(path.endsWith('/revoke') ? 'revokeMockKey' : path === '/_mock/reset' ? 'resetMock' : 'clearJournal', res)).toEqual([]);
    }
    expect(mock.clock.now()).toBe(T0 + 5_000);
    expect(mock.journal.list()).toHaveLength(1);
    expect(mock.state.keys.getKey('key_read')!.revoked).toBe(false);
  });

  it('still needs the control token for a body-less request', async () => {
    const mock = testMock({ config: { control_token: 'a-long-enough-control-token-1234' } });
    const refused = await request(mock.handler).post('/_mock/reset').expect(403);
    expect(refused.body.error.details).toEqual({ reason: 'control_token' });
    expect(controlProblems('resetMock', refused)).toEqual([]);
    await request(mock.handler).post('/_mock/reset').set('X-Mock-Control-Token', 'a-long-enough-control-token-1234').expect(204);
  });

  it('still refuses a body-less request naming a host it does not serve', async () => {
    const mock = testMock();
    const res = await request(mock.handler).post('/_mock/reset').set('Host', 'rebind.attacker.example').expect(403);
    expect(res.body.error.details.reason).toBe('host_not_allowed');
    expect(controlProblems('resetMock', res)).toEqual([]);
  });

  it('needs the configured control token on every control route, and only there', async () => {
    const mock = testMock({ config: { control_token: 'a-long-enough-control-token-1234' } });
    await request(mock.handler).get('/_mock/keys').expect(specStatus(403));
    await request(mock.handler).get('/_mock/keys').set('X-Mock-Control-Token', 'wrong-token-wrong-token').expect(specStatus(403));
    const refused = await request(mock.handler).post('/_mock/reset').set(json).expect(specStatus(403));
    expect(refused.body.error.details).toEqual({ reason: 'control_token' });
    await request(mock.handler).get('/_mock/keys').set('X-Mock-Control-Token', 'a-long-enough-control-token-1234').expect(specStatus(200));
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
  });
});

describe('bound to a non-loopback address', () => {
  it('makes a control token, requires it on /_mock, and leaves /v1 to API keys', async () => {
    await withMockServer({ host: '0.0.0.0' }, async (server) => {
      expect(server.exposed).toBe(true);
      expect(server.controlToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const local = `http://127.0.0.1:${server.port}`;
      await expectFetched(await fetch(`${local}/_mock/keys`), 403);
      await expectFetched(await fetch(`${local}/_mock/keys`, { headers: { 'X-Mock-Control-Token': server.controlToken! } }), 200);
      await expectFetched(await fetch(`${local}/v1/whoami`, { headers: { Authorization: `Bearer ${KEYS.read}` } }), 200);
    });
  });

  it('needs no token on loopback', async () => {
    await withMockServer({}, async (server) => {
      expect(server.exposed).toBe(false);
      expect(server.controlToken).toBeUndefined();
      await expectFetched(await fetch(`${server.url}/_mock/keys`), 200);
    });
  });
});

describe('CORS on /v1', () => {
  const origin = 'http://localhost:5173';

  it('answers the preflight before authentication, with the path\'s methods and the headers a client sends', async () => {
    const mock = testMock();
    const res = await request(mock.handler).options('/v1/scans').set('Origin', origin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization, content-type').expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(res.headers['access-control-allow-headers']!.split(', ').sort()).toEqual(['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match', 'Prefer']);
    expect(res.headers.vary).toMatch(/Origin/);
    const item = await request(mock.handler).options('/v1/users/usr_1').set('Origin', origin).set('Access-Control-Request-Method', 'PATCH').expect(204);
    expect(item.headers['access-control-allow-methods']).toBe('GET, DELETE, PATCH');
    expect(mock.journal.list().map((e) => e.status)).toEqual([204, 204]);
  });

  it('exposes the rate-limit, retry and challenge headers on real responses, 401s included', async () => {
    const mock = testMock();
    const ok = await request(mock.handler).get('/v1/scans').set('Origin', origin).set(bearer(KEYS.read)).expect(specStatus(200));
    expect(ok.headers['access-control-allow-origin']).toBe(origin);
    const exposed = ok.headers['access-control-expose-headers']!.split(', ');
    for (const h of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'Idempotent-Replayed', 'WWW-Authenticate']) expect(exposed).toContain(h);
    expect(ok.headers.vary).toBe('Origin');
    const refused = await request(mock.handler).get('/v1/scans').set('Origin', origin).expect(specStatus(401));
    expect(refused.headers['access-control-allow-origin']).toBe(origin);
  });

  it('restricts origins with cors.origins, and is off with cors: false', async () => {
    const some = testMock({ config: { cors: { origins: ['http://localhost:3000'] } } });
    const other = await request(some.handler).options('/v1/scans').set('Origin', origin).set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const listed = await request(some.handler).get('/v1/scans').set('Origin', 'http://localhost:3000').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(listed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const off = testMock({ config: { cors: false } });
    const res = await request(off.handler).options('/v1/scans').set('Origin', origin).set('Access-Control-Request-Method', 'GET');
    expect(res.status).toBe(401); // no preflight handling: an unauthenticated request
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(SPEC.operations.length).toBeGreaterThan(0);
  });

  it('serves /dashboard under the Host check, with a policy that lets it talk to no other origin', async () => {
    const mock = testMock();
    await request(mock.handler).get('/dashboard/').set('Host', 'rebind.attacker.example').expect(403);
    const page = await request(mock.handler).get('/dashboard/').set('Host', '127.0.0.1:4010').expect(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self';.*connect-src 'self'.*frame-ancestors 'none'/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    // The dashboard's actions are control requests: another origin cannot make them.
    await request(mock.handler).post('/_mock/keys/key_read/revoke').set('Origin', 'http://evil.example').set(json).send({}).expect(specStatus(403));
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
  });
});
