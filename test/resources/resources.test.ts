// Stateful resources: scans move with the clock, reports of completed scans, users CRUD,
// API keys (create, rotate with grace, revoke), whoami, idempotent creates, pagination.
import request from 'supertest';
import { KEYS, T0, bearer, testMock } from '../helpers/fixtures';
import { operation, specProblems } from '../helpers/spec-check';
import { specStatus } from '../helpers/expect-response';

const admin = bearer(KEYS.admin);

describe('scans', () => {
  it('should queue a new scan that appears in get and list, then runs and completes as the clock advances', async () => {
    const mock = testMock();
    const created = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).send({ target: 'ws-0001.corp.example', scan_type: 'quick' }).expect(specStatus(201));
    expect(specProblems(operation('createScan'), created)).toEqual([]);
    expect(created.body).toMatchObject({ status: 'queued', progress: 0, target: 'ws-0001.corp.example', created_at: new Date(T0).toISOString() });
    const id = created.body.id;

    const list = await request(mock.app).get('/v1/scans?limit=1').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(list.body.data[0].id).toBe(id);

    mock.clock.advance(5_000 + 15_000); // queue 5 s, then half of a 30 s quick scan
    const running = await request(mock.app).get(`/v1/scans/${id}`).set(bearer(KEYS.read)).expect(specStatus(200));
    expect(running.body).toMatchObject({ status: 'running', progress: 50, started_at: new Date(T0 + 5_000).toISOString() });

    mock.clock.advance(15_000);
    const done = await request(mock.app).get(`/v1/scans/${id}`).set(bearer(KEYS.read)).expect(specStatus(200));
    expect(['completed', 'failed']).toContain(done.body.status);
    expect(done.body.finished_at).toBe(new Date(T0 + 35_000).toISOString());
    expect(specProblems(operation('getScan'), done)).toEqual([]);
  });

  it('should filter the list by status', async () => {
    const mock = testMock();
    const res = await request(mock.app).get('/v1/scans?status=completed&limit=100').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(res.body.data.every((s: { status: string }) => s.status === 'completed')).toBe(true);
  });

  it('should cancel a running scan, and answer 409 to cancelling a finished one', async () => {
    const mock = testMock();
    const created = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).send({ target: '10.0.0.7', scan_type: 'full' }).expect(specStatus(201));
    mock.clock.advance(10_000);
    const cancelled = await request(mock.app).post(`/v1/scans/${created.body.id}/cancel`).set(bearer(KEYS.write)).expect(specStatus(200));
    expect(cancelled.body).toMatchObject({ status: 'cancelled', finished_at: new Date(T0 + 10_000).toISOString(), report_id: null });
    mock.clock.advance(3_600_000);
    const still = await request(mock.app).get(`/v1/scans/${created.body.id}`).set(bearer(KEYS.read)).expect(specStatus(200));
    expect(still.body.status).toBe('cancelled');
    const again = await request(mock.app).post(`/v1/scans/${created.body.id}/cancel`).set(bearer(KEYS.write)).expect(specStatus(409));
    expect(again.body.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'scan_finished', id: created.body.id } });
    expect(specProblems(operation('cancelScan'), again)).toEqual([]);
  });

  it('should answer 404 for a scan of another account, and 400 for a malformed id', async () => {
    const mock = testMock();
    const other = mock.state.scans.listOf('acct_enterprise')[0].id;
    const res = await request(mock.app).get(`/v1/scans/${other}`).set(bearer(KEYS.read)).expect(specStatus(404));
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'scan', id: other } });
    const bad = await request(mock.app).get('/v1/scans/not-a-scan-id').set(bearer(KEYS.read)).expect(specStatus(400));
    expect(bad.body.error.details).toEqual({ parameter: 'scan_id', location: 'path', schema_path: '#/components/schemas/ScanIdValue/pattern' });
  });

  it('should page through the list with cursors, without repeats or gaps', async () => {
    const mock = testMock();
    const all = await request(mock.app).get('/v1/scans?limit=100').set(bearer(KEYS.read)).expect(specStatus(200));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await request(mock.app).get(`/v1/scans?limit=4${cursor ? `&cursor=${cursor}` : ''}`).set(bearer(KEYS.read)).expect(specStatus(200));
      seen.push(...page.body.data.map((s: { id: string }) => s.id));
      cursor = page.body.next_cursor;
      expect(page.body.has_more).toBe(cursor !== null);
    } while (cursor);
    expect(seen).toEqual(all.body.data.map((s: { id: string }) => s.id));
  });

  it('should refuse limit above 100 and a repeated or unknown cursor with 400 naming the parameter', async () => {
    const mock = testMock();
    const high = await request(mock.app).get('/v1/scans?limit=101').set(bearer(KEYS.read)).expect(specStatus(400));
    expect(high.body.error.details).toEqual({ parameter: 'limit', location: 'query', schema_path: '#/components/parameters/Limit/schema/maximum' });
    const text = await request(mock.app).get('/v1/scans?limit=ten').set(bearer(KEYS.read)).expect(specStatus(400));
    expect(text.body.error.details.schema_path).toBe('#/components/parameters/Limit/schema/type');
    const twice = await request(mock.app).get('/v1/scans?limit=1&limit=2').set(bearer(KEYS.read)).expect(specStatus(400));
    expect(twice.body.error.details).toMatchObject({ parameter: 'limit', reason: 'repeated' });
    const unknown = await request(mock.app).get('/v1/scans?cursor=bm9wZQ').set(bearer(KEYS.read)).expect(specStatus(400));
    expect(unknown.body.error.details).toMatchObject({ parameter: 'cursor', reason: 'unknown_cursor' });
  });

  it('should refuse a body that breaks the schema with the field and schema path', async () => {
    const mock = testMock();
    const cases: Array<[unknown, string, string]> = [
      [{ target: 'h' }, 'scan_type', '#/components/schemas/ScanCreate/required'],
      [{ target: 'h', scan_type: 'deep' }, 'scan_type', '#/components/schemas/ScanType/enum'],
      [{ target: 'h', scan_type: 'quick', extra: 1 }, 'extra', '#/components/schemas/ScanCreate/additionalProperties'],
      [{ target: 7, scan_type: 'quick' }, 'target', '#/components/schemas/ScanCreate/properties/target/type'],
    ];
    for (const [body, parameter, schemaPath] of cases) {
      const res = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).send(body as object).expect(specStatus(400));
      expect(res.body.error.details).toEqual({ parameter, location: 'body', schema_path: schemaPath });
      expect(specProblems(operation('createScan'), res)).toEqual([]);
    }
    expect(mock.state.scans.listOf('acct_developer')).toHaveLength(14);
  });

  it('should refuse invalid JSON with 400, another content type with 415, and a huge body with 413', async () => {
    const mock = testMock();
    const broken = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).set('Content-Type', 'application/json').send('{"target":').expect(specStatus(400));
    expect(broken.body.error.details).toMatchObject({ parameter: 'body', reason: 'invalid_json' });
    const form = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).type('form').send('target=h&scan_type=quick').expect(specStatus(415));
    expect(form.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).send({ target: 'x'.repeat(70_000), scan_type: 'quick' }).expect(specStatus(413));
    expect(huge.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { max_body_bytes: 65536 } });
    const empty = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).expect(specStatus(400));
    expect(empty.body.error.details).toMatchObject({ parameter: 'body', reason: 'missing' });
  });

  it.each([
    ['post', '/v1/scans', 'createScan', 'application/vnd.evil+json', { target: 'h', scan_type: 'quick' }],
    ['post', '/v1/scans', 'createScan', 'application/problem+json', { target: 'h', scan_type: 'quick' }],
    ['patch', '/v1/users/{id}', 'updateUser', 'application/merge-patch+json', { name: 'Renamed' }],
    ['post', '/v1/api-keys', 'createApiKey', 'text/json', { name: 'k', permissions: ['read'] }],
  ])('should refuse %s %s (%s) sent as %s, a media type the operation does not list, with 415 and change nothing', async (method, path, op, type, body) => {
    const mock = testMock();
    const user = mock.state.users.listOf('acct_developer')[0];
    const before = JSON.stringify((await request(mock.app).get('/v1/users?limit=100').set(bearer(KEYS.admin))).body) + mock.state.scans.listOf('acct_developer').length + mock.state.keys.keysOf('acct_developer').length;
    const res = await request(mock.app)[method as 'post'](path.replace('{id}', user.id)).set(bearer(KEYS.admin)).set('Content-Type', type).send(JSON.stringify(body)).expect(415);
    expect(specProblems(operation(op), res)).toEqual([]);
    expect(res.body.error.details).toEqual({ supported: ['application/json'] });
    const after = JSON.stringify((await request(mock.app).get('/v1/users?limit=100').set(bearer(KEYS.admin))).body) + mock.state.scans.listOf('acct_developer').length + mock.state.keys.keysOf('acct_developer').length;
    expect(after).toBe(before);
  });

  it('should take application/json with parameters and in any case', async () => {
    const mock = testMock();
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      const res = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).set('Content-Type', type).send(JSON.stringify({ target: 'h', scan_type: 'quick' })).expect(201);
      expect(specProblems(operation('createScan'), res)).toEqual([]);
    }
  });
});

describe('cursors', () => {
  it('are bound to the list that gave them: a report cursor on /scans is a 400', async () => {
    const mock = testMock();
    const reports = await request(mock.handler).get('/v1/reports?limit=1').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(reports.body.next_cursor).toEqual(expect.any(String));
    const crossed = await request(mock.handler).get(`/v1/scans?cursor=${reports.body.next_cursor}`).set(bearer(KEYS.read)).expect(specStatus(400));
    expect(crossed.body.error.details).toMatchObject({ parameter: 'cursor', reason: 'unknown_cursor' });
    await request(mock.handler).get(`/v1/reports?cursor=${reports.body.next_cursor}`).set(bearer(KEYS.read)).expect(specStatus(200));
  });
});

describe('reports', () => {
  it('should list reports of completed scans only, each with findings and counts that agree', async () => {
    const mock = testMock();
    const res = await request(mock.app).get('/v1/reports?limit=100').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(specProblems(operation('listReports'), res)).toEqual([]);
    const completed = mock.state.scans.listOf('acct_developer').filter((s) => mock.state.scans.view(s, T0).status === 'completed');
    expect(res.body.data).toHaveLength(completed.length);
    for (const report of res.body.data) {
      const total = Object.values(report.severity_counts as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(report.findings).toHaveLength(total);
    }
  });

  it('should give a completed scan a report reachable from its report_id, and 404 for a running scan', async () => {
    const mock = testMock();
    const created = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).send({ target: 'ws-1', scan_type: 'quick' }).expect(specStatus(201));
    const reportId = `rpt_${created.body.id.slice(5)}`;
    await request(mock.app).get(`/v1/reports/${reportId}`).set(bearer(KEYS.read)).expect(specStatus(404));
    mock.clock.advance(60_000);
    const scan = await request(mock.app).get(`/v1/scans/${created.body.id}`).set(bearer(KEYS.read)).expect(specStatus(200));
    if (scan.body.status === 'completed') {
      const report = await request(mock.app).get(`/v1/reports/${scan.body.report_id}`).set(bearer(KEYS.read)).expect(specStatus(200));
      expect(report.body).toMatchObject({ scan_id: created.body.id, target: 'ws-1', created_at: scan.body.finished_at });
      const filtered = await request(mock.app).get(`/v1/reports?scan_id=${created.body.id}`).set(bearer(KEYS.read)).expect(specStatus(200));
      expect(filtered.body.data.map((r: { id: string }) => r.id)).toEqual([scan.body.report_id]);
    } else {
      expect(scan.body.status).toBe('failed');
      await request(mock.app).get(`/v1/reports/${reportId}`).set(bearer(KEYS.read)).expect(specStatus(404));
    }
  });
});

describe('users', () => {
  it('should create, get, update, list and delete a user', async () => {
    const mock = testMock();
    const created = await request(mock.app).post('/v1/users').set(admin).send({ email: 'grace@corp.example', name: 'Grace Hopper', role: 'viewer' }).expect(specStatus(201));
    const id = created.body.id;
    await request(mock.app).get(`/v1/users/${id}`).set(admin).expect(specStatus(200));
    mock.clock.advance(1_000);
    const updated = await request(mock.app).patch(`/v1/users/${id}`).set(admin).send({ role: 'admin' }).expect(specStatus(200));
    expect(updated.body).toMatchObject({ role: 'admin', name: 'Grace Hopper', updated_at: new Date(T0 + 1_000).toISOString(), created_at: new Date(T0).toISOString() });
    const list = await request(mock.app).get('/v1/users?limit=100').set(admin).expect(specStatus(200));
    expect(list.body.data.map((u: { id: string }) => u.id)).toContain(id);
    const deleted = await request(mock.app).delete(`/v1/users/${id}`).set(admin).expect(specStatus(204));
    expect(deleted.text).toBe('');
    await request(mock.app).get(`/v1/users/${id}`).set(admin).expect(specStatus(404));
  });

  it('should answer 409 for an email already taken, on create and update', async () => {
    const mock = testMock();
    const existing = mock.state.users.listOf('acct_developer')[0];
    const dup = await request(mock.app).post('/v1/users').set(admin).send({ email: existing.email.toUpperCase(), name: 'X', role: 'viewer' }).expect(specStatus(409));
    expect(dup.body.error.details).toMatchObject({ reason: 'email_taken' });
    const other = mock.state.users.listOf('acct_developer')[1];
    await request(mock.app).patch(`/v1/users/${other.id}`).set(admin).send({ email: existing.email }).expect(specStatus(409));
    await request(mock.app).patch(`/v1/users/${other.id}`).set(admin).send({}).expect(specStatus(400));
  });
});

describe('API keys', () => {
  it('should create a key whose secret is shown once and works at once', async () => {
    const mock = testMock();
    const created = await request(mock.app).post('/v1/api-keys').set(admin).send({ name: 'ci', permissions: ['read'] }).expect(specStatus(201));
    expect(specProblems(operation('createApiKey'), created)).toEqual([]);
    expect(created.body.secret).toMatch(/^sk_test_/);
    expect(created.body).toMatchObject({ mode: 'test', plan: 'developer', status: 'active', expires_at: null, last4: created.body.secret.slice(-4) });
    const who = await request(mock.app).get('/v1/whoami').set(bearer(created.body.secret)).expect(specStatus(200));
    expect(who.body.key.id).toBe(created.body.id);
    const fetched = await request(mock.app).get(`/v1/api-keys/${created.body.id}`).set(admin).expect(specStatus(200));
    expect(fetched.body.secret).toBeUndefined();
    const listed = await request(mock.app).get('/v1/api-keys?limit=100').set(admin).expect(specStatus(200));
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
  });

  it('should refuse a created key as expired once its expiry passes', async () => {
    const mock = testMock();
    const created = await request(mock.app).post('/v1/api-keys').set(admin).send({ name: 'short', permissions: ['read'], expires_at: new Date(T0 + 60_000).toISOString() }).expect(specStatus(201));
    await request(mock.app).get('/v1/whoami').set(bearer(created.body.secret)).expect(specStatus(200));
    mock.clock.advance(60_000);
    const res = await request(mock.app).get('/v1/whoami').set(bearer(created.body.secret)).expect(specStatus(401));
    expect(res.body.error.details.reason).toBe('expired');
  });

  it('should rotate a key: the new secret works, the old one until the chosen expiry', async () => {
    const mock = testMock();
    const created = await request(mock.app).post('/v1/api-keys').set(admin).send({ name: 'deploy', permissions: ['read'] }).expect(specStatus(201));
    const rotated = await request(mock.app).post(`/v1/api-keys/${created.body.id}/rotate`).set(admin).send({ previous_secret_expires_in_seconds: 3600 }).expect(specStatus(200));
    expect(specProblems(operation('rotateApiKey'), rotated)).toEqual([]);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(rotated.body.previous_secret_expires_at).toBe(new Date(T0 + 3_600_000).toISOString());
    await request(mock.app).get('/v1/whoami').set(bearer(rotated.body.secret)).expect(specStatus(200));
    await request(mock.app).get('/v1/whoami').set(bearer(created.body.secret)).expect(specStatus(200));
    mock.clock.advance(3_600_000);
    const old = await request(mock.app).get('/v1/whoami').set(bearer(created.body.secret)).expect(specStatus(401));
    expect(old.body.error.details.reason).toBe('expired');
    await request(mock.app).get('/v1/whoami').set(bearer(rotated.body.secret)).expect(specStatus(200));
  });

  it('should end the previous secret at once when no grace period is given', async () => {
    const mock = testMock();
    const created = await request(mock.app).post('/v1/api-keys').set(admin).send({ name: 'x', permissions: [] }).expect(specStatus(201));
    await request(mock.app).post(`/v1/api-keys/${created.body.id}/rotate`).set(admin).expect(specStatus(200));
    await request(mock.app).get('/v1/whoami').set(bearer(created.body.secret)).expect(specStatus(401));
  });

  it('should revoke a key so that it and its earlier secrets fail with 401 at once, and 409 a second revoke', async () => {
    const mock = testMock();
    const created = await request(mock.app).post('/v1/api-keys').set(admin).send({ name: 'x', permissions: ['read'] }).expect(specStatus(201));
    const rotated = await request(mock.app).post(`/v1/api-keys/${created.body.id}/rotate`).set(admin).send({ previous_secret_expires_in_seconds: 600 }).expect(specStatus(200));
    const revoked = await request(mock.app).delete(`/v1/api-keys/${created.body.id}`).set(admin).expect(specStatus(200));
    expect(revoked.body.status).toBe('revoked');
    for (const secret of [created.body.secret, rotated.body.secret]) {
      const res = await request(mock.app).get('/v1/whoami').set(bearer(secret)).expect(specStatus(401));
      expect(res.body.error.details.reason).toBe('revoked');
    }
    const again = await request(mock.app).delete(`/v1/api-keys/${created.body.id}`).set(admin).expect(specStatus(409));
    expect(again.body.error.details.reason).toBe('key_revoked');
    await request(mock.app).post(`/v1/api-keys/${created.body.id}/rotate`).set(admin).expect(specStatus(409));
  });

  it('should answer 404 for a key of another account', async () => {
    const mock = testMock();
    await request(mock.app).get('/v1/api-keys/key_enterprise_admin').set(admin).expect(specStatus(404));
  });
});

describe('whoami', () => {
  it('should describe the key, its account and plan, and the rate-limit state, for a key with no permissions', async () => {
    const mock = testMock();
    const res = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.noPerms)).expect(specStatus(200));
    expect(res.body).toEqual({
      object: 'whoami',
      key: { id: 'key_noperms', name: 'no permissions', mode: 'test', permissions: [], expires_at: null, last4: '0005' },
      account: { id: 'acct_developer', name: 'Developer account', plan: { id: 'developer', name: 'Developer', requests_per_window: 500, window_seconds: 60 } },
      rate_limit: { limit: 500, remaining: 499, reset: Number(res.headers['x-ratelimit-reset']) },
    });
  });
});

describe('Idempotency-Key', () => {
  it('should replay the first response for the same key and body, without creating twice', async () => {
    const mock = testMock();
    const body = { target: 'ws-9', scan_type: 'quick' };
    const first = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).set('Idempotency-Key', 'abc-1').send(body).expect(specStatus(201));
    mock.clock.advance(1_000);
    const second = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).set('Idempotency-Key', 'abc-1').send(body).expect(specStatus(201));
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(mock.state.scans.listOf('acct_developer').filter((s) => s.target === 'ws-9')).toHaveLength(1);
  });

  it('should answer 409 to the same key with another body', async () => {
    const mock = testMock();
    await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).set('Idempotency-Key', 'k').send({ target: 'a', scan_type: 'quick' }).expect(specStatus(201));
    const res = await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).set('Idempotency-Key', 'k').send({ target: 'b', scan_type: 'quick' }).expect(specStatus(409));
    expect(res.body.error.details).toEqual({ reason: 'idempotency_key_reused' });
    expect(specProblems(operation('createScan'), res)).toEqual([]);
  });

  it('should keep keys apart per operation and per account', async () => {
    const mock = testMock();
    await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).set('Idempotency-Key', 'same').send({ target: 'a', scan_type: 'quick' }).expect(specStatus(201));
    await request(mock.app).post('/v1/users').set(admin).set('Idempotency-Key', 'same').send({ email: 'n@corp.example', name: 'N', role: 'viewer' }).expect(specStatus(201));
    const other = await request(mock.app).post('/v1/scans').set(bearer(KEYS.enterpriseAdmin)).set('Idempotency-Key', 'same').send({ target: 'b', scan_type: 'quick' }).expect(specStatus(201));
    expect(other.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('routes outside the spec', () => {
  it('should answer 404 in the error shape for an unknown path, after authentication', async () => {
    const mock = testMock();
    await request(mock.app).get('/v1/nope').expect(401);
    const res = await request(mock.app).get('/v1/nope').set(bearer(KEYS.read)).expect(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'route' } });
    const outside = await request(mock.app).get('/elsewhere').expect(404);
    expect(outside.body.error.code).toBe('NOT_FOUND');
  });

  it('should answer 405 with Allow for a method the path does not have', async () => {
    const res = await request(testMock().app).put('/v1/scans').set(bearer(KEYS.read)).expect(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });
});
