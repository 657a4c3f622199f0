// The status helper the tests assert with: it must fail on a wrong or undocumented status,
// a body or header that breaks the schema, and pass on a response that obeys the spec, for
// the public API and the control API alike.
import express from 'express';
import request from 'supertest';
import { KEYS, bearer, specWith, testMock } from '../helpers/fixtures';
import { expectFetched, expectResponse, specStatus } from '../helpers/expect-response';
import { withMockServer } from '../helpers/mock-server';

const whoami = () => request(testMock().app).get('/v1/whoami').set(bearer(KEYS.read));

describe('expectResponse', () => {
  it('passes a response that obeys the spec, finding the operation from the request', async () => {
    const res = await whoami();
    expect(() => expectResponse(res, 200)).not.toThrow();
    const mock = testMock();
    const scans = await request(mock.app).get('/v1/scans').set(bearer(KEYS.read));
    const one = await request(mock.app).get(`/v1/scans/${scans.body.data[0].id}`).set(bearer(KEYS.read));
    expect(() => expectResponse(one, 200)).not.toThrow();
    // The same response named as another operation is checked against that one's schema.
    expect(() => expectResponse(one, 200, 'listScans')).toThrow(/listScans .*200 breaks the spec/);
  });

  it('fails on another status than the one expected, naming the operation and what came back', async () => {
    const res = await request(testMock().app).get('/v1/whoami');
    expect(() => expectResponse(res, 200)).toThrow(/getWhoami \(GET \/v1\/whoami, cortex-edr\.yaml\) answered 401, expected 200: \{"error":\{"code":"UNAUTHORIZED"/);
  });

  it('fails on a status the operation does not document', async () => {
    const res = await whoami();
    expect(() => expectResponse({ status: 418, body: res.body, headers: res.headers }, 418, 'getWhoami')).toThrow(/getWhoami .*418 breaks the spec:\n {2}status 418 is not documented for getWhoami/);
  });

  it('takes a Host refusal on an operation that documents no 403 as the spec\'s x-cortex-host-refusal, and nothing else', async () => {
    const refused = await request(testMock().app).get('/v1/whoami').set('Host', 'rebind.example').set(bearer(KEYS.read));
    expect(() => expectResponse(refused, 403)).not.toThrow();
    const other = structuredClone(refused.body);
    other.error.details.reason = 'insufficient_scope';
    expect(() => expectResponse({ status: 403, body: other, headers: refused.headers }, 403, 'getWhoami')).toThrow(/status 403 is not documented for getWhoami/);
    const broken = structuredClone(refused.body);
    delete broken.error.details.host;
    expect(() => expectResponse({ status: 403, body: broken, headers: refused.headers }, 403, 'getWhoami')).toThrow(/getWhoami .*403 breaks the spec/);
  });

  it('fails on a body that breaks the schema, naming the schema path', async () => {
    const res = await whoami();
    const body = structuredClone(res.body);
    body.key.mode = 'staging';
    const broken = { status: 200, body, headers: res.headers };
    let message = '';
    try {
      expectResponse(broken, 200, 'getWhoami');
    } catch (err) {
      message = (err as Error).message;
    }
    const { rate_limit: _limit, ...unlimited } = res.body;
    expect(() => expectResponse({ ...broken, body: unlimited }, 200, 'getWhoami')).toThrow(/\n {2}body must have required property 'rate_limit' \(#\/components\/schemas\/Whoami\/required\)\n/);
    expect(message).toMatch(/^getWhoami \(GET \/v1\/whoami, cortex-edr\.yaml\) 200 breaks the spec:/);
    expect(message).toMatch(/\n {2}body\/key\/mode must be equal to one of the allowed values \(#\/components\/schemas\/[^)]+\/enum\)\n/);
  });

  it('fails on a documented header that is missing or malformed', async () => {
    const res = await whoami();
    const { 'x-ratelimit-limit': _dropped, ...rest } = res.headers as Record<string, string>;
    expect(() => expectResponse({ status: 200, body: res.body, headers: rest }, 200, 'GET /v1/whoami')).toThrow(/header X-RateLimit-Limit is missing/);
    expect(() => expectResponse({ status: 200, body: res.body, headers: { ...rest, 'x-ratelimit-limit': 'many' } }, 200, 'GET /v1/whoami')).toThrow(/header X-RateLimit-Limit must be integer/);
  });

  it('takes the IETF fields in place of the whole X- form (rate_limit_headers: [ietf]), never in place of part of it', async () => {
    const res = await whoami();
    const headers = res.headers as Record<string, string>;
    const ietfOnly = Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('x-ratelimit-')));
    expect(ietfOnly.ratelimit).toBeDefined();
    expect(() => expectResponse({ status: 200, body: res.body, headers: ietfOnly }, 200, 'GET /v1/whoami')).not.toThrow();
    const { 'x-ratelimit-limit': _dropped, ...partial } = headers;
    expect(() => expectResponse({ status: 200, body: res.body, headers: partial }, 200, 'GET /v1/whoami')).toThrow(/header X-RateLimit-Limit is missing/);
    const { ratelimit: _gone, ...neither } = ietfOnly;
    expect(() => expectResponse({ status: 200, body: res.body, headers: neither }, 200, 'GET /v1/whoami')).toThrow(/header X-RateLimit-Limit is missing/);
    expect(() => expectResponse({ status: 200, body: res.body, headers: { ...headers, ratelimit: 'r=1' } }, 200, 'GET /v1/whoami')).toThrow(/header RateLimit must match pattern/);
  });

  it('fails on a body in a media type the spec does not document', async () => {
    const res = await whoami();
    expect(() => expectResponse({ status: 200, body: '<html></html>', headers: { ...res.headers, 'content-type': 'text/html' } }, 200, 'getWhoami')).toThrow(/Content-Type text\/html is not documented \(application\/json\)/);
  });

  it('checks /_mock answers against the control spec', async () => {
    const mock = testMock();
    const clock = await request(mock.app).get('/_mock/clock');
    expect(() => expectResponse(clock, 200)).not.toThrow();
    expect(() => expectResponse({ status: 200, body: { ...clock.body, frozen: 'yes' }, headers: clock.headers }, 200, 'GET /_mock/clock')).toThrow(/getClock \(GET \/_mock\/clock, control\.yaml\) 200 breaks the spec:\n {2}body\/frozen must be boolean/);
    const index = await request(mock.app).get('/_mock');
    expect(() => expectResponse(index, 200)).not.toThrow();
    const yaml = await request(mock.app).get('/_mock/openapi.yaml');
    expect(() => expectResponse(yaml, 200)).not.toThrow();
    const reset = await request(mock.app).post('/_mock/reset').set('Content-Type', 'application/json');
    expect(() => expectResponse(reset, 204)).not.toThrow();
    expect(() => expectResponse({ status: 204, body: 'done', headers: { 'content-type': 'text/plain' } }, 204, 'POST /_mock/reset')).toThrow(/204 documents no body/);
  });

  it('refuses a request that no operation of either spec answers', async () => {
    const res = await request(testMock().app).get('/v1/nope').set(bearer(KEYS.read));
    expect(() => expectResponse(res, 404)).toThrow(/no operation in cortex-edr\.yaml or control\.yaml answers GET \/v1\/nope/);
    expect(() => expectResponse(res, 404, 'noSuchOperation')).toThrow(/no operation noSuchOperation/);
  });

  it('finds the operation under a mount prefix (an Express host app)', async () => {
    const host = express();
    host.use('/cortex', testMock().router());
    const res = await request(host).get('/cortex/v1/whoami').set(bearer(KEYS.read));
    expect(() => expectResponse(res, 200)).not.toThrow();
  });

  it('checks a mock on a changed copy of the spec against that copy', async () => {
    const spec = specWith((doc) => {
      doc.components.schemas.ScanIdValue.pattern = '^scn_[A-Za-z0-9]{1,60}$';
    });
    const mock = testMock({ spec });
    const created = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).send({ target: 'h', scan_type: 'quick' });
    expect(() => expectResponse(created, 201, { spec: mock.spec })).not.toThrow();
    expect(() => expectResponse(created, 201)).toThrow(/createScan .*201 breaks the spec:\n {2}body\/id must match pattern "\^scan_/);
    expect(() => expectResponse({ status: 201, body: { ...created.body, id: 'scan_1' }, headers: created.headers }, 201, { spec: mock.spec, operationId: 'createScan' })).toThrow(/a copy of cortex-edr\.yaml\) 201 breaks the spec:\n {2}body\/id must match pattern "\^scn_/);
    // The control API is still checked against control.yaml.
    await request(mock.handler).get('/_mock/clock').expect(specStatus(200, { spec: mock.spec }));
  });

  it('works as a supertest assertion in place of .expect(status)', async () => {
    await whoami().expect(specStatus(200));
    await expect(whoami().expect(specStatus(201))).rejects.toThrow(/getWhoami .*answered 200, expected 201/);
  });

  it('reads an openapi-fetch result and a fetch Response, leaving its body to the caller', async () => {
    await withMockServer({ port: 0 }, async (server) => {
      const res = await fetch(`${server.baseUrl}/whoami`, { headers: bearer(KEYS.read) });
      await expectFetched(res, 200);
      expect(((await res.json()) as { key: { id: string } }).key.id).toBe('key_read');
      const refused = await fetch(`${server.baseUrl}/scans`, { method: 'POST', headers: { ...bearer(KEYS.read), 'Content-Type': 'application/json' }, body: '{}' });
      await expectFetched(refused, 403, 'createScan');
      expect(() => expectResponse(refused as never, 403)).toThrow(/use `await expectFetched/);
      const result = { response: refused, error: { error: { code: 'FORBIDDEN' } } };
      expect(() => expectResponse(result, 403, 'createScan')).toThrow(/createScan .*403 breaks the spec/);
    });
  });
});
