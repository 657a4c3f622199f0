// The IETF rate-limit fields on the mock's responses (issue 22 point 6): every response that
// carries X-RateLimit-* carries RateLimit-Policy and RateLimit with the same figures, at any
// position of the clock in a window, for a 200, a 4xx, a 429 and a forced 429; Retry-After
// is never earlier than `t`; the failed-authentication 429 names its own policy; and
// `rate_limit_headers` chooses the forms. Parsed with structured-headers (RFC 9651), a parser
// this project did not write.
// structured-headers 2 names its types only in package.json "exports", which the project's
// moduleResolution (node) does not read: the types come from its CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseList } = require('structured-headers') as typeof import('../../node_modules/structured-headers/cjs/index.cjs');
import fc from 'fast-check';
import request from 'supertest';
import type { Mock } from '../../mock/app';
import { KEYS, SPEC, T0, UNKNOWN_KEY, bearer, testMock } from '../helpers/fixtures';
import { expectResponse } from '../helpers/expect-response';

type Headers = Record<string, string | undefined>;

/** The one Item of an IETF List field: its String value and its Integer parameters. */
function item(field: string | undefined): { name: string; params: Record<string, number> } {
  expect(field).toBeDefined();
  const list = parseList(field!);
  expect(list).toHaveLength(1);
  const [value, params] = list[0] as [unknown, Map<string, unknown>];
  expect(typeof value).toBe('string');
  return { name: value as string, params: Object.fromEntries(params) as Record<string, number> };
}

/**
 * Both forms of one response, checked against each other at `nowMs`: the same policy in both
 * IETF fields, q = Limit, r = Remaining, w = the window, t = Reset minus the current second
 * (0..w), and on a 429 a Retry-After no earlier than t. Returns the parsed IETF figures.
 */
function expectConsistent(status: number, headers: Headers, nowMs: number, policy: string, windowSeconds: number) {
  const p = item(headers['ratelimit-policy']);
  const r = item(headers['ratelimit']);
  expect(p.name).toBe(policy);
  expect(r.name).toBe(policy);
  expect(Object.keys(p.params).sort()).toEqual(['q', 'w']);
  expect(Object.keys(r.params).sort()).toEqual(['r', 't']);
  expect(p.params.q).toBe(Number(headers['x-ratelimit-limit']));
  expect(p.params.w).toBe(windowSeconds);
  expect(r.params.r).toBe(Number(headers['x-ratelimit-remaining']));
  expect(r.params.t).toBe(Number(headers['x-ratelimit-reset']) - Math.floor(nowMs / 1000));
  expect(r.params.t).toBeGreaterThanOrEqual(0);
  expect(r.params.t).toBeLessThanOrEqual(p.params.w);
  if (status === 429) expect(Number(headers['retry-after'])).toBeGreaterThanOrEqual(r.params.t);
  return { q: p.params.q, w: p.params.w, r: r.params.r, t: r.params.t };
}

const DEVELOPER = SPEC.plans.find((p) => p.id === 'developer')!;
/** T0's window on the developer plan starts here. */
const WINDOW_START = Math.floor(T0 / (DEVELOPER.window_seconds * 1000)) * DEVELOPER.window_seconds * 1000;

describe('the IETF rate-limit fields on responses', () => {
  it('carries both forms, consistent, at every clock position of a window: 200, 403, 404, 400 and 429', async () => {
    // A limit of 4: four requests pass (200, 403, 404, 400 each spend budget), the fifth is a 429.
    const mock = testMock({ config: { plans: { developer: { requests_per_window: 4 } } } });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: DEVELOPER.window_seconds * 1000 - 1 }), async (offset) => {
        mock.reset();
        mock.clock.set(WINDOW_START + offset);
        const now = mock.clock.now();
        const ok = await request(mock.app).get('/v1/scans').set(bearer(KEYS.admin));
        expectResponse(ok, 200, 'listScans');
        expect(expectConsistent(200, ok.headers, now, 'developer', 60)).toMatchObject({ q: 4, r: 3 });
        const forbidden = await request(mock.app).post('/v1/scans').set(bearer(KEYS.read)).send({});
        expectResponse(forbidden, 403, 'createScan');
        expect(expectConsistent(403, forbidden.headers, now, 'developer', 60)).toMatchObject({ r: 2 });
        const missing = await request(mock.app).get('/v1/scans/scan_0000000000000000').set(bearer(KEYS.admin));
        expectResponse(missing, 404, 'getScan');
        expect(expectConsistent(404, missing.headers, now, 'developer', 60)).toMatchObject({ r: 1 });
        const invalid = await request(mock.app).get('/v1/scans?limit=abc').set(bearer(KEYS.admin));
        expectResponse(invalid, 400, 'listScans');
        expect(expectConsistent(400, invalid.headers, now, 'developer', 60)).toMatchObject({ r: 0 });
        const refused = await request(mock.app).get('/v1/scans').set(bearer(KEYS.admin));
        expectResponse(refused, 429, 'listScans');
        const figures = expectConsistent(429, refused.headers, now, 'developer', 60);
        expect(figures.r).toBe(0);
        // The window's whole seconds left, 1..60: the same figure as Retry-After.
        expect(Number(refused.headers['retry-after'])).toBe(figures.t);
        expect(figures.t).toBe(DEVELOPER.window_seconds - Math.floor(offset / 1000));
      }),
      { numRuns: 25, seed: 22 },
    );
  });

  it('gives a forced 429 (Prefer: code=429) the fields of an exhausted window, Retry-After no earlier than t', async () => {
    const mock = testMock();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: DEVELOPER.window_seconds * 1000 - 1 }), async (offset) => {
        mock.reset();
        mock.clock.set(WINDOW_START + offset);
        const forced = await request(mock.app).get('/v1/scans').set(bearer(KEYS.admin)).set('Prefer', 'code=429');
        expectResponse(forced, 429, 'listScans');
        const figures = expectConsistent(429, forced.headers, mock.clock.now(), 'developer', 60);
        expect(figures).toMatchObject({ q: DEVELOPER.requests_per_window, r: 0 });
        expect(Number(forced.headers['retry-after'])).toBe(figures.t);
      }),
      { numRuns: 25, seed: 22 },
    );
  });

  it.each(SPEC.plans.map((p) => [p.id, p] as const))('names the %s plan as the policy, with its limit and window', async (id, plan) => {
    const key = { vibe_coder: KEYS.vibeCoderAdmin, developer: KEYS.admin, enterprise: KEYS.enterpriseAdmin }[id as 'developer'];
    const mock = testMock();
    const res = await request(mock.app).get('/v1/whoami').set(bearer(key));
    expectResponse(res, 200, 'getWhoami');
    expect(expectConsistent(200, res.headers, T0, id, plan.window_seconds)).toMatchObject({ q: plan.requests_per_window, r: plan.requests_per_window - 1 });
  });

  it('names the failed-authentication limit "auth_failures" (the spec\'s x-cortex-auth-failure-limit.policy) on its 429', async () => {
    const mock = testMock({ config: { auth_failure_limit: { max_failures: 2, window_seconds: 30 } } });
    expect(SPEC.authFailureLimit.policy).toBe('auth_failures');
    for (let i = 0; i < 2; i++) {
      const guessed = await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY));
      expectResponse(guessed, 401, 'listScans');
      // A 401 carries no rate-limit figures in either form.
      expect(Object.keys(guessed.headers).filter((h) => /ratelimit/i.test(h))).toEqual([]);
    }
    const flooded = await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY));
    expectResponse(flooded, 429, 'listScans');
    expect(expectConsistent(429, flooded.headers, T0, 'auth_failures', 30)).toMatchObject({ q: 2, r: 0 });
  });

  it('sends no rate-limit field in either form on a 401 without a key', async () => {
    const res = await request(testMock().app).get('/v1/scans');
    expectResponse(res, 401, 'listScans');
    expect(Object.keys(res.headers).filter((h) => /ratelimit/i.test(h))).toEqual([]);
  });
});

describe('rate_limit_headers: which forms a mock sends', () => {
  const names = (headers: Headers) => Object.keys(headers).filter((h) => /ratelimit/i.test(h)).sort();
  const answers = async (mock: Mock) => [
    await request(mock.app).get('/v1/scans').set(bearer(KEYS.admin)),
    await request(mock.app).get('/v1/scans').set(bearer(KEYS.admin)).set('Prefer', 'code=429'),
  ];

  it('sends both by default', async () => {
    const [ok, forced] = await answers(testMock());
    expectResponse(ok, 200, 'listScans');
    expectResponse(forced, 429, 'listScans');
    for (const res of [ok, forced]) expect(names(res.headers)).toEqual(['ratelimit', 'ratelimit-policy', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
  });

  it('sends only X-RateLimit-* with [x], still valid by the spec', async () => {
    const [ok, forced] = await answers(testMock({ config: { rate_limit_headers: ['x'] } }));
    expectResponse(ok, 200, 'listScans');
    expectResponse(forced, 429, 'listScans');
    for (const res of [ok, forced]) expect(names(res.headers)).toEqual(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
  });

  it('sends only RateLimit-Policy and RateLimit with [ietf], still valid by the spec, the 429 keeping Retry-After', async () => {
    const [ok, forced] = await answers(testMock({ config: { rate_limit_headers: ['ietf'] } }));
    expectResponse(ok, 200, 'listScans');
    expectResponse(forced, 429, 'listScans');
    for (const res of [ok, forced]) expect(names(res.headers)).toEqual(['ratelimit', 'ratelimit-policy']);
    expect(item(ok.headers['ratelimit']).params).toEqual({ r: DEVELOPER.requests_per_window - 1, t: 30 });
    const t = item(forced.headers['ratelimit']).params.t;
    expect(Number(forced.headers['retry-after'])).toBe(t);
    expect(forced.body.error.details.retry_after_seconds).toBe(t);
  });
});
