// One structured log line per request, with status and latency, and no key material
// whether the key came in the header or the URL.
import request from 'supertest';
import { KEYS, UNKNOWN_KEY, bearer, captureLogs, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';
import { operation, specProblems } from '../helpers/spec-check';

describe('request logs', () => {
  it('should log a malformed %-escape in an authenticated path as a client error at info, not as a bug', async () => {
    const { lines, logger } = captureLogs();
    const mock = testMock({ logger });
    const res = await request(mock.app).get('/v1/scans/scan_%E0%A4%A').set(bearer(KEYS.read)).expect(400);
    expect(specProblems(operation('getScan'), res)).toEqual([]);
    expect(res.body.error.details.reason).toBe('malformed_url');
    const logged = lines.map((l) => JSON.parse(l));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 30, status: 400, error: 'INVALID_REQUEST', msg: 'request' });
  });

  it('should write one JSON line per request with method, path, status, latency and operation', async () => {
    const { lines, logger } = captureLogs();
    const mock = testMock({ logger });
    await request(mock.app).get('/v1/scans?limit=1').set(bearer(KEYS.read)).expect(specStatus(200));
    await request(mock.app).get('/v1/scans').expect(specStatus(401));
    expect(lines).toHaveLength(2);
    const [ok, refused] = lines.map((l) => JSON.parse(l));
    expect(ok).toMatchObject({ method: 'GET', path: '/v1/scans?limit=1', status: 200, op: 'listScans', key_id: 'key_read', msg: 'request' });
    expect(typeof ok.ms).toBe('number');
    expect(refused).toMatchObject({ status: 401, error: 'UNAUTHORIZED', key_id: null });
  });

  it('should never log key material, from the header, the URL or anywhere in the path', async () => {
    const { lines, logger } = captureLogs();
    const mock = testMock({ logger });
    const secrets = [KEYS.read, KEYS.live, UNKNOWN_KEY, 'sk_test_short', 'not-even-a-key-shape'];
    for (const key of secrets) {
      await request(mock.app).get('/v1/scans').set(bearer(key));
      await request(mock.app).get(`/v1/scans?api_key=${encodeURIComponent(key)}`);
      await request(mock.app).get(`/v1/scans?limit=1&API_KEY=${key}`).set(bearer(KEYS.read));
      // A key pasted into a path is redacted too, when it has a key's shape.
      if (key.startsWith('sk_')) await request(mock.app).get(`/v1/scans/${key}`).set(bearer(KEYS.read));
    }
    expect(lines.length).toBe(secrets.length * 3 + secrets.filter((k) => k.startsWith('sk_')).length);
    const text = lines.join('\n');
    for (const key of secrets) expect(text).not.toContain(key);
    expect(text).not.toMatch(/sk_(test|live)_[A-Za-z0-9]/);
    expect(text).toContain('api_key=[REDACTED]');
  });
});
