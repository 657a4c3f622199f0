// The resource stores unit by unit: a scan on the clock, idempotency records, users and
// pagination. Each case pins a decision that a changed operator, bound or literal would flip
// (the mutation run, npm run mutate, found no test that would notice).
import request from 'supertest';
import { canonicalJson, createIdempotencyStore, fingerprint } from '../../mock/domain/resources/idempotency';
import { paginate } from '../../mock/domain/resources/pagination';
import { createScanStore, type ScanRecord } from '../../mock/domain/resources/scans';
import { createUserStore } from '../../mock/domain/resources/users';
import { KEYS, T0, bearer, testMock } from '../helpers/fixtures';
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

describe('users', () => {
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
