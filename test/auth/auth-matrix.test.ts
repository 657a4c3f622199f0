// The auth matrix of every operation, generated from the spec: missing, malformed, unknown,
// expired and revoked keys, both methods at once, keys lacking the permission, and the
// right key. Every response is checked against the spec's schema for its status.
import request from 'supertest';
import type { AnyHandler } from '../../mock/domain/operations/types';
import { HANDLERS } from '../../mock/domain/operations';
import { ACTIVE_KEYS, KEYS, SPEC, UNKNOWN_KEY, bearer, testMock } from '../helpers/fixtures';
import { buildRequest } from '../helpers/requests';
import { specProblems } from '../helpers/spec-check';
import { expectResponse, specStatus } from '../helpers/expect-response';

/** Handlers wrapped so a test can tell whether any ran. */
function spiedHandlers() {
  const calls: string[] = [];
  const handlers: Record<string, AnyHandler> = Object.fromEntries(
    Object.entries(HANDLERS as Record<string, AnyHandler>).map(([id, h]) => [id, (ctx: Parameters<AnyHandler>[0]) => (calls.push(id), h(ctx))]),
  );
  return { calls, handlers };
}

function send(app: Parameters<typeof request>[0], r: { method: string; path: string; body?: unknown }, headers: Record<string, string> = {}, query = '') {
  const url = query ? `${r.path}${r.path.includes('?') ? '&' : '?'}${query}` : r.path;
  let req = (request(app) as unknown as Record<string, (u: string) => request.Test>)[r.method](url).set(headers);
  if (r.body !== undefined) req = req.send(r.body as object);
  return req;
}

const expectChallenge = (header: string | undefined, withError: boolean) => {
  if (withError) expect(header).toMatch(/^Bearer realm="cortex-edr", error="invalid_token", error_description="[^"]+"$/);
  else expect(header).toBe('Bearer realm="cortex-edr"');
};

describe.each(SPEC.operations.map((op) => [op.operationId, op] as const))('%s', (_id, op) => {
  const refusals: Array<[string, Record<string, string>, string, string, boolean]> = [
    ['no key', {}, '', 'missing', false],
    ['a non-Bearer scheme', { Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` }, '', 'malformed', true],
    ['a malformed key', bearer('sk_test_short'), '', 'malformed', true],
    ['a key of the wrong prefix', bearer('pk_test_00000000000000000000000000'), '', 'malformed', true],
    ['an unknown key', bearer(UNKNOWN_KEY), '', 'unknown', true],
    ['an expired key', bearer(KEYS.expired), '', 'expired', true],
    ['a revoked key', bearer(KEYS.revoked), '', 'revoked', true],
    ['a live key (refused by default)', bearer(KEYS.live), '', 'live_key_refused', true],
    ['a live key in the URL', {}, `api_key=${KEYS.live}`, 'live_key_in_query', true],
    ['an unknown key in the URL', {}, `api_key=${UNKNOWN_KEY}`, 'unknown', true],
  ];

  it.each(refusals)('returns 401 for %s, with the reason and the RFC 6750 challenge, and runs no handler', async (_name, headers, query, reason, withError) => {
    const { calls, handlers } = spiedHandlers();
    const mock = testMock({ handlers });
    const res = await send(mock.app, buildRequest(mock, op), headers, query);
    expectResponse(res, 401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHORIZED', details: { reason } });
    expectChallenge(res.headers['www-authenticate'], withError);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    expect(specProblems(op, res)).toEqual([]);
    expect(calls).toEqual([]);
    if (query) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('returns 400 for a key in both the header and the URL (RFC 6750 section 2), and runs no handler', async () => {
    const { calls, handlers } = spiedHandlers();
    const mock = testMock({ handlers });
    const res = await send(mock.app, buildRequest(mock, op), bearer(KEYS.admin), `api_key=${KEYS.admin}`);
    expectResponse(res, 400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: { reason: 'multiple_credentials' } });
    expect(specProblems(op, res)).toEqual([]);
    expect(calls).toEqual([]);
  });

  const lacking = ACTIVE_KEYS.filter((k) => op.requiredPermissions.length > 0 && !k.permissions.includes('admin') && !op.requiredPermissions.every((p) => k.permissions.includes(p)));
  if (lacking.length > 0) {
    it.each(lacking.map((k) => [k.name, k] as const))('returns 403 with the required and provided permissions for a %s key, and runs no handler', async (_n, key) => {
      const { calls, handlers } = spiedHandlers();
      const mock = testMock({ handlers });
      const res = await send(mock.app, buildRequest(mock, op), bearer(key.secret));
      expectResponse(res, 403);
      expect(res.body.error).toEqual({
        code: 'FORBIDDEN',
        message: expect.any(String),
        details: { required_permissions: op.requiredPermissions, provided_permissions: key.permissions },
      });
      expect(res.headers['www-authenticate']).toBe(`Bearer realm="cortex-edr", error="insufficient_scope", scope="${op.requiredPermissions.join(' ')}"`);
      expect(res.headers['x-ratelimit-remaining']).toBeDefined();
      expect(specProblems(op, res)).toEqual([]);
      expect(calls).toEqual([]);
    });
  }

  const allowed = ACTIVE_KEYS.filter((k) => k.permissions.includes('admin') || op.requiredPermissions.every((p) => k.permissions.includes(p)));
  it.each(allowed.map((k) => [k.name, k] as const))('returns the documented success status for a %s key, in the header or the URL', async (_n, key) => {
    for (const via of ['header', 'query'] as const) {
      const { calls, handlers } = spiedHandlers();
      const mock = testMock({ handlers });
      const r = buildRequest(mock, op);
      const res = via === 'header' ? await send(mock.app, r, bearer(key.secret)) : await send(mock.app, r, {}, `api_key=${key.secret}`);
      expect(specProblems(op, res)).toEqual([]);
      expectResponse(res, op.successStatus);
      expect(calls).toEqual([op.operationId]);
      if (via === 'query') expect(res.headers['cache-control']).toBe('no-store');
      else expect(res.headers['cache-control']).toBeUndefined();
    }
  });
});

describe('the Authorization header', () => {
  it('accepts the Bearer scheme name in any case (RFC 9110 section 11.1)', async () => {
    const mock = testMock();
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      await request(mock.app).get('/v1/whoami').set('Authorization', `${scheme} ${KEYS.read}`).expect(specStatus(200));
    }
  });

  it('treats an empty header as no key, with no error attribute in the challenge', async () => {
    const res = await request(testMock().app).get('/v1/whoami').set('Authorization', '');
    expectResponse(res, 401);
    expect(res.body.error.details.reason).toBe('missing');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="cortex-edr"');
  });

  it('refuses a Bearer header with no token as malformed', async () => {
    const res = await request(testMock().app).get('/v1/whoami').set('Authorization', 'Bearer ');
    expectResponse(res, 401);
    expect(res.body.error.details.reason).toBe('malformed');
  });

  it('accepts live keys only when the config allows them, and never in the URL', async () => {
    const mock = testMock({ config: { allow_live_keys: true } });
    const ok = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.live)).expect(specStatus(200));
    expect(ok.body.key.mode).toBe('live');
    const inUrl = await request(mock.app).get(`/v1/whoami?api_key=${KEYS.live}`).expect(specStatus(401));
    expect(inUrl.body.error.details.reason).toBe('live_key_in_query');
  });

  it('refuses a key given twice in the URL with 400', async () => {
    const res = await request(testMock().app).get(`/v1/whoami?api_key=${KEYS.read}&api_key=${KEYS.read}`);
    expectResponse(res, 400);
    expect(res.body.error.details).toMatchObject({ parameter: 'api_key', reason: 'multiple_credentials' });
  });

  it('never echoes the presented key in a response', async () => {
    const mock = testMock();
    for (const key of [UNKNOWN_KEY, KEYS.expired, KEYS.revoked, KEYS.live, 'sk_test_x']) {
      const res = await request(mock.app).get('/v1/scans').set(bearer(key));
      expect(JSON.stringify(res.body) + JSON.stringify(res.headers)).not.toContain(key);
    }
  });
});
