// The same seed and clock give byte-identical responses; another seed gives other data.
import request from 'supertest';
import type { Mock } from '../../mock/app';
import { KEYS, SPEC, bearer, testMock } from '../helpers/fixtures';
import { buildRequest } from '../helpers/requests';
import { specStatus } from '../helpers/expect-response';

const READS = ['/v1/scans?limit=100', '/v1/reports?limit=100', '/v1/users?limit=100', '/v1/api-keys?limit=100', '/v1/whoami'];

/**
 * Generated secrets come from crypto, not the seed (test/redaction/secrets.test.ts): each one,
 * and the last4 it gives its key, is masked by its order of appearance.
 */
function maskSecrets(lines: string[]): string[] {
  const secrets = [...new Set(lines.join('\n').match(/sk_(test|live)_[A-Za-z0-9]{32}\b/g) ?? [])];
  return lines.map((line) =>
    secrets.reduce((l, secret, i) => l.replaceAll(secret, `<secret ${i}>`).replaceAll(`"last4":"${secret.slice(-4)}"`, `"last4":"<secret ${i}>"`), line),
  );
}

async function transcript(mock: Mock): Promise<string[]> {
  const out: string[] = [];
  for (const path of READS) out.push((await request(mock.app).get(path).set(bearer(KEYS.admin))).text);
  // Writes too: ids of created resources come from the seed (their secrets do not).
  for (const op of SPEC.operations.filter((o) => o.method !== 'get')) {
    const r = buildRequest(mock, op);
    let req = (request(mock.app) as unknown as Record<string, (u: string) => request.Test>)[r.method](r.path).set(bearer(KEYS.admin));
    if (r.body !== undefined) req = req.send(r.body as object);
    const res = await req;
    out.push(`${op.operationId} ${res.status} ${res.text}`);
  }
  mock.clock.advance(600_000);
  for (const path of READS) out.push((await request(mock.app).get(path).set(bearer(KEYS.admin))).text);
  return maskSecrets(out);
}

describe('seeded data', () => {
  it('should give byte-identical responses from two mocks with the same seed', async () => {
    const a = await transcript(testMock({ config: { seed: 7 } }));
    const b = await transcript(testMock({ config: { seed: 7 } }));
    expect(a.length).toBeGreaterThan(10);
    expect(b).toEqual(a);
    expect(a.join('\n')).toContain('"secret":"<secret 0>"');
  });

  it('should give different data for another seed', async () => {
    const a = await request(testMock({ config: { seed: 7 } }).app).get('/v1/users').set(bearer(KEYS.admin));
    const b = await request(testMock({ config: { seed: 8 } }).app).get('/v1/users').set(bearer(KEYS.admin));
    expect(a.text).not.toEqual(b.text);
  });

  it('should restore the seeded data on reset', async () => {
    const mock = testMock();
    const before = (await request(mock.app).get('/v1/scans?limit=100').set(bearer(KEYS.read))).text;
    await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).send({ target: 'h', scan_type: 'quick' }).expect(specStatus(201));
    mock.clock.advance(120_000);
    mock.reset();
    expect((await request(mock.app).get('/v1/scans?limit=100').set(bearer(KEYS.read))).text).toBe(before);
  });
});
