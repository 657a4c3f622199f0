// OWASP API2/API4: guessing keys from one client is limited (429), while valid keys from
// the same client keep working, and the deterministic 401s (no key, malformed, expired,
// revoked, live) are never turned into 429s. Documented in the spec as
// x-cortex-auth-failure-limit.
import request from 'supertest';
import { KEYS, SPEC, UNKNOWN_KEY, bearer, testMock } from '../helpers/fixtures';
import { operation, specProblems } from '../helpers/spec-check';
import { expectResponse, specStatus } from '../helpers/expect-response';

describe('failed-authentication limit', () => {
  it('is documented in the spec', () => {
    expect(SPEC.authFailureLimit).toEqual({ max_failures: 600, window_seconds: 60, policy: 'auth_failures' });
  });

  it('should answer 429 past the limit of failures, never affect a valid key, and end with the window', async () => {
    const mock = testMock({ config: { auth_failure_limit: { max_failures: 3, window_seconds: 60 } } });
    for (let i = 0; i < 3; i++) await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY)).expect(specStatus(401));
    const flooded = await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY)).expect(specStatus(429));
    expect(specProblems(operation('listScans'), flooded)).toEqual([]);
    expect(flooded.body.error.details).toEqual({ limit: 3, remaining: 0, reset: expect.any(Number), retry_after_seconds: expect.any(Number) });
    expect(flooded.headers['retry-after']).toBe(String(flooded.body.error.details.retry_after_seconds));
    // Not guesses: these keep their 401 while guesses are refused.
    await request(mock.app).get('/v1/scans').expect(specStatus(401));
    await request(mock.app).get('/v1/scans').set(bearer(KEYS.expired)).expect(specStatus(401));
    await request(mock.app).get('/v1/scans').set(bearer(KEYS.revoked)).expect(specStatus(401));
    await request(mock.app).get('/v1/scans').set(bearer('sk_test_short')).expect(specStatus(401));
    await request(mock.app).get('/v1/scans').set(bearer(KEYS.live)).expect(specStatus(401));
    await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY)).expect(specStatus(429));
    await request(mock.app).get('/v1/scans').set(bearer(KEYS.read)).expect(specStatus(200));
    await request(mock.app).get('/v1/whoami').set(bearer(KEYS.noPerms)).expect(specStatus(200));
    mock.clock.advance(60_000);
    await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY)).expect(specStatus(401));
  });

  it('should never count requests without a key, however many', async () => {
    const mock = testMock({ config: { auth_failure_limit: { max_failures: 2, window_seconds: 60 } } });
    for (let i = 0; i < 20; i++) await request(mock.app).get('/v1/scans').expect(specStatus(401));
    for (let i = 0; i < 20; i++) await request(mock.app).get('/v1/scans').set(bearer(KEYS.expired)).expect(specStatus(401));
    await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY)).expect(specStatus(401));
  });

  it('should count every loopback address as one client, and be released by POST /_mock/reset', async () => {
    const mock = testMock({ config: { auth_failure_limit: { max_failures: 2, window_seconds: 60 } } });
    const { clientOf } = await import('../../mock/stages/pipeline');
    expect(new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.0.0.2'].map(clientOf))).toEqual(new Set(['loopback']));
    expect(clientOf('192.0.2.7')).toBe('192.0.2.7');
    for (let i = 0; i < 2; i++) await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY)).expect(specStatus(401));
    await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY)).expect(specStatus(429));
    await request(mock.app).post('/_mock/reset').set('Content-Type', 'application/json').expect(specStatus(204));
    await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY)).expect(specStatus(401));
  });

  it('can be switched off in the config', async () => {
    const mock = testMock({ config: { auth_failure_limit: false } });
    for (let i = 0; i < 700; i++) {
      const res = await request(mock.handler).get('/v1/whoami').set(bearer(UNKNOWN_KEY));
      expectResponse(res, 401);
    }
  });
});
