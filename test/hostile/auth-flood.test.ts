// OWASP API2/API4: a flood of failed authentications from one client is limited (429),
// while valid keys from the same client keep working. Documented in the spec as
// x-cortex-auth-failure-limit.
import request from 'supertest';
import { KEYS, SPEC, UNKNOWN_KEY, bearer, testMock } from '../helpers/fixtures';
import { operation, specProblems } from '../helpers/spec-check';

describe('failed-authentication limit', () => {
  it('is documented in the spec', () => {
    expect(SPEC.authFailureLimit).toEqual({ max_failures: 600, window_seconds: 60 });
  });

  it('should answer 429 past the limit of failures, never affect a valid key, and end with the window', async () => {
    const mock = testMock({ config: { auth_failure_limit: { max_failures: 3, window_seconds: 60 } } });
    for (let i = 0; i < 3; i++) await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY)).expect(401);
    const flooded = await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY)).expect(429);
    expect(specProblems(operation('listScans'), flooded)).toEqual([]);
    expect(flooded.body.error.details).toEqual({ limit: 3, remaining: 0, reset: expect.any(Number), retry_after_seconds: expect.any(Number) });
    expect(flooded.headers['retry-after']).toBe(String(flooded.body.error.details.retry_after_seconds));
    await request(mock.app).get('/v1/scans').expect(429);
    await request(mock.app).get('/v1/scans').set(bearer(KEYS.read)).expect(200);
    await request(mock.app).get('/v1/whoami').set(bearer(KEYS.noPerms)).expect(200);
    mock.clock.advance(60_000);
    await request(mock.app).get('/v1/scans').set(bearer(UNKNOWN_KEY)).expect(401);
  });
});
