// Secrets never reach logs, the journal or responses: every auth path is driven with keys
// in the header and in the URL. The secret of a created or rotated key appears once, in
// the response that made it.
import request from 'supertest';
import { KEYS, UNKNOWN_KEY, bearer, captureLogs, testMock } from '../helpers/fixtures';
import { expectResponse, specStatus } from '../helpers/expect-response';
import { operation, specProblems } from '../helpers/spec-check';

const KEY_MATERIAL = /sk_(test|live)_[A-Za-z0-9]/;

it('should keep key material out of logs, journal and responses on every auth path', async () => {
  const { lines, logger } = captureLogs('trace');
  const mock = testMock({ logger, config: { allow_live_keys: true } });
  const bodies: string[] = [];
  const presented = [...Object.values(KEYS), UNKNOWN_KEY, 'sk_test_x', `sk_test_${'A'.repeat(500)}`, 'sk_test_a b'];
  for (const key of presented) {
    for (const path of ['/v1/scans', '/v1/users', '/v1/whoami', '/v1/nope']) {
      bodies.push(JSON.stringify((await request(mock.app).get(path).set(bearer(key))).body));
      bodies.push(JSON.stringify((await request(mock.app).get(`${path}?api_key=${encodeURIComponent(key)}`)).body));
      bodies.push(JSON.stringify((await request(mock.app).get(`${path}?api_key=${encodeURIComponent(key)}`).set(bearer(key))).body));
    }
  }
  // Keys of unusual length are 401s, not 500s, and are compared by hash.
  for (const length of [0, 1, 23, 97, 5000]) {
    const res = await request(mock.app).get('/v1/whoami').set(bearer(`sk_test_${'z'.repeat(length)}`));
    expectResponse(res, 401);
  }
  const created = await request(mock.app).post('/v1/api-keys').set(bearer(KEYS.admin)).send({ name: 'x', permissions: ['read'] }).expect(specStatus(201));
  const rotated = await request(mock.app).post(`/v1/api-keys/${created.body.id}/rotate`).set(bearer(KEYS.admin)).send({ previous_secret_expires_in_seconds: 60 }).expect(specStatus(200));
  for (const secret of [created.body.secret, rotated.body.secret]) {
    bodies.push(JSON.stringify((await request(mock.app).get('/v1/whoami').set(bearer(secret))).body));
    bodies.push(JSON.stringify((await request(mock.app).get(`/v1/api-keys?limit=100&api_key=${secret}`)).body));
  }
  const journal = JSON.stringify((await request(mock.app).get('/_mock/journal?limit=100000')).body);

  expect(lines.length).toBeGreaterThan(presented.length * 12);
  for (const line of lines) expect(line).not.toMatch(KEY_MATERIAL);
  expect(journal).not.toMatch(KEY_MATERIAL);
  for (const body of bodies) expect(body).not.toMatch(KEY_MATERIAL);
  // Once each: in the create and the rotate response.
  expect(created.body.secret).toMatch(KEY_MATERIAL);
  expect(rotated.body.secret).toMatch(KEY_MATERIAL);
  expect(JSON.stringify((await request(mock.app).get(`/v1/api-keys/${created.body.id}`).set(bearer(KEYS.admin))).body)).not.toMatch(KEY_MATERIAL);
});

describe('generated secrets', () => {
  // Secrets come from crypto.randomBytes, never from the seed: two mocks with the same seed
  // (42, the default) would otherwise hand out the same keys, and anyone who knows the seed
  // could compute the keys the dashboard, a create or a rotation hands out.
  async function secretsOf(include_default_keys: boolean) {
    const mock = testMock({ config: { include_default_keys, ...(include_default_keys ? {} : { accounts: [{ id: 'acct_mine', name: 'mine', plan: 'developer' }], keys: [{ id: 'key_mine', account_id: 'acct_mine', name: 'mine', permissions: ['admin'], secret: KEYS.admin }] }) } });
    const account = include_default_keys ? (await request(mock.app).get('/v1/whoami').set(bearer(KEYS.admin)).expect(200)).body.account.id : 'acct_mine';
    const v1 = await request(mock.app).post('/v1/api-keys').set(bearer(KEYS.admin)).send({ name: 'x', permissions: ['read'] }).expect(201);
    expect(specProblems(operation('createApiKey'), v1)).toEqual([]);
    const rotated = await request(mock.app).post(`/v1/api-keys/${v1.body.id}/rotate`).set(bearer(KEYS.admin)).send({}).expect(200);
    expect(specProblems(operation('rotateApiKey'), rotated)).toEqual([]);
    const control = await request(mock.app).post('/_mock/keys').send({ account_id: account, name: 'y', permissions: ['read'] }).expect(201);
    const controlRotated = await request(mock.app).post(`/_mock/keys/${control.body.id}/rotate`).send({ grace_seconds: 0 }).expect(200);
    return [v1.body.secret, rotated.body.secret, control.body.key, controlRotated.body.key] as string[];
  }

  it.each([true, false])('should give different secrets from two mocks with the same seed (default keys: %s)', async (defaults) => {
    const a = await secretsOf(defaults);
    const b = await secretsOf(defaults);
    for (const secret of [...a, ...b]) expect(secret).toMatch(/^sk_test_[A-Za-z0-9]{32}$/);
    expect(new Set([...a, ...b]).size).toBe(8);
  });
});

describe('the key format hint', () => {
  it.each(['Token abc', 'Basic dXNlcjpwYXNz', 'Bearer not-a-key'])('shows the key format to Authorization: %s, unredacted, in the body and the challenge', async (authorization) => {
    const res = await request(testMock().app).get('/v1/whoami').set('Authorization', authorization).expect(401);
    expect(specProblems(operation('getWhoami'), res)).toEqual([]);
    expect(res.body.error.message).toBe('The API key is malformed. Keys look like sk_test_... or sk_live_...');
    expect(res.headers['www-authenticate']).toContain('Keys look like sk_test_... or sk_live_...');
  });

  it('still redacts anything after a prefix that could be key material', async () => {
    const { redact } = await import('../../lib/redact');
    for (const text of ['sk_test_a', 'sk_live_...x', 'id sk_test_%41bc', 'SK_TEST_abc', 'sk_test__']) expect(redact(text)).toContain('[REDACTED]');
    expect(redact('Keys look like sk_test_... or sk_live_...')).toBe('Keys look like sk_test_... or sk_live_...');
  });

  it('spares a bare prefix followed by what no key is made of, and still takes every real key', async () => {
    const { redact } = await import('../../lib/redact');
    for (const text of ['allow the above with sk_live_ keys', 'sk_test_-prefixed', 'a key (sk_live_)', 'sk_test_', 'SK_LIVE_.']) expect(redact(text)).toBe(text);
    for (const key of [KEYS.read, KEYS.live, 'sk_live_51HqLyjWDarjtT1zdp7dcEchoLive0001']) {
      expect(redact(`keys: ${key} and ${key.toUpperCase()}`)).toBe('keys: [REDACTED] and [REDACTED]');
    }
  });
});
