// The control API under /_mock: reset, clock, keys, accounts and the redacted journal.
import request from 'supertest';
import { createSchemaValidator } from '../../lib/openapi/schema-validator';
import { CONTROL_SPEC_PATH, PUBLIC_SPEC_PATH, readSpecFile } from '../../lib/openapi/load-spec';
import { buildConfig } from '../../mock/config/config';
import { KEYS, SPEC, T0, bearer, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';
import { controlProblems } from '../helpers/spec-check';

const control = createSchemaValidator(readSpecFile(CONTROL_SPEC_PATH), { 'cortex-edr.yaml': readSpecFile(PUBLIC_SPEC_PATH) });
const valid = (schema: string, body: unknown) => expect(control.validate(`#/components/schemas/${schema}`, body)).toEqual([]);

describe('control API', () => {
  it('should describe itself: an index at /_mock, and its spec, standing alone, as JSON and YAML', async () => {
    const mock = testMock();
    const index = await request(mock.handler).get('/_mock').expect(specStatus(200));
    valid('ControlIndex', index.body);
    expect(index.body.endpoints.map((e: { method: string; path: string }) => `${e.method} ${e.path}`)).toEqual(expect.arrayContaining(['POST /_mock/reset', 'PUT /_mock/clock', 'GET /_mock/journal', 'GET /_mock/openapi.json']));
    const json = await request(mock.handler).get('/_mock/openapi.json').expect(specStatus(200));
    expect(json.body.openapi).toMatch(/^3\.1/);
    expect(JSON.stringify(json.body)).not.toContain('cortex-edr.yaml');
    // Every reference resolves inside the document itself.
    const refs = [...JSON.stringify(json.body).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    for (const name of refs) expect(json.body.components.schemas[name]).toBeDefined();
    const yaml = await request(mock.handler).get('/_mock/openapi.yaml').expect(specStatus(200));
    expect(yaml.text).toMatch(/^openapi: 3\.1/);
  });

  it('should read, set and advance the clock', async () => {
    const mock = testMock();
    const read = await request(mock.app).get('/_mock/clock').expect(specStatus(200));
    expect(read.body).toEqual({ now: new Date(T0).toISOString(), epoch_ms: T0, frozen: true });
    valid('Clock', read.body);
    const set = await request(mock.app).put('/_mock/clock').send({ now: '2027-01-01T00:00:00.000Z' }).expect(specStatus(200));
    expect(set.body.epoch_ms).toBe(Date.parse('2027-01-01T00:00:00.000Z'));
    const advanced = await request(mock.app).post('/_mock/clock/advance').send({ seconds: 90 }).expect(specStatus(200));
    expect(advanced.body.now).toBe('2027-01-01T00:01:30.000Z');
    await request(mock.app).post('/_mock/clock/advance').send({ ms: 500 }).expect(specStatus(200));
    expect(mock.clock.now()).toBe(Date.parse('2027-01-01T00:01:30.500Z'));
  });

  it('should refuse bad control input with 400 naming the field', async () => {
    const mock = testMock();
    const neg = await request(mock.app).post('/_mock/clock/advance').send({ seconds: -1 }).expect(specStatus(400));
    expect(neg.body.error.details).toEqual({ parameter: 'seconds', location: 'body', schema_path: '#/components/schemas/ClockAdvance/properties/seconds/minimum' });
    const bad = await request(mock.app).put('/_mock/clock').send({ now: 'yesterday' }).expect(specStatus(400));
    expect(bad.body.error.details.parameter).toBe('now');
    await request(mock.app).post('/_mock/accounts').set('Content-Type', 'application/json').send('{').expect(specStatus(400));
    await request(mock.app).get('/_mock/journal?limit=0').expect(specStatus(400));
  });

  it('should list the well-known keys with their permissions, plan and state', async () => {
    const res = await request(testMock().app).get('/_mock/keys').expect(specStatus(200));
    valid('MockKeyList', res.body);
    const byName = Object.fromEntries(res.body.data.map((k: { name: string }) => [k.name, k]));
    expect(byName['read-only']).toMatchObject({ key: KEYS.read, permissions: ['read'], plan: 'developer', state: 'active' });
    expect(byName.expired).toMatchObject({ key: KEYS.expired, state: 'expired' });
    expect(byName.revoked).toMatchObject({ key: KEYS.revoked, state: 'revoked' });
    expect(byName['admin (Enterprise plan)']).toMatchObject({ plan: 'enterprise', permissions: ['admin'] });
    // As the banner says: the mock refuses the live fixture unless live keys are allowed.
    expect(byName['live (refused unless allow_live_keys)']).toMatchObject({ key: KEYS.live, mode: 'live', state: 'refused' });
    const allowed = await request(testMock({ config: { allow_live_keys: true } }).app).get('/_mock/keys').expect(specStatus(200));
    expect(allowed.body.data.find((k: { mode: string }) => k.mode === 'live').state).toBe('active');
  });

  it('should never list the secret of a key created through the public API', async () => {
    const mock = testMock();
    const created = await request(mock.app).post('/v1/api-keys').set(bearer(KEYS.admin)).send({ name: 'x', permissions: ['read'] }).expect(specStatus(201));
    const res = await request(mock.app).get('/_mock/keys').expect(specStatus(200));
    expect(JSON.stringify(res.body)).not.toContain(created.body.secret);
    expect(res.body.data.find((k: { id: string }) => k.id === created.body.id).key).toBeNull();
  });

  it('should add an account and a key that work at once, on the chosen plan', async () => {
    const mock = testMock();
    await request(mock.app).post('/_mock/accounts').send({ id: 'acct_sdk', name: 'SDK', plan: 'vibe_coder' }).expect(specStatus(201));
    await request(mock.app).post('/_mock/accounts').send({ id: 'acct_sdk', name: 'SDK', plan: 'vibe_coder' }).expect(specStatus(409));
    const key = await request(mock.app).post('/_mock/keys').send({ account_id: 'acct_sdk', name: 'sdk', permissions: ['read'] }).expect(specStatus(201));
    valid('MockKey', key.body);
    const who = await request(mock.app).get('/v1/whoami').set(bearer(key.body.key)).expect(specStatus(200));
    const listed = await request(mock.app).get('/_mock/keys').expect(specStatus(200));
    expect(listed.body.data.find((k: { id: string }) => k.id === key.body.id).key).toBeNull();
    expect(who.body.account.plan.id).toBe('vibe_coder');
    expect(who.headers['x-ratelimit-limit']).toBe('100');
    await request(mock.app).post('/_mock/keys').send({ account_id: 'acct_none', name: 'x', permissions: [] }).expect(specStatus(400));
    await request(mock.app).post('/_mock/keys').send({ account_id: 'acct_sdk', name: 'x', permissions: [], secret: KEYS.read }).expect(specStatus(409));
  });

  it('refuses a secret another key has with 409 naming that key, and draws no id for it', async () => {
    const add = (mock: ReturnType<typeof testMock>, body: Record<string, unknown>) =>
      request(mock.handler).post('/_mock/keys').send({ account_id: 'acct_developer', name: 'ci', permissions: ['read'], ...body });
    const mock = testMock();
    for (let i = 0; i < 3; i++) {
      const refused = await add(mock, { secret: KEYS.read }).expect(specStatus(409));
      expect(refused.body.error.details).toEqual({ reason: 'already_exists', resource: 'api_key', id: 'key_read' });
      expect(JSON.stringify(refused.body)).not.toContain(KEYS.read);
    }
    // With an id of its own too: the secret's key is named, not the id asked for.
    const withId = await add(mock, { id: 'key_ci', secret: KEYS.read }).expect(specStatus(409));
    expect(withId.body.error.details.id).toBe('key_read');
    const next = await add(mock, {}).expect(specStatus(201));
    const fresh = await add(testMock(), {}).expect(specStatus(201));
    expect(next.body.id).toBe(fresh.body.id);
    expect(mock.state.keys.getKey('key_ci')).toBeUndefined();
  });

  it('refuses a key whose mode disagrees with its secret with 400 naming mode, and stores nothing', async () => {
    const mock = testMock();
    const before = mock.state.keys.keysOf('acct_developer').length;
    for (const [mode, secret] of [['live', 'sk_test_ci00000000000000000000000001'], ['test', 'sk_live_ci00000000000000000000000001']]) {
      const res = await request(mock.handler).post('/_mock/keys').send({ account_id: 'acct_developer', name: 'ci', permissions: ['read'], mode, secret }).expect(400);
      expect(res.body.error.details).toMatchObject({ parameter: 'mode', location: 'body', schema_path: '#/components/schemas/MockKeyCreate/properties/mode' });
      expect(res.body.error.message).toContain('"mode"');
      expect(JSON.stringify(res.body)).not.toContain(secret);
      expect(controlProblems('addMockKey', res)).toEqual([]);
    }
    expect(mock.state.keys.keysOf('acct_developer').length).toBe(before);
    // Agreeing, or left out, the mode is the secret's.
    const live = await request(mock.handler).post('/_mock/keys').send({ account_id: 'acct_developer', name: 'ci', permissions: ['read'], mode: 'live', secret: 'sk_live_ci00000000000000000000000001' }).expect(201);
    expect(live.body.mode).toBe('live');
    expect(controlProblems('addMockKey', live)).toEqual([]);
    const generated = await request(mock.handler).post('/_mock/keys').send({ account_id: 'acct_developer', name: 'ci', permissions: ['read'], mode: 'live' }).expect(201);
    expect(generated.body).toMatchObject({ mode: 'live', key: expect.stringMatching(/^sk_live_/) });
    expect(controlProblems('addMockKey', generated)).toEqual([]);
  });

  it('keeps the key cap of /v1: past max_keys_per_account a key is the documented 409 limit_reached', async () => {
    const mock = testMock({ config: { max_keys_per_account: 9 } });
    const add = () => request(mock.handler).post('/_mock/keys').send({ account_id: 'acct_developer', name: 'ci', permissions: ['read'] });
    expect(mock.state.keys.keysOf('acct_developer').length).toBe(8);
    expect(controlProblems('addMockKey', await add().expect(201))).toEqual([]);
    const refused = await add().expect(409);
    expect(refused.body.error.details).toEqual({ reason: 'limit_reached', resource: 'api_key' });
    expect(controlProblems('addMockKey', refused)).toEqual([]);
    expect(mock.state.keys.keysOf('acct_developer').length).toBe(9);
    // The same cap, whichever way in.
    await request(mock.handler).post('/v1/api-keys').set(bearer(KEYS.admin)).send({ name: 'n', permissions: [] }).expect(409);
  });

  it('caps accounts at max_accounts: past it an account is the documented 409 limit_reached', async () => {
    const mock = testMock();
    const seeded = mock.state.keys.accounts().length;
    const capped = testMock({ config: { max_accounts: seeded + 1 } });
    const add = (id: string) => request(capped.handler).post('/_mock/accounts').send({ id, name: id, plan: 'developer' });
    expect(controlProblems('addMockAccount', await add('acct_one').expect(201))).toEqual([]);
    const refused = await add('acct_two').expect(409);
    expect(refused.body.error.details).toEqual({ reason: 'limit_reached', resource: 'account' });
    expect(refused.body.error.message).toContain(String(seeded + 1));
    expect(controlProblems('addMockAccount', refused)).toEqual([]);
    expect(capped.state.keys.getAccount('acct_two')).toBeUndefined();
    // A reset brings the count back to the configured accounts.
    await request(capped.handler).post('/_mock/reset').expect(204);
    expect(controlProblems('addMockAccount', await add('acct_two').expect(201))).toEqual([]);
  });

  it('takes max_accounts from the config (1,000 by default), and names it when it is bad', () => {
    expect(buildConfig(SPEC, {}, 'mock.yaml').max_accounts).toBe(1000);
    expect(buildConfig(SPEC, { max_accounts: 5000 }, 'mock.yaml').max_accounts).toBe(5000);
    expect(() => buildConfig(SPEC, { max_accounts: 0 }, 'mock.yaml')).toThrow('mock.yaml: max_accounts: must be >= 1');
    expect(() => buildConfig(SPEC, { max_accounts: 'many' }, 'mock.yaml')).toThrow('mock.yaml: max_accounts: must be integer');
  });

  it('should keep a journal of /v1 requests with every secret redacted', async () => {
    const mock = testMock();
    await request(mock.app).get(`/v1/scans?api_key=${KEYS.read}&limit=2`).expect(specStatus(200));
    await request(mock.app).get('/v1/scans').set(bearer(KEYS.write)).expect(specStatus(403));
    await request(mock.app).get(`/v1/whoami?api_key=${KEYS.live}`).expect(specStatus(401));
    const res = await request(mock.app).get('/_mock/journal').expect(specStatus(200));
    valid('Journal', res.body);
    expect(res.body.data.map((e: { status: number }) => e.status)).toEqual([200, 403, 401]);
    expect(res.body.data[0]).toMatchObject({ path: '/v1/scans?api_key=[REDACTED]&limit=2', operation_id: 'listScans', key_id: 'key_read' });
    expect(res.body.data[1]).toMatchObject({ error_code: 'FORBIDDEN', key_id: 'key_write' });
    expect(JSON.stringify(res.body)).not.toMatch(/sk_(test|live)_[A-Za-z0-9]/);
    await request(mock.app).delete('/_mock/journal').set('Content-Type', 'application/json').expect(specStatus(204));
    expect((await request(mock.app).get('/_mock/journal')).body.data).toEqual([]);
  });

  it('should reset data, keys, counters, journal and clock', async () => {
    const mock = testMock({ config: { plans: { developer: { requests_per_window: 2 } } } });
    const created = await request(mock.app).post('/v1/api-keys').set(bearer(KEYS.admin)).send({ name: 'x', permissions: [] }).expect(specStatus(201));
    await request(mock.app).get('/v1/whoami').set(bearer(KEYS.admin)).expect(specStatus(200));
    await request(mock.app).get('/v1/whoami').set(bearer(KEYS.admin)).expect(specStatus(429));
    await request(mock.app).post('/_mock/clock/advance').send({ seconds: 5 });
    await request(mock.app).post('/_mock/reset').set('Content-Type', 'application/json').expect(specStatus(204));
    expect(mock.clock.now()).toBe(T0);
    await request(mock.app).get('/v1/whoami').set(bearer(KEYS.admin)).expect(specStatus(200));
    await request(mock.app).get('/v1/whoami').set(bearer(created.body.secret)).expect(specStatus(401));
    expect(mock.journal.list().map((e) => e.status)).toEqual([200, 401]);
  });

  it('rotates a key: the new secret once, the old one until the grace ends', async () => {
    const mock = testMock();
    const rotated = await request(mock.handler).post('/_mock/keys/key_read/rotate').send({ grace_seconds: 60 }).expect(specStatus(200));
    valid('MockKey', rotated.body);
    expect(rotated.body.key).toMatch(/^sk_test_/);
    expect(rotated.body.masked).toBe(`sk_test_…${rotated.body.key.slice(-4)}`);
    // Listed afterwards, the key shows no secret: neither the new one nor the old fixture.
    const listed = (await request(mock.handler).get('/_mock/keys').expect(specStatus(200))).body.data.find((k: { id: string }) => k.id === 'key_read');
    expect(listed.key).toBeNull();
    await request(mock.handler).get('/v1/whoami').set(bearer(rotated.body.key)).expect(specStatus(200));
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    mock.clock.advance(60_000);
    expect((await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(401))).body.error.details.reason).toBe('expired');
    const bad = await request(mock.handler).post('/_mock/keys/key_read/rotate').send({ grace_seconds: -1 }).expect(specStatus(400));
    expect(bad.body.error.details.parameter).toBe('grace_seconds');
    await request(mock.handler).post('/_mock/keys/key_nope/rotate').send({ grace_seconds: 0 }).expect(specStatus(404));
  });

  it('revokes a key once, and notes when each key was last used', async () => {
    const mock = testMock();
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    const revoked = await request(mock.handler).post('/_mock/keys/key_read/revoke').send({}).expect(specStatus(200));
    valid('MockKey', revoked.body);
    expect(revoked.body).toMatchObject({ state: 'revoked', last_used_at: new Date(T0).toISOString(), masked: 'sk_test_…0001' });
    expect((await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(401))).body.error.details.reason).toBe('revoked');
    expect((await request(mock.handler).post('/_mock/keys/key_read/revoke').send({}).expect(specStatus(409))).body.error.details.reason).toBe('key_revoked');
    await request(mock.handler).post('/_mock/keys/key_read/revoke').send({ extra: 1 }).expect(specStatus(400));
  });

  it('reports usage per account from the limiter and the journal, with 429s per window', async () => {
    const mock = testMock({ config: { plans: { vibe_coder: { requests_per_window: 2, window_seconds: 60 } } } });
    for (let i = 0; i < 3; i++) await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.vibeCoderAdmin));
    mock.clock.advance(60_000);
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.vibeCoderAdmin)).expect(specStatus(200));
    const usage = await request(mock.handler).get('/_mock/usage?windows=3').expect(specStatus(200));
    valid('Usage', usage.body);
    const vibe = usage.body.data.find((a: { account_id: string }) => a.account_id === 'acct_vibe_coder');
    expect(vibe).toMatchObject({ plan: 'vibe_coder', limit: 2, window_seconds: 60, remaining: 1 });
    expect(vibe.windows.map((w: { requests: number; limited: number }) => [w.requests, w.limited])).toEqual([[0, 0], [3, 1], [1, 0]]);
    expect(vibe.reset * 1000 - Date.parse(vibe.windows[2].start)).toBe(60_000);
    await request(mock.handler).get('/_mock/usage?windows=0').expect(specStatus(400));
  });

  it('pages usage: at most limit accounts a page, in the order they were added, with a cursor to the next', async () => {
    const mock = testMock({ config: { max_accounts: 100 } });
    for (let i = 0; i < 30; i++) await request(mock.handler).post('/_mock/accounts').send({ id: `acct_p${String(i).padStart(2, '0')}`, name: `p${i}`, plan: 'developer' }).expect(201);
    const all = mock.state.keys.accounts().map((a) => a.id);
    expect(all.length).toBeGreaterThan(30);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await request(mock.handler).get(`/_mock/usage?limit=7&windows=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      expect(controlProblems('getMockUsage', res)).toEqual([]);
      expect(res.body.data.length).toBeLessThanOrEqual(7);
      expect(res.body.has_more).toBe(res.body.next_cursor !== null);
      seen.push(...res.body.data.map((a: { account_id: string }) => a.account_id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 7));
    // A default page is bounded too.
    const first = await request(mock.handler).get('/_mock/usage').expect(200);
    expect(first.body.data.length).toBe(20);
    expect(first.body.has_more).toBe(true);
    for (const bad of ['limit=0', 'limit=101', 'limit=x', 'cursor=nope', `cursor=${Buffer.from('listScans:acct_p01').toString('base64url')}`]) {
      const res = await request(mock.handler).get(`/_mock/usage?${bad}`).expect(400);
      expect(res.body.error.details.location).toBe('query');
      expect(controlProblems('getMockUsage', res)).toEqual([]);
    }
  });
});
