// The conduct watch through the mock (docs/conduct.md): a naive client gets each finding,
// tied to the X-Request-Id of its requests and to the journal; a polite client, judged on the
// mock's clock it advances, gets none; each rule just under its threshold raises nothing;
// GET /_mock/conduct answers control.yaml's ConductReport, a reset clears it, and
// `conduct: false` leaves it empty.
import request from 'supertest';
import { bearer, KEYS, testMock } from '../helpers/fixtures';
import { expectResponse } from '../helpers/expect-response';
import { controlProblems } from '../helpers/spec-check';
import type { Mock } from '../../mock/app';
import type { MockConfigInput } from '../../mock/config/config-input';
import { conductTable } from '../../mock/domain/conduct';
import { CONTROL_SPEC_PATH, readSpecFile } from '../../lib/openapi/load-spec';

jest.setTimeout(60_000);

/** The developer plan (the well-known keys') at 2 requests a minute. */
const TINY: MockConfigInput = { plans: { developer: { requests_per_window: 2, window_seconds: 60 } } };
const SCAN = { target: 'host-1.example', scan_type: 'quick' };

/** GET /_mock/conduct, checked against control.yaml. */
async function report(mock: Mock) {
  const res = await request(mock.handler).get('/_mock/conduct').expect(200);
  expect(controlProblems('getConduct', res)).toEqual([]);
  expect(res.body).toEqual(mock.conduct());
  return res.body as { clients: Array<{ key_id: string; findings: Array<{ rule: string; severity: string; count: number; request_ids: string[]; message: string }> }> };
}

const rulesOf = async (mock: Mock) => (await report(mock)).clients.flatMap((c) => c.findings.map((f) => f.rule)).sort();
const finding = async (mock: Mock, rule: string) => (await report(mock)).clients.flatMap((c) => c.findings.map((f) => ({ ...f, key_id: c.key_id }))).find((f) => f.rule === rule);

const get = (mock: Mock, path: string, key: string = KEYS.read) => request(mock.handler).get(path).set(bearer(key));

describe('a naive client', () => {
  it('retrying a 429 at once, through a burst, gets retry_before_reset, burst_over_limit and no_backoff, with the ids of its requests', async () => {
    const mock = testMock({ config: TINY });
    await get(mock, '/v1/scans').expect(200);
    await get(mock, '/v1/scans').expect(200);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await get(mock, '/v1/scans');
      expectResponse(res, 429);
      ids.push(res.headers['x-request-id']);
    }
    // It also repeats GET /v1/scans without If-None-Match, though each 200 carried an ETag.
    expect(await rulesOf(mock)).toEqual(['burst_over_limit', 'no_backoff', 'retry_before_reset', 'uncached_repeat']);
    const early = await finding(mock, 'retry_before_reset');
    expect(early).toMatchObject({ key_id: 'key_read', severity: 'error', count: 4, request_ids: ids.slice(1) });
    expect((await finding(mock, 'burst_over_limit'))?.request_ids).toEqual(ids.slice(3));
    expect((await finding(mock, 'no_backoff'))?.request_ids).toEqual(ids.slice(3));
    const journaled = new Set(mock.journal.list().map((e) => e.id));
    for (const id of ids) expect(journaled.has(id)).toBe(true);
  });

  it('repeating a 403 gets retried_auth_error', async () => {
    const mock = testMock();
    expectResponse(await get(mock, '/v1/scans', KEYS.noPerms), 403);
    const again = await get(mock, '/v1/scans', KEYS.noPerms);
    expectResponse(again, 403);
    expect(await finding(mock, 'retried_auth_error')).toMatchObject({ key_id: 'key_noperms', count: 1, request_ids: [again.headers['x-request-id']] });
  });

  it('repeating a 401 of an unknown key is judged under the presented key\'s hash, never the key', async () => {
    const mock = testMock();
    const key = 'sk_test_unknown_0000000000000000000099';
    expectResponse(await get(mock, '/v1/whoami', key), 401);
    expectResponse(await get(mock, '/v1/whoami', key), 401);
    const body = await report(mock);
    expect(body.clients).toHaveLength(1);
    expect(body.clients[0].key_id).toMatch(/^presented:[0-9a-f]{16}$/);
    expect(body.clients[0].findings.map((f) => f.rule)).toEqual(['retried_auth_error']);
    expect(JSON.stringify(body)).not.toContain(key);
  });

  it('retrying a POST after a 503 without an Idempotency-Key, or with another one, gets post_retry_without_idempotency_key', async () => {
    const mock = testMock({ config: { faults: [{ match: { operation: 'createScan' }, when: { first: 2 }, fault: { kind: 'status', status: 503 } }] } });
    const post = (key?: string) => {
      const r = request(mock.handler).post('/v1/scans').set(bearer(KEYS.write));
      return (key ? r.set('Idempotency-Key', key) : r).send(SCAN);
    };
    expectResponse(await post('k-1'), 503);
    expectResponse(await post('k-2'), 503);
    const third = await post();
    expectResponse(third, 201);
    const f = await finding(mock, 'post_retry_without_idempotency_key');
    expect(f?.count).toBe(2);
    expect(f?.request_ids[1]).toBe(third.headers['x-request-id']);
  });

  it('a key in the query is a warning for a test key, and an error for a live key though refused', async () => {
    const mock = testMock();
    await request(mock.handler).get(`/v1/whoami?api_key=${KEYS.read}`).expect(200);
    expectResponse(await request(mock.handler).get(`/v1/whoami?api_key=${KEYS.live}`), 401);
    const body = await report(mock);
    const severities = body.clients.flatMap((c) => c.findings.filter((f) => f.rule === 'key_in_query').map((f) => f.severity)).sort();
    expect(severities).toEqual(['error', 'warning']);
    expect(JSON.stringify(body)).not.toContain(KEYS.live);
  });
});

describe('a polite client', () => {
  it('waiting out Retry-After on the mock clock, backing off and keeping its Idempotency-Key, gets a clean report', async () => {
    const mock = testMock({
      config: { ...TINY, faults: [{ match: { operation: 'createScan' }, when: { first: 3 }, fault: { kind: 'status', status: 503 } }] },
    });
    // Two different reads spend the window; the third is refused; the retry waits it out and
    // revalidates what it has cached (If-None-Match), as a caching client does.
    const scans = await get(mock, '/v1/scans').expect(200);
    await get(mock, '/v1/reports').expect(200);
    const limited = await get(mock, '/v1/users', KEYS.admin).expect(429);
    mock.clock.advance(Number(limited.headers['retry-after']) * 1000);
    const again = await get(mock, '/v1/scans').set('If-None-Match', String(scans.headers.etag));
    expect([200, 304]).toContain(again.status);

    // Three 503s (and any 429), then the 201: waits of 2, 4, 8 s..., or longer when Retry-After says so.
    for (let attempt = 0; ; attempt++) {
      const res = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).set('Idempotency-Key', 'scan-1').send(SCAN);
      if (res.status === 201) break;
      expectResponse(res, res.status === 429 ? 429 : 503);
      mock.clock.advance(Math.max(2 ** (attempt + 1), Number(res.headers['retry-after'] ?? 0)) * 1000);
    }
    expect(await report(mock)).toEqual({ clients: [] });
    expect(() => mock.conduct.assertClean()).not.toThrow();
  });
});

describe('each rule, just under its threshold', () => {
  it('retry_before_reset: a retry exactly when Retry-After ends', async () => {
    const mock = testMock({ config: TINY });
    // Two other reads spend the window (repeating one would be uncached_repeat: each 200 has an ETag).
    await get(mock, '/v1/reports').expect(200);
    await get(mock, '/v1/whoami').expect(200);
    const limited = await get(mock, '/v1/scans').expect(429);
    mock.clock.advance(Number(limited.headers['retry-after']) * 1000);
    await get(mock, '/v1/scans').expect(200);
    expect(await rulesOf(mock)).toEqual([]);
  });

  it('burst_over_limit and no_backoff: two requests after the first 429', async () => {
    const mock = testMock({ config: TINY });
    await get(mock, '/v1/reports').expect(200);
    await get(mock, '/v1/whoami').expect(200);
    for (let i = 0; i < 3; i++) await get(mock, '/v1/scans').expect(429);
    expect(await rulesOf(mock)).toEqual(['retry_before_reset']);
  });

  it('no_backoff: three retries of a 503 whose gaps grow', async () => {
    const mock = testMock({ config: { faults: [{ match: { operation: 'listScans' }, when: { first: 4 }, fault: { kind: 'status', status: 503 } }] } });
    // Waits of 10, 20 and 30 s: growing, and longer than the 503's Retry-After.
    for (const wait of [10, 20, 30, 0]) {
      expectResponse(await get(mock, '/v1/scans'), 503);
      mock.clock.advance(wait * 1000);
    }
    expect(await rulesOf(mock)).toEqual([]);
  });

  it.each([
    ['503', { kind: 'status', status: 503, retry_after: 2 }, 503, 2],
    // A 429's Retry-After is never below the window's end: 60 s, the default window, each time.
    ['429', { kind: 'rate_limit', retry_after: 60 }, 429, 60],
  ] as const)('no_backoff: a constant Retry-After of a %s honoured three times raises nothing', async (_, fault, status, wait) => {
    const mock = testMock({ config: { faults: [{ match: { operation: 'listScans' }, when: { first: 4 }, fault }] } });
    // Each retry at exactly the wait the server asked for: the gaps do not grow, and need not.
    for (let i = 0; i < 4; i++) {
      const res = await get(mock, '/v1/scans');
      expectResponse(res, status);
      expect(res.headers['retry-after']).toBe(String(wait));
      mock.clock.advance(wait * 1000);
    }
    expectResponse(await get(mock, '/v1/scans'), 200);
    expect(await rulesOf(mock)).toEqual([]);
  });

  it('no_backoff: retries shorter than a constant Retry-After, at constant gaps, still raise it (and retry_before_reset)', async () => {
    const mock = testMock({ config: { faults: [{ match: { operation: 'listScans' }, when: { first: 4 }, fault: { kind: 'status', status: 503, retry_after: 2 } }] } });
    for (let i = 0; i < 4; i++) {
      expectResponse(await get(mock, '/v1/scans'), 503);
      mock.clock.advance(1000);
    }
    expect(await rulesOf(mock)).toEqual(['no_backoff', 'retry_before_reset']);
  });

  it('retried_auth_error: a 403, then another request', async () => {
    const mock = testMock();
    await get(mock, '/v1/scans', KEYS.noPerms).expect(403);
    await get(mock, '/v1/reports', KEYS.noPerms).expect(403);
    expect(await rulesOf(mock)).toEqual([]);
  });

  it('post_retry_without_idempotency_key: a POST repeated after a 201 is no retry', async () => {
    const mock = testMock();
    await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).send(SCAN).expect(201);
    await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).send(SCAN).expect(201);
    expect(await rulesOf(mock)).toEqual([]);
  });

  it('key_in_query: the key in Authorization', async () => {
    const mock = testMock();
    await get(mock, '/v1/whoami').expect(200);
    expect(await rulesOf(mock)).toEqual([]);
  });

  it('uncached_repeat: a GET repeated at once that revalidates with If-None-Match', async () => {
    const mock = testMock();
    const first = await get(mock, '/v1/scans').expect(200);
    await get(mock, '/v1/scans').set('If-None-Match', String(first.headers.etag)).expect(304);
    expect(await rulesOf(mock)).toEqual([]);
  });
});

describe('the report', () => {
  it('assertClean throws listing each finding, and passes the rules it is told to allow', async () => {
    const mock = testMock();
    const res = await request(mock.handler).get(`/v1/whoami?api_key=${KEYS.read}`).expect(200);
    expect(() => mock.conduct.assertClean()).toThrow(new RegExp(`key_read: key_in_query \\(warning, 1x; ${res.headers['x-request-id']}\\)`));
    expect(() => mock.conduct.assertClean({ allow: ['key_in_query'] })).not.toThrow();
  });

  it('assertClean throws naming each rule in allow that control.yaml does not have, and listing the known ones, even when the report is clean', async () => {
    const known = [...conductTable(readSpecFile(CONTROL_SPEC_PATH)).rules.keys()];
    const mock = testMock();
    expect(mock.conduct()).toEqual({ clients: [] });
    const thrown = (allow: string[]) => {
      try {
        mock.conduct.assertClean({ allow });
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error(`assertClean({ allow: ${JSON.stringify(allow)} }) did not throw`);
    };
    const message = thrown(['key_in_querry', 'key_in_query', 'no_backof']);
    expect(message).toMatch(/\bkey_in_querry\b/);
    expect(message).toMatch(/\bno_backof\b/);
    expect(message).toContain(`Known rules: ${known.join(', ')}`);
    expect(known).toContain('key_in_query');
    // With a finding the unknown name is reported, not the finding it failed to allow.
    await request(mock.handler).get(`/v1/whoami?api_key=${KEYS.read}`).expect(200);
    expect(thrown(['key_in_querry'])).toMatch(/^assertClean: allow names a rule the conduct watch does not have: key_in_querry\. Known rules: /);
    expect(() => mock.conduct.assertClean({ allow: known })).not.toThrow();
  });

  it('POST /_mock/reset and mock.reset() clear it', async () => {
    const mock = testMock();
    await request(mock.handler).get(`/v1/whoami?api_key=${KEYS.read}`).expect(200);
    expect(await rulesOf(mock)).toEqual(['key_in_query']);
    await request(mock.handler).post('/_mock/reset').expect(204);
    expect(await report(mock)).toEqual({ clients: [] });
    await request(mock.handler).get(`/v1/whoami?api_key=${KEYS.read}`).expect(200);
    mock.reset();
    expect(mock.conduct()).toEqual({ clients: [] });
  });

  it('conduct: false gives an empty report whatever the client does', async () => {
    const mock = testMock({ config: { ...TINY, conduct: false } });
    await request(mock.handler).get(`/v1/whoami?api_key=${KEYS.read}`).expect(200);
    for (let i = 0; i < 5; i++) await get(mock, '/v1/scans');
    expect(await report(mock)).toEqual({ clients: [] });
    expect(() => mock.conduct.assertClean()).not.toThrow();
  });
});
