// The seams of the request's stages: the clock is read once per request, the limiter is
// told the time, the domain notes a key's use, handlers get what they use, idempotency
// follows the spec's parameter, CORS routes by the router it is given, and no response's
// headers are written by anyone but the renderer.
import request from 'supertest';
import { createClock } from '../../mock/clock';
import { resolveCredentials } from '../../mock/domain/auth/credentials';
import { createKeyStore, type KeyRecord } from '../../mock/domain/auth/key-store';
import { createRateLimiter } from '../../mock/domain/limits/rate-limit';
import { HANDLERS } from '../../mock/domain/operations';
import type { AnyHandler } from '../../mock/domain/operations/types';
import { createCors } from '../../mock/http/cors';
import { jsonResponse } from '../../mock/http/exchange';
import { errorResponse } from '../../mock/http/render';
import { ApiError } from '../../mock/errors/api-error';
import { ResponseHeaders } from '../../mock/http/response-headers';
import { createRouter } from '../../mock/stages/routing';
import { KEYS, SPEC, T0, bearer, specWith, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';

describe('the clock', () => {
  it('is read once for a GET that passes every stage', async () => {
    let reads = 0;
    const clock = createClock({ source: () => (reads++, T0) });
    const mock = testMock({ clock });
    reads = 0;
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(reads).toBe(1);
  });

  it('is read once for a POST that creates a scan', async () => {
    let reads = 0;
    const clock = createClock({ source: () => (reads++, T0) });
    const mock = testMock({ clock });
    reads = 0;
    await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).send({ target: 'h', scan_type: 'quick' }).expect(specStatus(201));
    expect(reads).toBe(1);
  });
});

describe('the rate limiter', () => {
  it('counts at the time it is told, reading no clock', () => {
    const limiter = createRateLimiter();
    const minute = { limit: 1, windowSeconds: 60 };
    expect(limiter.consume('a', minute, T0).allowed).toBe(true);
    expect(limiter.consume('a', minute, T0).allowed).toBe(false);
    // A minute later by the caller's word, a new window.
    expect(limiter.peek('a', minute, T0 + 60_000)).toMatchObject({ allowed: true, remaining: 1 });
    expect(limiter.consume('a', minute, T0 + 60_000).allowed).toBe(true);
  });
});

describe('a key that authenticates', () => {
  it('is noted as used by the credential check itself', () => {
    const keys = createKeyStore();
    keys.addAccount({ id: 'acct_1', name: 'A', plan: 'developer' });
    const key: KeyRecord = { id: 'key_1', name: 'k', accountId: 'acct_1', permissions: ['read'], mode: 'test', createdAt: T0, expiresAt: null, revoked: false, last4: '0001' };
    keys.addKey(key, KEYS.read);
    const scheme = SPEC.credentialSchemes.find((s) => s.kind === 'bearer')!;
    const policy = { keyPattern: new RegExp((SPEC.document.components?.schemas?.ApiKeySecret as { pattern: string }).pattern), keyModes: SPEC.vocabulary.keyModes, allowLiveKeys: false, allowLiveKeysInQuery: false };
    const outcome = resolveCredentials([{ scheme, values: [`Bearer ${KEYS.read}`] }], keys, policy, T0 + 5);
    expect(outcome.kind).toBe('principal');
    expect(keys.getKey('key_1')?.lastUsedAt).toBe(T0 + 5);
  });
});

describe('a handler', () => {
  it('gets the request and its stores, not the whole state or the spec', async () => {
    const seen: Array<Parameters<AnyHandler>[0]> = [];
    const handlers: Record<string, AnyHandler> = { ...(HANDLERS as Record<string, AnyHandler>), getWhoami: (ctx) => (seen.push(ctx), (HANDLERS.getWhoami as AnyHandler)(ctx)) };
    const mock = testMock({ handlers });
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(seen).toHaveLength(1);
    expect(Object.keys(seen[0]).sort()).toEqual(['body', 'headers', 'now', 'op', 'params', 'plan', 'principal', 'query', 'rateLimit', 'stores']);
    expect(seen[0].now).toBe(T0);
  });
});

describe('Idempotency-Key', () => {
  it('follows the header parameter the spec declares with x-cortex-idempotency, and its replay header', async () => {
    const spec = specWith((doc) => {
      const param = doc.components.parameters.IdempotencyKey;
      param.name = 'X-Retry-Token';
      param['x-cortex-idempotency']['replayed-header'] = 'X-Replayed';
      for (const path of ['/scans']) doc.paths[path].post.responses['201'].headers['X-Replayed'] = doc.paths[path].post.responses['201'].headers['Idempotent-Replayed'];
    });
    const mock = testMock({ spec });
    const body = { target: 'h', scan_type: 'quick' };
    const first = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).set('X-Retry-Token', 't-1').send(body).expect(specStatus(201, { spec }));
    const again = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).set('X-Retry-Token', 't-1').send(body).expect(specStatus(201, { spec }));
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['x-replayed']).toBe('true');
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    // The old name is no idempotency key any more: a second scan.
    const other = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).set('Idempotency-Key', 't-1').send(body).expect(specStatus(201, { spec }));
    expect(other.body.id).not.toBe(first.body.id);
  });
});

describe('CORS', () => {
  it('answers a preflight with the methods of the router it is given', () => {
    const router = createRouter(SPEC.operations.filter((op) => op.operationId === 'listScans'));
    const cors = createCors(SPEC, { enabled: true, origins: '*' }, router);
    const headers = new ResponseHeaders();
    expect(cors.preflight({ headers: { origin: 'http://localhost:3000' } }, headers, '/scans').status).toBe(204);
    // createScan is in the spec, not in the router handed over: POST is not offered.
    expect(headers.merged()['Access-Control-Allow-Methods']).toBe('GET');
  });
});

describe('response headers', () => {
  it('are merged into a new record: jsonResponse and errorResponse leave the one passed in as it was', () => {
    const shared = { Vary: 'Origin' };
    const json = jsonResponse(200, { ok: true }, shared);
    const error = errorResponse(ApiError.notFound('route'), shared);
    expect(shared).toEqual({ Vary: 'Origin' });
    expect(json.headers).not.toBe(shared);
    expect(error.headers).not.toBe(shared);
    expect(json.headers).toMatchObject({ Vary: 'Origin', 'Content-Type': 'application/json; charset=utf-8' });
  });

  it('take no contribution once the response is made of them, and put the always-headers last', () => {
    const headers = new ResponseHeaders({ 'X-Request-Id': 'req_1' });
    headers.set('Vary', 'Origin');
    const made = headers.merged({ 'WWW-Authenticate': 'Bearer realm="cortex-edr"' }, { 'Content-Length': 2 });
    expect(Object.keys(made)).toEqual(['Vary', 'WWW-Authenticate', 'Content-Length', 'X-Request-Id']);
    expect(() => headers.set('X-Late', '1')).toThrow(/after the response was made/);
    expect(() => headers.merged()).toThrow(/already made/);
    expect(made['X-Late']).toBeUndefined();
  });

  it('carry the request id on every /v1 answer, refused, preflight and success alike, set once by the renderer', async () => {
    const mock = testMock();
    const ok = await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    const refused = await request(mock.handler).get('/v1/whoami').expect(specStatus(401));
    const preflight = await request(mock.handler).options('/v1/scans').set('Origin', 'http://localhost:3000').set('Access-Control-Request-Method', 'POST').expect(204);
    const ids = [ok, refused, preflight].map((r) => r.headers['x-request-id']);
    expect(ids).toEqual(['req_000001', 'req_000002', 'req_000003']);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST');
  });
});

describe('a request without a body', () => {
  it('is answered in the same tick, without a promise (the bench depends on it)', () => {
    const mock = testMock();
    const authorization = `Bearer ${KEYS.read}`;
    const response = mock.respond({
      method: 'GET',
      url: '/v1/whoami',
      headers: { host: '127.0.0.1', authorization },
      headersDistinct: { host: ['127.0.0.1'], authorization: [authorization] },
      httpVersion: '1.1',
      body: { kind: 'bytes', bytes: new Uint8Array() },
    });
    expect(response).not.toBeInstanceOf(Promise);
    expect(response).toMatchObject({ status: 200, headers: { 'X-Request-Id': 'req_000001', 'X-RateLimit-Remaining': 499 } });
  });
});
