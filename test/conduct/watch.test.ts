// The conduct watch on its own, over control.yaml's rule table: uncached_repeat against the
// response's ETag (the mock's responses carry none until the ETag work lands), and the bounds
// of x-cortex-conduct-limits (clients, request ids per finding, the window).
import { conductTable, createConductWatch, type Observation } from '../../mock/domain/conduct';
import { CONTROL_SPEC_PATH, readSpecFile } from '../../lib/openapi/load-spec';

const TABLE = conductTable(readSpecFile(CONTROL_SPEC_PATH));
let n = 0;
const seen = (over: Partial<Observation>): Observation => ({
  requestId: `req_${++n}`,
  client: 'key_read',
  method: 'GET',
  target: '/v1/scans',
  status: 200,
  now: 0,
  ifNoneMatch: false,
  fault: false,
  ...over,
});
const rules = (w: ReturnType<typeof createConductWatch>) => w.report().clients.flatMap((c) => c.findings.map((f) => f.rule));

describe('the conduct watch', () => {
  it('reads every rule of the issue from control.yaml, each with its practice', () => {
    expect([...TABLE.rules.keys()].sort()).toEqual(
      ['accepted_bad_certificate', 'burst_over_limit', 'key_in_query', 'no_backoff', 'plaintext_http', 'post_retry_without_idempotency_key', 'retried_auth_error', 'retry_before_reset', 'uncached_repeat'],
    );
    for (const rule of TABLE.rules.values()) expect(rule.practice).toMatch(/^(Handling Rate Limits|Request Security|Key Management): /);
  });

  it('uncached_repeat: a GET repeated within the interval without If-None-Match after an ETag; not at the interval, not with If-None-Match, not without an ETag', () => {
    const interval = TABLE.rules.get('uncached_repeat')!.thresholds.interval_seconds * 1000;
    const w = createConductWatch(TABLE);
    w.observe(seen({ now: 0, etag: '"a"' }));
    w.observe(seen({ now: interval - 1, requestId: 'req_repeat' }));
    expect(w.report().clients[0].findings).toEqual([expect.objectContaining({ rule: 'uncached_repeat', severity: 'warning', count: 1, request_ids: ['req_repeat'] })]);

    const under = createConductWatch(TABLE);
    under.observe(seen({ now: 0, etag: '"a"' }));
    under.observe(seen({ now: interval, etag: '"a"' }));
    under.observe(seen({ now: interval + 1, ifNoneMatch: true }));
    under.observe(seen({ now: 0, target: '/v1/reports' }));
    under.observe(seen({ now: 1, target: '/v1/reports' }));
    expect(rules(under)).toEqual([]);
  });

  it('keeps copies of what it judges by, not the observation handed in: the core hands in the same one, refilled, for every request', () => {
    const w = createConductWatch(TABLE);
    const o = seen({ now: 0, status: 403, requestId: 'req_403' });
    w.observe(o);
    // The next request, in the same object: judged against the 403 the watch copied, not against itself.
    Object.assign(o, { now: 1000, status: 200, requestId: 'req_again', etag: '"b"' });
    w.observe(o);
    Object.assign(o, { now: 2000, status: 200, requestId: 'req_third', target: '/v1/reports', etag: undefined });
    w.observe(o);
    const findings = w.report().clients[0].findings;
    expect(findings).toEqual([expect.objectContaining({ rule: 'retried_auth_error', count: 1, request_ids: ['req_again'], message: 'GET /v1/scans repeated after a 403' })]);
  });

  it('no_backoff: constant gaps after failures that asked no wait (a 500), or a wait of 0, raise it; after a Retry-After honoured each time, not', () => {
    const rulesAfter = (waitSeconds: number | undefined, status: number) => {
      const w = createConductWatch(TABLE);
      for (let i = 0; i < 4; i++) {
        const now = i * 2000;
        w.observe(seen({ now, status, waitUntil: waitSeconds === undefined ? undefined : now + waitSeconds * 1000 }));
      }
      return rules(w);
    };
    expect(rulesAfter(undefined, 500)).toEqual(['no_backoff']);
    expect(rulesAfter(0, 503)).toEqual(['no_backoff']);
    expect(rulesAfter(2, 503)).toEqual([]);
    expect(rulesAfter(2, 429)).toEqual([]);
  });

  it('keeps at most limits.clients clients, pushing out the least recently seen', () => {
    const w = createConductWatch({ ...TABLE, limits: { ...TABLE.limits, clients: 2 } });
    for (const client of ['a', 'b', 'c']) w.observe(seen({ client, keyInQuery: 'test' }));
    expect(w.report().clients.map((c) => c.key_id)).toEqual(['b', 'c']);
  });

  it('pushes out the least recently seen client with no findings first, else the least recently seen', () => {
    const w = createConductWatch({ ...TABLE, limits: { ...TABLE.limits, clients: 3 } });
    w.observe(seen({ client: 'a', keyInQuery: 'test' }));
    w.observe(seen({ client: 'quiet' }));
    w.observe(seen({ client: 'b', keyInQuery: 'test' }));
    w.observe(seen({ client: 'c', keyInQuery: 'test' }));
    expect(w.report({ everyClient: true }).clients.map((c) => c.key_id)).toEqual(['a', 'b', 'c']);
    w.observe(seen({ client: 'd', keyInQuery: 'test' }));
    expect(w.report({ everyClient: true }).clients.map((c) => c.key_id)).toEqual(['b', 'c', 'd']);
    w.clear();
    for (const client of ['e', 'f', 'g', 'h']) w.observe(seen({ client }));
    expect(w.report({ everyClient: true }).clients.map((c) => c.key_id)).toEqual(['f', 'g', 'h']);
  });

  it('a flood of new clients (guessed keys, each its own presented hash) does not walk every client kept on each request', () => {
    const { clients } = TABLE.limits;
    const w = createConductWatch(TABLE);
    const fill = (from: number, keyInQuery?: string) => {
      for (let i = from; i < from + clients; i++) w.observe(seen({ client: `presented:${i}`, status: 401, keyInQuery }));
    };
    // Count the steps taken over Maps while the full watch meets new clients, with and without findings.
    fill(0, 'test');
    const original = Map.prototype[Symbol.iterator];
    let steps = 0;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (Map.prototype as any)[Symbol.iterator] = function (this: Map<unknown, unknown>) {
      const it = original.call(this);
      return { next: () => (steps++, it.next()), [Symbol.iterator]() { return this; } };
    };
    try {
      fill(clients, 'test');
      fill(2 * clients);
    } finally {
      Map.prototype[Symbol.iterator] = original;
    }
    // Before: each new client copied the whole map ([...clients]), 1000 steps a request.
    expect(steps).toBeLessThan(4 * 2 * clients);
    expect(w.report({ everyClient: true }).clients).toHaveLength(clients);
  });

  it('keeps at most limits.request_ids_per_finding ids, counting on', () => {
    const w = createConductWatch({ ...TABLE, limits: { ...TABLE.limits, request_ids_per_finding: 2 } });
    for (let i = 0; i < 5; i++) w.observe(seen({ keyInQuery: 'test' }));
    expect(w.report().clients[0].findings[0]).toMatchObject({ count: 5, request_ids: [expect.any(String), expect.any(String)] });
  });

  it('forgets a 403 once it has left the window: the same request much later is no retry', () => {
    const w = createConductWatch(TABLE);
    w.observe(seen({ status: 403, now: 0 }));
    w.observe(seen({ target: '/v1/other', now: TABLE.limits.window_seconds * 1000 + 1 }));
    w.observe(seen({ now: TABLE.limits.window_seconds * 1000 + 2 }));
    expect(rules(w)).toEqual([]);
  });
});

describe('the TLS rules', () => {
  it('plaintext_http: a key sent in the clear to a mock that serves HTTPS, an error; nothing without one', () => {
    const w = createConductWatch(TABLE);
    w.observe(seen({ status: 400, plaintext: false }));
    expect(rules(w)).toEqual([]);
    w.observe(seen({ status: 400, plaintext: true, requestId: 'req_plain' }));
    expect(w.report().clients[0].findings).toEqual([expect.objectContaining({ rule: 'plaintext_http', severity: 'error', count: 1, request_ids: ['req_plain'], message: 'GET /v1/scans sent a key over plain HTTP to a mock that serves HTTPS' })]);
  });

  it('accepted_bad_certificate: a request completed on a profile\'s port, an error naming the profile; nothing on the good port', () => {
    const w = createConductWatch(TABLE);
    w.observe(seen({ target: '/v1/reports' }));
    expect(rules(w)).toEqual([]);
    w.observe(seen({ tlsProfile: 'expired', requestId: 'req_expired' }));
    w.observe(seen({ tlsProfile: 'wrong_host', requestId: 'req_wrong', target: '/v1/users' }));
    expect(w.report().clients[0].findings).toEqual([
      expect.objectContaining({ rule: 'accepted_bad_certificate', severity: 'error', count: 2, request_ids: ['req_expired', 'req_wrong'], message: "GET /v1/users completed on the wrong_host profile's port: the client accepted its bad certificate" }),
    ]);
  });
});

describe('a finding\'s message', () => {
  it('tells the figures of the latest request that broke the rule, as they were then', () => {
    const w = createConductWatch(TABLE);
    w.observe(seen({ now: 0, etag: '"a"' }));
    w.observe(seen({ now: 2500, etag: '"a"' }));
    expect(w.report().clients[0].findings[0].message).toBe('GET /v1/scans repeated 2.5 s later without If-None-Match though it carried an ETag');
    w.observe(seen({ now: 3000, etag: '"a"' }));
    w.observe(seen({ now: 3000, target: '/v1/reports', status: 429, waitUntil: 10_000, windowEnd: 60_000 }));
    w.observe(seen({ now: 4000, target: '/v1/reports' }));
    w.observe(seen({ now: 4500, target: '/v1/users' }));
    const messages = Object.fromEntries(w.report().clients[0].findings.map((f) => [f.rule, f.message]));
    expect(messages).toEqual({
      uncached_repeat: 'GET /v1/scans repeated 0.5 s later without If-None-Match though it carried an ETag',
      retry_before_reset: 'GET /v1/users sent 5.5 s before the time the last 429 or 503 said to wait for',
    });
  });
});

describe('the rules at their edges', () => {
  const w = () => createConductWatch(TABLE);
  const findings = (watch: ReturnType<typeof createConductWatch>) => watch.report().clients.flatMap((c) => c.findings.map((f) => ({ ...f, key_id: c.key_id })));

  it('retry_before_reset: a request before the wait is an error, one exactly at it is fine, and the wait is then forgotten', () => {
    const before = w();
    before.observe(seen({ status: 429, now: 0, waitUntil: 5000, target: '/v1/a' }));
    before.observe(seen({ now: 4999, target: '/v1/b', requestId: 'req_early' }));
    expect(findings(before)).toEqual([expect.objectContaining({ rule: 'retry_before_reset', severity: 'error', request_ids: ['req_early'] })]);
    const at = w();
    at.observe(seen({ status: 503, now: 0, waitUntil: 5000, target: '/v1/a' }));
    at.observe(seen({ now: 5000, target: '/v1/b' }));
    // A later 429's wait is judged anew: the old one was cleared when it passed.
    at.observe(seen({ now: 5001, target: '/v1/c' }));
    expect(rules(at)).toEqual([]);
  });

  it('burst_over_limit: the third request within the window after its first 429 counts, none after the window', () => {
    const burst = w();
    burst.observe(seen({ status: 429, now: 0, waitUntil: 100_000, windowEnd: 60_000, target: '/v1/a' }));
    for (const [i, now] of [100_000, 100_001, 100_002].entries()) burst.observe(seen({ status: 429, now, target: `/v1/t${i}`, requestId: `req_b${i}` }));
    expect(rules(burst)).toEqual([]);
    const inside = w();
    inside.observe(seen({ status: 429, now: 0, windowEnd: 60_000, target: '/v1/a' }));
    for (const [i, now] of [59_997, 59_998, 59_999].entries()) inside.observe(seen({ status: 429, now, waitUntil: now, target: `/v1/t${i}`, requestId: `req_b${i}` }));
    const found = findings(inside).filter((f) => f.rule === 'burst_over_limit');
    expect(found).toEqual([expect.objectContaining({ count: 1, request_ids: ['req_b2'], message: '3 requests kept coming within the window after its first 429' })]);
  });

  it('retried_auth_error: after a 401 as after a 403, not after a 400 nor for another method or target', () => {
    const watch = w();
    watch.observe(seen({ status: 401, now: 0 }));
    watch.observe(seen({ status: 401, now: 1, requestId: 'req_again' }));
    watch.observe(seen({ status: 400, now: 2, target: '/v1/x' }));
    watch.observe(seen({ status: 400, now: 3, target: '/v1/x' }));
    watch.observe(seen({ status: 403, now: 4, target: '/v1/y' }));
    watch.observe(seen({ status: 403, now: 5, target: '/v1/y', method: 'DELETE' }));
    watch.observe(seen({ status: 403, now: 6, target: '/v1/y?page=2' }));
    expect(findings(watch)).toEqual([expect.objectContaining({ rule: 'retried_auth_error', count: 1, request_ids: ['req_again'], message: 'GET /v1/scans repeated after a 401' })]);
  });

  it('post_retry_without_idempotency_key: after a 500 or a fault, not after a 201, nor with the same key, nor for another body', () => {
    const post = (over: Partial<Observation>) => seen({ method: 'POST', bodyFingerprint: 'sha-256=:a:', ...over });
    const watch = w();
    watch.observe(post({ status: 500, now: 0 }));
    watch.observe(post({ status: 201, now: 1, requestId: 'req_after_500' }));
    watch.observe(post({ status: 201, now: 2 }));
    watch.observe(post({ status: 201, now: 3, fault: true, idempotencyKey: 'k' }));
    watch.observe(post({ status: 201, now: 4, idempotencyKey: 'k' }));
    watch.observe(post({ status: 503, now: 5, idempotencyKey: 'k' }));
    watch.observe(post({ status: 201, now: 6, requestId: 'req_no_key' }));
    watch.observe(post({ status: 503, now: 7 }));
    watch.observe(post({ status: 201, now: 8, idempotencyKey: 'k2' }));
    watch.observe(post({ status: 503, now: 9, bodyFingerprint: 'sha-256=:b:' }));
    watch.observe(post({ status: 201, now: 10, bodyFingerprint: 'sha-256=:c:' }));
    const found = findings(watch);
    expect(found).toEqual([expect.objectContaining({ rule: 'post_retry_without_idempotency_key', count: 2, request_ids: ['req_after_500', 'req_no_key'] })]);
    expect(found[0].message).toBe('POST /v1/scans retried after a 503 without an Idempotency-Key');
    const faulted = w();
    faulted.observe(post({ status: 200, now: 0, fault: true, idempotencyKey: 'k' }));
    faulted.observe(post({ status: 201, now: 1, idempotencyKey: 'other' }));
    faulted.observe(post({ status: 200, now: 2, fault: true }));
    faulted.observe(post({ status: 201, now: 3 }));
    expect(findings(faulted).map((f) => f.message)).toEqual(['POST /v1/scans retried after a fault without an Idempotency-Key']);
    expect(findings(faulted)[0].count).toBe(2);
  });

  it('no_backoff: three retries with gaps that grow are fine; three with a gap that does not are an error naming the gaps', () => {
    const growing = w();
    for (const now of [0, 1000, 3000, 7000]) growing.observe(seen({ status: 503, now }));
    growing.observe(seen({ status: 200, now: 15_000 }));
    expect(rules(growing)).toEqual([]);
    const flat = w();
    for (const now of [0, 1000, 2000]) flat.observe(seen({ status: 429, now }));
    expect(rules(flat)).toEqual([]);
    flat.observe(seen({ status: 200, now: 3000, requestId: 'req_third' }));
    expect(findings(flat)).toEqual([expect.objectContaining({ rule: 'no_backoff', request_ids: ['req_third'], message: 'GET /v1/scans: 3 retries with gaps 1000 ms, 1000 ms, 1000 ms, not growing' })]);
    // A success in between starts the count again.
    const reset = w();
    for (const [now, status] of [[0, 503], [1000, 503], [2000, 200], [3000, 503], [4000, 503]] as const) reset.observe(seen({ status, now }));
    expect(rules(reset)).toEqual([]);
  });

  it('uncached_repeat: not for a GET that failed, a HEAD, or a request on its own target', () => {
    const watch = w();
    watch.observe(seen({ status: 404, now: 0, etag: '"a"' }));
    watch.observe(seen({ status: 404, now: 1 }));
    watch.observe(seen({ method: 'HEAD', now: 2, etag: '"a"', target: '/v1/h' }));
    watch.observe(seen({ method: 'HEAD', now: 3, target: '/v1/h' }));
    watch.observe(seen({ now: 4, etag: '"a"', target: '/v1/one' }));
    watch.observe(seen({ now: 5, target: '/v1/two' }));
    expect(rules(watch)).toEqual([]);
  });

  it('key_in_query: a test key a warning, a live key an error, each its own finding', () => {
    const watch = w();
    watch.observe(seen({ keyInQuery: 'test', requestId: 'req_t' }));
    watch.observe(seen({ keyInQuery: 'live', requestId: 'req_l', target: '/v1/l' }));
    watch.observe(seen({ keyInQuery: 'test', requestId: 'req_t2', target: '/v1/t2' }));
    expect(findings(watch).map((f) => [f.rule, f.severity, f.request_ids, f.message])).toEqual([
      ['key_in_query', 'warning', ['req_t', 'req_t2'], 'GET /v1/t2 sent a test key in ?api_key='],
      ['key_in_query', 'error', ['req_l'], 'GET /v1/l sent a live key in ?api_key='],
    ]);
  });
});

describe('the watch\'s bounds and report', () => {
  it('pushes out the least recently seen client with no findings before one with findings', () => {
    const w = createConductWatch({ ...TABLE, limits: { ...TABLE.limits, clients: 2 } });
    w.observe(seen({ client: 'flagged', keyInQuery: 'test' }));
    w.observe(seen({ client: 'clean' }));
    w.observe(seen({ client: 'new', keyInQuery: 'test' }));
    expect(w.report().clients.map((c) => c.key_id)).toEqual(['flagged', 'new']);
  });

  it('a client seen again is the most recently seen: the other goes first', () => {
    const w = createConductWatch({ ...TABLE, limits: { ...TABLE.limits, clients: 2 } });
    w.observe(seen({ client: 'a', keyInQuery: 'test' }));
    w.observe(seen({ client: 'b', keyInQuery: 'test' }));
    w.observe(seen({ client: 'a', target: '/v1/other' }));
    w.observe(seen({ client: 'c', keyInQuery: 'test' }));
    expect(w.report().clients.map((c) => c.key_id)).toEqual(['a', 'c']);
  });

  it('keeps at most limits.requests_per_client requests of a client, forgetting the least recently seen', () => {
    const w = createConductWatch({ ...TABLE, limits: { ...TABLE.limits, requests_per_client: 2 } });
    w.observe(seen({ status: 403, now: 0, target: '/v1/a' }));
    w.observe(seen({ status: 403, now: 1, target: '/v1/b' }));
    w.observe(seen({ status: 403, now: 2, target: '/v1/a', requestId: 'req_a_again' }));
    w.observe(seen({ status: 403, now: 3, target: '/v1/c' }));
    // /v1/b was the least recently seen when /v1/c came: forgotten, so no retry.
    w.observe(seen({ status: 403, now: 4, target: '/v1/b' }));
    w.observe(seen({ status: 403, now: 5, target: '/v1/c', requestId: 'req_c_again' }));
    expect(w.report().clients[0].findings[0].request_ids).toEqual(['req_a_again', 'req_c_again']);
  });

  it('a report is a copy, and clear() empties the watch', () => {
    const w = createConductWatch(TABLE);
    w.observe(seen({ keyInQuery: 'test' }));
    w.observe(seen({ client: 'quiet', target: '/v1/other' }));
    const first = w.report();
    first.clients[0].findings[0].request_ids.push('req_forged');
    expect(w.report().clients).toEqual([{ key_id: 'key_read', findings: [expect.objectContaining({ count: 1, request_ids: [expect.stringMatching(/^req_\d+$/)] })] }]);
    w.clear();
    expect(w.report()).toEqual({ clients: [] });
    w.observe(seen({ keyInQuery: 'test' }));
    expect(w.report().clients[0].findings[0].count).toBe(1);
  });
});

describe('the rule table', () => {
  it('gives a rule without a severity the severity error and no thresholds', () => {
    const table = conductTable({ 'x-cortex-conduct-rules': [{ name: 'plaintext_http', practice: 'Request Security: always use HTTPS.' }], 'x-cortex-conduct-limits': TABLE.limits });
    expect(table.rules.get('plaintext_http')).toEqual({ name: 'plaintext_http', practice: 'Request Security: always use HTTPS.', severity: 'error', thresholds: {} });
    expect(table.limits).toEqual(TABLE.limits);
  });
});

describe('the watch, against its surviving mutants', () => {
  const findings = (watch: ReturnType<typeof createConductWatch>) => watch.report().clients.flatMap((c) => c.findings);

  it('tells requests apart by method and target, and POSTs by target and body', () => {
    const w = createConductWatch(TABLE);
    w.observe(seen({ method: 'DELETE', target: '/v1/users/u1', status: 403, now: 0 }));
    w.observe(seen({ method: 'PATCH', target: '/v1/users/u1', status: 403, now: 1 }));
    w.observe(seen({ method: 'POST', target: '/v1/scans', bodyFingerprint: 'sha-256=:a:', status: 503, now: 2 }));
    w.observe(seen({ method: 'POST', target: '/v1/users', bodyFingerprint: 'sha-256=:a:', status: 201, now: 3 }));
    expect(rules(w)).toEqual([]);
  });

  it('reads its thresholds from the table it is given', () => {
    const rulesWith = new Map(TABLE.rules);
    rulesWith.set('burst_over_limit', { ...TABLE.rules.get('burst_over_limit')!, thresholds: { requests: 1 } });
    rulesWith.set('no_backoff', { ...TABLE.rules.get('no_backoff')!, thresholds: { retries: 2 } });
    rulesWith.set('uncached_repeat', { ...TABLE.rules.get('uncached_repeat')!, thresholds: { interval_seconds: 100 } });
    const w = createConductWatch({ ...TABLE, rules: rulesWith });
    w.observe(seen({ now: 0, etag: '"a"', target: '/v1/c' }));
    w.observe(seen({ now: 50_000, target: '/v1/c' }));
    expect(rules(w)).toEqual(['uncached_repeat']);
    w.observe(seen({ status: 429, now: 60_000, windowEnd: 120_000 }));
    w.observe(seen({ status: 429, now: 61_000, target: '/v1/d' }));
    expect(rules(w)).toEqual(['uncached_repeat', 'burst_over_limit']);
    w.observe(seen({ status: 429, now: 62_000 }));
    w.observe(seen({ status: 200, now: 63_000 }));
    expect(rules(w)).toEqual(['uncached_repeat', 'burst_over_limit', 'no_backoff']);
  });

  it('ignores a rule its table does not have, and gives a key mode the table does not name the severity error', () => {
    const without = new Map(TABLE.rules);
    without.delete('uncached_repeat');
    const w = createConductWatch({ ...TABLE, rules: without });
    w.observe(seen({ now: 0, etag: '"a"' }));
    w.observe(seen({ now: 1 }));
    w.observe(seen({ now: 2, keyInQuery: 'unknown', target: '/v1/u' }));
    expect(findings(w).map((f) => [f.rule, f.severity, f.message])).toEqual([['key_in_query', 'error', 'GET /v1/u sent a unknown key in ?api_key=']]);
  });

  it('post_retry_without_idempotency_key says when the retry changed its key', () => {
    const w = createConductWatch(TABLE);
    w.observe(seen({ method: 'POST', status: 503, now: 0, idempotencyKey: 'k1' }));
    w.observe(seen({ method: 'POST', status: 201, now: 1, idempotencyKey: 'k2' }));
    expect(findings(w).map((f) => f.message)).toEqual(['POST /v1/scans retried with another Idempotency-Key']);
  });

  it('counts a request of a burst only before the window ends, and a 429 at its end opens the next burst', () => {
    const edge = createConductWatch(TABLE);
    edge.observe(seen({ status: 429, now: 0, windowEnd: 1000, target: '/v1/first' }));
    for (const t of ['/v1/a', '/v1/b', '/v1/c']) edge.observe(seen({ now: 1000, target: t }));
    expect(rules(edge)).toEqual([]);
    const next = createConductWatch(TABLE);
    next.observe(seen({ status: 429, now: 0, windowEnd: 1000, target: '/v1/first' }));
    next.observe(seen({ status: 429, now: 1000, windowEnd: 2000, target: '/v1/second' }));
    for (const t of ['/v1/a', '/v1/b', '/v1/c']) next.observe(seen({ now: 1500, target: t }));
    expect(rules(next)).toEqual(['burst_over_limit']);
  });

  it('a request exactly window_seconds after the last is still in the window; older failures start the count again', () => {
    const W = TABLE.limits.window_seconds * 1000;
    const at = createConductWatch(TABLE);
    at.observe(seen({ status: 403, now: 0 }));
    at.observe(seen({ status: 403, now: W }));
    expect(rules(at)).toEqual(['retried_auth_error']);
    const kept = createConductWatch(TABLE);
    for (const now of [0, 1, W + 1, W + 2]) kept.observe(seen({ status: 503, now }));
    kept.observe(seen({ now: W + 3 }));
    expect(rules(kept)).toEqual(['no_backoff']);
    const dropped = createConductWatch(TABLE);
    for (const now of [0, 1, W + 2, W + 3]) dropped.observe(seen({ status: 503, now }));
    dropped.observe(seen({ now: W + 4 }));
    expect(rules(dropped)).toEqual([]);
  });

  it('uncached_repeat: not after a 400, even one with an ETag', () => {
    const w = createConductWatch(TABLE);
    w.observe(seen({ status: 400, now: 0, etag: '"a"' }));
    w.observe(seen({ now: 1 }));
    expect(rules(w)).toEqual([]);
  });

  it('keeps at most requests_per_client failures of a request, the latest', () => {
    const w = createConductWatch({ ...TABLE, limits: { ...TABLE.limits, requests_per_client: 3 } });
    for (const now of [0, 10, 20, 30]) w.observe(seen({ status: 503, now }));
    w.observe(seen({ now: 40 }));
    expect(findings(w).map((f) => f.message)).toEqual(['GET /v1/scans: 3 retries with gaps 10 ms, 10 ms, 10 ms, not growing']);
  });

  it('a retried request becomes the most recently seen, so another is forgotten first', () => {
    const w = createConductWatch({ ...TABLE, limits: { ...TABLE.limits, requests_per_client: 3 } });
    const post = (status: number, now: number) => seen({ method: 'POST', status, now });
    w.observe(post(503, 0));
    w.observe(seen({ now: 1, target: '/v1/b' }));
    w.observe(post(503, 2));
    w.observe(seen({ now: 3, target: '/v1/c' }));
    // The fourth request pushes out /v1/b, seen before the POST's retry.
    w.observe(seen({ now: 4, target: '/v1/d' }));
    w.observe(post(201, 5));
    expect(findings(w)).toEqual([expect.objectContaining({ rule: 'post_retry_without_idempotency_key', count: 2 })]);
  });
});
