// Cases the mutation run (npm run mutate) showed no test would notice: each pins a decision
// of the domain (scans, idempotency, limits, users, keys) or the stages that a changed
// operator, bound or literal would flip.
import request from 'supertest';
import { createClock } from '../../mock/clock';
import { parseAuthorization } from '../../mock/domain/auth/bearer';
import { createKeyStore, type KeyRecord } from '../../mock/domain/auth/key-store';
import { createPermissionCheck } from '../../mock/domain/auth/permissions';
import { KEPT_WINDOWS, createMemoryStore, createRateLimiter } from '../../mock/domain/limits/rate-limit';
import { canonicalJson, createIdempotencyStore, fingerprint } from '../../mock/domain/resources/idempotency';
import { paginate } from '../../mock/domain/resources/pagination';
import { createScanStore, type ScanRecord } from '../../mock/domain/resources/scans';
import { createUserStore } from '../../mock/domain/resources/users';
import { clientOf } from '../../mock/stages/pipeline';
import { KEYS, SPEC, T0, bearer, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';

const SECOND = 1000;
const timing = { queueSeconds: 5, durationSeconds: { quick: 30, full: 300, memory: 120 } };
const prefixes = { scan: 'scan_', report: 'rpt_' };
const scan = (id: string, createdAt: number, over: Partial<ScanRecord> = {}): ScanRecord => ({
  id,
  accountId: 'acct_a',
  target: 'h',
  scanType: 'quick',
  createdAt,
  cancelledAt: null,
  outcome: 'completed',
  failureReason: null,
  ...over,
});

describe('a scan on the clock', () => {
  const store = () => createScanStore(timing, 42, prefixes);

  it('is queued until exactly its start, then running from progress 0', () => {
    const s = store();
    const r = scan('scan_a', T0);
    s.add(r);
    expect(s.view(r, T0 + 5 * SECOND - 1)).toMatchObject({ status: 'queued', progress: 0, started_at: null });
    expect(s.view(r, T0 + 5 * SECOND)).toMatchObject({ status: 'running', progress: 0, started_at: new Date(T0 + 5 * SECOND).toISOString() });
  });

  it('shows the progress of each read, not a stale one', () => {
    const s = store();
    const r = scan('scan_a', T0);
    s.add(r);
    expect(s.view(r, T0 + 5 * SECOND + 3 * SECOND).progress).toBe(10);
    expect(s.view(r, T0 + 5 * SECOND + 15 * SECOND).progress).toBe(50);
    expect(s.view(r, T0 + 35 * SECOND)).toMatchObject({ status: 'completed', progress: 100, failure_reason: null, report_id: 'rpt_a' });
  });

  it('cancelled while queued: progress 0, never started; while running: stopped where it was', () => {
    const s = store();
    const queued = scan('scan_q', T0, { cancelledAt: T0 + SECOND });
    const running = scan('scan_r', T0, { cancelledAt: T0 + 5 * SECOND + 6 * SECOND });
    const atStart = scan('scan_s', T0, { cancelledAt: T0 + 5 * SECOND });
    const late = scan('scan_l', T0, { cancelledAt: T0 + 35 * SECOND });
    for (const r of [queued, running, atStart, late]) s.add(r);
    const later = T0 + 3600 * SECOND;
    expect(s.view(queued, later)).toMatchObject({ status: 'cancelled', progress: 0, started_at: null, finished_at: new Date(T0 + SECOND).toISOString() });
    expect(s.view(running, later)).toMatchObject({ status: 'cancelled', progress: 20, started_at: new Date(T0 + 5 * SECOND).toISOString() });
    expect(s.view(atStart, later)).toMatchObject({ status: 'cancelled', progress: 0, started_at: new Date(T0 + 5 * SECOND).toISOString() });
    // A cancel at the very moment it finished comes too late: it completed.
    expect(s.view(late, later).status).toBe('completed');
    // Before the cancel time arrives, it runs on.
    expect(s.view(running, T0 + 5 * SECOND + 3 * SECOND)).toMatchObject({ status: 'running', progress: 10 });
  });

  it('gives a failed scan its failure reason, and a completed one none', () => {
    const s = store();
    const failed = scan('scan_f', T0, { outcome: 'failed', failureReason: 'agent offline' });
    s.add(failed);
    expect(s.view(failed, T0 + 3600 * SECOND)).toMatchObject({ status: 'failed', failure_reason: 'agent offline', report_id: null });
    expect(s.view(failed, T0 + SECOND).failure_reason).toBeNull();
    expect(s.reportOf(failed, T0 + 3600 * SECOND)).toBeUndefined();
  });

  it('lists newest first with ties broken by id, wherever a scan is inserted', () => {
    const s = store();
    for (const [id, at] of [['scan_b', T0], ['scan_a', T0], ['scan_c', T0], ['scan_old', T0 - 10], ['scan_new', T0 + 10], ['scan_mid', T0 + 5]] as const) s.add(scan(id, at));
    expect(s.listOf('acct_a').map((r) => r.id)).toEqual(['scan_new', 'scan_mid', 'scan_c', 'scan_b', 'scan_a', 'scan_old']);
  });

  it('past the cap, drops the oldest finished scan first, then the oldest of all', () => {
    const s = createScanStore(timing, 42, prefixes, 3);
    s.add(scan('scan_done1', T0 - 3600 * SECOND));
    s.add(scan('scan_done2', T0 - 1800 * SECOND));
    s.add(scan('scan_run', T0 - 10 * SECOND));
    s.add(scan('scan_new', T0));
    expect(s.listOf('acct_a').map((r) => r.id)).toEqual(['scan_new', 'scan_run', 'scan_done2']);
    expect(s.get('acct_a', 'scan_done1')).toBeUndefined();
    // None finished: the oldest of all goes.
    const t = createScanStore(timing, 42, prefixes, 2);
    t.add(scan('scan_1', T0 - 2 * SECOND));
    t.add(scan('scan_2', T0 - SECOND));
    t.add(scan('scan_3', T0));
    expect(t.listOf('acct_a').map((r) => r.id)).toEqual(['scan_3', 'scan_2']);
  });

  it('past the cap, drops a finished scan before an older one still running', () => {
    // A full scan runs 300 s: created 200 s ago, it is still running; a quick one created
    // 100 s ago finished 65 s ago. The finished one goes, though it is the newer.
    const s = createScanStore(timing, 42, prefixes, 2);
    s.add(scan('scan_full', T0 - 200 * SECOND, { scanType: 'full' }));
    s.add(scan('scan_quick', T0 - 100 * SECOND));
    s.add(scan('scan_new', T0));
    expect(s.listOf('acct_a').map((r) => r.id)).toEqual(['scan_new', 'scan_full']);
    // Even the scan just added goes first when it is the only finished one (cancelled as created).
    const t = createScanStore(timing, 42, prefixes, 1);
    t.add(scan('scan_running', T0 - 10 * SECOND));
    t.add(scan('scan_cancelled', T0, { cancelledAt: T0 }));
    expect(t.listOf('acct_a').map((r) => r.id)).toEqual(['scan_running']);
  });

  it('finds a report by its id and keeps it the same across reads', () => {
    const s = store();
    const r = scan('scan_x', T0);
    s.add(r);
    const at = T0 + 3600 * SECOND;
    const report = s.reportOf(r, at)!;
    expect(report.id).toBe('rpt_x');
    expect(s.scanOfReport('acct_a', 'rpt_x')).toBe(r);
    expect(s.scanOfReport('acct_b', 'rpt_x')).toBeUndefined();
    expect(s.reportOf(r, at + 1)).toBe(report);
    const times = report.findings.map((f) => f.detected_at);
    expect(times).toEqual([...times].sort());
    expect(report.findings.length).toBe(Object.values(report.severity_counts).reduce((a, b) => a + b, 0));
  });
});

describe('idempotency records', () => {
  it('fingerprints the JSON value: key order does not count, arrays and nesting do', () => {
    expect(canonicalJson({ b: [1, { d: 2, c: 3 }], a: null })).toBe('{"a":null,"b":[1,{"c":3,"d":2}]}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(fingerprint({ a: 1, b: 2 })).toBe(fingerprint({ b: 2, a: 1 }));
    expect(fingerprint([1, 2])).not.toBe(fingerprint([2, 1]));
    expect(fingerprint({ a: [1] })).not.toBe(fingerprint({ a: 1 }));
  });

  it('replays for exactly a day, forgets the oldest past its capacity, and clears', () => {
    const store = createIdempotencyStore(2);
    const day = 24 * 3600 * SECOND;
    store.remember('s', 'k1', 'p', { status: 201, body: 1 }, T0);
    expect(store.check('s', 'k1', 'p', T0 + day - 1).kind).toBe('replay');
    expect(store.check('s', 'k1', 'p', T0 + day).kind).toBe('new');
    expect(store.check('s', 'k1', 'other', T0).kind).toBe('conflict');
    store.remember('s', 'k2', 'p', { status: 201 }, T0);
    expect(store.check('s', 'k1', 'p', T0).kind).toBe('replay');
    store.remember('s', 'k3', 'p', { status: 201 }, T0);
    expect(store.check('s', 'k1', 'p', T0).kind).toBe('new');
    expect(store.check('s', 'k2', 'p', T0).kind).toBe('replay');
    store.clear();
    expect(store.check('s', 'k2', 'p', T0).kind).toBe('new');
  });

  it('replays a create only with an Idempotency-Key, and never without one', async () => {
    const mock = testMock();
    const body = { target: 'h', scan_type: 'quick' };
    const a = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).send(body).expect(specStatus(201));
    const b = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).send(body).expect(specStatus(201));
    expect(a.body.id).not.toBe(b.body.id);
    expect(a.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('the rate limiter', () => {
  it('drops windows farther than it keeps, once per shortest window, and peeks without counting', () => {
    const clock = createClock({ start: T0 });
    const store = createMemoryStore();
    const limiter = createRateLimiter(store);
    const minute = { limit: 2, windowSeconds: 60 };
    limiter.consume('a', minute, clock.now());
    const aEnd = Math.ceil((T0 + 1) / 60_000) * 60_000;
    limiter.consume('b', { limit: 2, windowSeconds: 3600 }, clock.now());
    expect(store.size()).toBe(2);
    expect(limiter.peek('a', minute, clock.now())).toMatchObject({ allowed: true, remaining: 1 });
    expect(limiter.peek('a', minute, clock.now()).remaining).toBe(1);
    limiter.consume('a', minute, clock.now());
    expect(limiter.peek('a', minute, clock.now())).toMatchObject({ allowed: false, remaining: 0 });
    clock.advance((KEPT_WINDOWS + 1) * 60 * SECOND);
    limiter.consume('c', minute, clock.now());
    // a's minute window is more than KEPT_WINDOWS minutes back and was swept; b's hour is not.
    expect(store.size()).toBe(2);
    expect(store.get('a', aEnd)).toBe(0);
    expect(store.get('b', Math.ceil((T0 + 1) / 3_600_000) * 3_600_000)).toBe(1);
    // Within the same shortest window, no second sweep: a window a sweep would drop stays.
    store.set('z', aEnd, 1, 60_000);
    clock.advance(2);
    limiter.consume('c', minute, clock.now());
    expect(store.size()).toBe(3);
  });

  it('sweeps a window once it is more than KEPT_WINDOWS windows from the clock, either way', () => {
    const store = createMemoryStore();
    store.set('a', 1000, 1, 1000); // the window [0, 1000)
    store.sweep((KEPT_WINDOWS + 1) * 1000 - 1);
    expect(store.size()).toBe(1);
    store.sweep((KEPT_WINDOWS + 1) * 1000);
    expect(store.size()).toBe(0);
    store.set('b', (KEPT_WINDOWS + 2) * 1000, 1, 1000); // the window KEPT_WINDOWS + 1 on
    store.sweep(1000);
    expect(store.size()).toBe(1);
    store.sweep(999);
    expect(store.size()).toBe(0);
    // A far window between two near ones goes, and the near ones keep their counts.
    for (const [end, count] of [[1000, 1], [100_000, 2], [3000, 3]]) store.set('c', end, count, 1000);
    store.sweep(2000);
    expect(store.size()).toBe(2);
    expect([1000, 100_000, 3000].map((end) => store.get('c', end))).toEqual([1, 0, 3]);
    store.set('c', 4000, 4, 1000);
    expect(store.size()).toBe(3);
    expect(store.get('c', 4000)).toBe(4);
  });

  it('keeps KEPT_WINDOWS windows of a key, displacing the one farthest from the new one', () => {
    const store = createMemoryStore();
    for (let i = 1; i <= KEPT_WINDOWS; i++) store.set('a', i * 1000, i, 1000);
    store.set('a', 2000, 20, 1000); // an existing window changes in place
    expect(store.size()).toBe(KEPT_WINDOWS);
    store.set('a', 0, 9, 1000); // one before the first: the last one goes
    expect(store.size()).toBe(KEPT_WINDOWS);
    expect(store.get('a', KEPT_WINDOWS * 1000)).toBe(0);
    expect([0, 1000, 2000, 3000].map((end) => store.get('a', end))).toEqual([9, 1, 20, 3]);
    store.set('a', 100_000, 7, 1000); // far on: the first goes
    expect(store.get('a', 0)).toBe(0);
    expect(store.get('a', 100_000)).toBe(7);
    expect(store.size()).toBe(KEPT_WINDOWS);
    store.set('b', 1000, 1, 1000);
    expect(store.size()).toBe(KEPT_WINDOWS + 1);
    store.reset();
    expect(store.size()).toBe(0);
    expect(store.get('b', 1000)).toBe(0);
  });
});

describe('users, keys, permissions, credentials', () => {
  it('keeps users per account, case-insensitive on email, and removes only its own', () => {
    const users = createUserStore();
    const u = { id: 'usr_a', accountId: 'acct_a', email: 'A@x.example', name: 'A', role: 'viewer' as const, createdAt: 0, updatedAt: 0 };
    users.add(u);
    expect(users.get('acct_b', 'usr_a')).toBeUndefined();
    expect(users.findByEmail('acct_a', 'a@X.example')).toBe(u);
    expect(users.findByEmail('acct_a', 'a@x.example', 'usr_a')).toBeUndefined();
    expect(users.findByEmail('acct_a', 'b@x.example')).toBeUndefined();
    expect(users.remove('acct_b', 'usr_a')).toBe(false);
    expect(users.remove('acct_a', 'usr_a')).toBe(true);
    expect(users.listOf('acct_a')).toEqual([]);
    users.add(u);
    users.clear();
    expect(users.get('acct_a', 'usr_a')).toBeUndefined();
  });

  it('rotates only the key it names, and knows no key whose account is gone', () => {
    const store = createKeyStore();
    store.addAccount({ id: 'acct_a', name: 'A', plan: 'developer' });
    const key = (id: string): KeyRecord => ({ id, name: id, accountId: 'acct_a', permissions: [], mode: 'test', createdAt: 0, expiresAt: null, revoked: false, last4: '0000' });
    store.addKey(key('key_1'), 'sk_test_one_000000000000000000000001');
    store.addKey(key('key_2'), 'sk_test_two_000000000000000000000002');
    store.rotate('key_1', 'sk_test_one_000000000000000000000003', 10);
    expect(store.lookup('sk_test_one_000000000000000000000001', 5).ok).toBe(true);
    expect(store.lookup('sk_test_one_000000000000000000000001', 10)).toEqual({ ok: false, reason: 'expired' });
    expect(store.lookup('sk_test_two_000000000000000000000002', 1000).ok).toBe(true);
    // Rotating again leaves an already rotated-out secret's end where it was.
    store.rotate('key_1', 'sk_test_one_000000000000000000000004', 500);
    expect(store.lookup('sk_test_one_000000000000000000000003', 400).ok).toBe(true);
    expect(store.lookup('sk_test_one_000000000000000000000001', 6).ok).toBe(true);
    expect(store.lookup('sk_test_one_000000000000000000000001', 10)).toEqual({ ok: false, reason: 'expired' });
    expect(store.lookup('sk_test_two_000000000000000000000002', 10_000).ok).toBe(true);
    const orphan = createKeyStore();
    orphan.addKey({ ...key('key_3'), accountId: 'acct_gone' }, 'sk_test_orphan_0000000000000000000003');
    expect(orphan.lookup('sk_test_orphan_0000000000000000000003', 0)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('follows implications transitively and lets an operation with no requirements in', () => {
    const check = createPermissionCheck({ owner: ['admin'], admin: ['read', 'write'], read: [], write: [] });
    expect(check.decide(['read'], ['owner'])).toEqual({ allowed: true });
    expect([...check.effective(['owner'])].sort()).toEqual(['admin', 'owner', 'read', 'write']);
    expect(check.permit([], 'bearerAuth', [])).toEqual({ allowed: true });
    expect(check.permit([{}], 'bearerAuth', [])).toEqual({ allowed: true });
    // An alternative that needs two schemes at once cannot be met by one key.
    expect(check.permit([{ bearerAuth: [], apiKeyQuery: [] }], 'bearerAuth', ['admin'])).toEqual({ allowed: false, scheme: 'bearerAuth' });
    expect(check.permit([{ bearerAuth: ['write'] }], 'bearerAuth', ['read'])).toEqual({ allowed: false, required: ['write'], provided: ['read'] });
  });

  it('parses Authorization: surrounding space ignored, a scheme alone has empty credentials', () => {
    expect(parseAuthorization('  Bearer   abc  ')).toEqual({ scheme: 'Bearer', credentials: 'abc' });
    expect(parseAuthorization(' Bearer')).toEqual({ scheme: 'Bearer', credentials: '' });
    expect(parseAuthorization('   ')).toBeNull();
  });

  it('counts every loopback address as one client, and others by address', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) expect(clientOf(a)).toBe('loopback');
    for (const a of ['10.0.0.127', '::1:2', '1.127.0.0', '::ffff:10.0.0.1']) expect(clientOf(a)).toBe(a);
    expect(clientOf(undefined)).toBe('unknown');
  });
});

describe('pagination', () => {
  const items = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  const cursorOf = (list: string, id: string) => Buffer.from(`${list}:${id}`).toString('base64url');

  it('says there is more only when there is', () => {
    expect(paginate(items, 3, undefined, (x) => x.id, '#', 'l')).toMatchObject({ has_more: false, next_cursor: null, data: ['a', 'b', 'c'] });
    expect(paginate(items, 2, undefined, (x) => x.id, '#', 'l')).toMatchObject({ has_more: true, next_cursor: cursorOf('l', 'b') });
    expect(paginate(items, 2, cursorOf('l', 'a'), (x) => x.id, '#', 'l')).toMatchObject({ has_more: false, data: ['b', 'c'] });
  });

  it('refuses a cursor of another list, or one that names no item, with the pointer', () => {
    for (const cursor of [cursorOf('other', 'a'), cursorOf('l', 'zz'), Buffer.from('a').toString('base64url'), cursorOf('', 'a')]) {
      expect(() => paginate(items, 2, cursor, (x) => x, '#/ptr', 'l')).toThrow(expect.objectContaining({ status: 400, details: expect.objectContaining({ parameter: 'cursor', schema_path: '#/ptr', reason: 'unknown_cursor' }) }));
    }
    expect(() => paginate(items, 2, cursorOf('l', 'zz'), (x) => x, '#/ptr', 'l')).toThrow('Query parameter "cursor" is not a cursor of this list');
  });
});

describe('the pipeline, from outside', () => {
  it('dates every response on the mock clock, errors too', async () => {
    const mock = testMock();
    const date = new Date(T0).toUTCString();
    expect((await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200))).headers.date).toBe(date);
    expect((await request(mock.handler).get('/v1/whoami').expect(specStatus(401))).headers.date).toBe(date);
  });

  it('reads the query after the first "?" only, and a URL with none has no query', async () => {
    const mock = testMock();
    const page = await request(mock.handler).get('/v1/scans?limit=2').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(page.body.data).toHaveLength(2);
    const all = await request(mock.handler).get('/v1/scans').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(all.body.data).toHaveLength(14);
  });

  it('names both ways a key may be sent when it comes twice', async () => {
    const mock = testMock();
    const res = await request(mock.handler).get(`/v1/whoami?api_key=${KEYS.read}`).set(bearer(KEYS.read)).expect(specStatus(400));
    expect(res.body.error.message).toBe('Send the API key once, by one method (Authorization or api_key), not more (RFC 6750 section 2)');
  });

  it('refuses an undocumented forced status naming what is documented', async () => {
    const mock = testMock();
    const res = await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'code=418').expect(specStatus(400));
    expect(res.body.error).toEqual({
      code: 'INVALID_REQUEST',
      message: `Prefer: code=418 is not a status getWhoami documents (${Object.keys(SPEC.operations.find((o) => o.operationId === 'getWhoami')!.responses).join(', ')})`,
      details: { parameter: 'Prefer', location: 'header', schema_path: `${SPEC.operations.find((o) => o.operationId === 'getWhoami')!.pointer}/responses`, reason: 'undocumented_status' },
    });
    // Prefer is read across repeated headers.
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', ['wait=1', 'code=429'] as unknown as string).expect(specStatus(429));
  });

  it('forces a 429 that says Remaining 0 and not allowed, and a 503 with the example\'s retry', async () => {
    const mock = testMock();
    const limited = await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'code=429').expect(specStatus(429));
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    const unavailable = await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'code=503').expect(specStatus(503));
    expect(unavailable.headers['retry-after']).toBe(String(unavailable.body.error.details.retry_after_seconds));
    expect(unavailable.body.error.details.retry_after_seconds).toBeGreaterThan(0);
  });
});
