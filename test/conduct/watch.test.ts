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
