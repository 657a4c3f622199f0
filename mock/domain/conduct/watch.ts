// The conduct watch (docs/conduct.md): it observes each settled request of a client and
// records the findings of the rules in ConductTable. Pure: time is the request's `now` on
// the mock's clock, handed in. Bounded: at most limits.requests_per_client recent requests
// per client, limits.clients clients (the least recently seen go first), and requests older
// than limits.window_seconds are dropped.
import type { ConductTable, Severity } from './rules';

/** What the watch is told of one settled request. */
export interface Observation {
  requestId: string;
  /** The client: a key id, `presented:<hash>` or `address:<ip>`. */
  client: string;
  method: string;
  /** Path and query, the key taken out of the query: what makes two requests "the same". */
  target: string;
  status: number;
  now: number;
  /** When the response said the client may send again (Retry-After, else X-RateLimit-Reset), in ms on the mock's clock. */
  waitUntil?: number;
  /** The end of the rate-limit window (X-RateLimit-Reset) in ms, when the response carried it. */
  windowEnd?: number;
  etag?: string;
  ifNoneMatch: boolean;
  idempotencyKey?: string;
  /** A fingerprint of a POST's body, when known: two POSTs are the same request only with the same one. */
  bodyFingerprint?: string;
  /** A fault rule shaped the response. */
  fault: boolean;
  /** The key came in `?api_key=`: its mode (test or live) or `unknown`. */
  keyInQuery?: string;
}

export interface ConductFinding {
  rule: string;
  practice: string;
  severity: Severity;
  count: number;
  request_ids: string[];
  message: string;
}

export interface ConductReport {
  clients: Array<{ key_id: string; findings: ConductFinding[] }>;
}

export interface ConductWatch {
  observe(o: Observation): void;
  report(): ConductReport;
  clear(): void;
}

interface Seen {
  o: Observation;
}

interface Client {
  recent: Seen[];
  /** The latest wait a 429 or 503 asked for, and the request that got it. */
  waitUntil?: number;
  /** The first 429 of the current window and the window's end. */
  burst?: { since: number; until: number; count: number };
  findings: Map<string, ConductFinding>;
}

const sameRequest = (a: Observation, b: Observation) =>
  a.method === b.method && a.target === b.target && (a.method !== 'POST' || a.bodyFingerprint === b.bodyFingerprint);
const retryable = (o: Observation) => o.status === 429 || o.status >= 500 || o.fault;

/** A new, empty watch over the rules of `table`. */
export function createConductWatch(table: ConductTable): ConductWatch {
  const clients = new Map<string, Client>();
  const { limits } = table;

  const find = (client: Client, rule: string, o: Observation, message: string, mode?: string) => {
    const r = table.rules.get(rule);
    if (!r || !r.wired) return;
    const severity: Severity = typeof r.severity === 'string' ? r.severity : (r.severity[mode ?? ''] ?? 'error');
    const key = `${rule}:${severity}`;
    let f = client.findings.get(key);
    if (!f) client.findings.set(key, (f = { rule, practice: r.practice, severity, count: 0, request_ids: [], message }));
    f.count++;
    f.message = message;
    if (f.request_ids.length < limits.request_ids_per_finding) f.request_ids.push(o.requestId);
  };
  const threshold = (rule: string, name: string, fallback: number) => table.rules.get(rule)?.thresholds[name] ?? fallback;

  const judge = (c: Client, o: Observation) => {
    const what = `${o.method} ${o.target}`;
    if (o.keyInQuery) find(c, 'key_in_query', o, `${what} sent a ${o.keyInQuery} key in ?api_key=`, o.keyInQuery);
    if (c.waitUntil !== undefined && o.now < c.waitUntil)
      find(c, 'retry_before_reset', o, `${what} sent ${((c.waitUntil - o.now) / 1000).toFixed(1)} s before the time the last 429 or 503 said to wait for`);
    if (c.burst && o.now < c.burst.until) {
      c.burst.count++;
      if (c.burst.count >= threshold('burst_over_limit', 'requests', 3))
        find(c, 'burst_over_limit', o, `${c.burst.count} requests kept coming within the window after its first 429`);
    }
    // The earlier tries of this same request, newest first, up to the last one that succeeded.
    const tries: Observation[] = [];
    for (let i = c.recent.length - 1; i >= 0; i--) {
      const p = c.recent[i].o;
      if (!sameRequest(p, o)) continue;
      if (p.status < 400 && !p.fault) {
        if (tries.length === 0) tries.push(p);
        break;
      }
      tries.push(p);
    }
    const last = tries[0];
    if (!last) return;
    if (last.status === 401 || last.status === 403) find(c, 'retried_auth_error', o, `${what} repeated after a ${last.status}`);
    if (o.method === 'POST' && retryable(last)) {
      if (o.idempotencyKey === undefined) find(c, 'post_retry_without_idempotency_key', o, `${what} retried after a ${last.fault ? 'fault' : last.status} without an Idempotency-Key`);
      else if (last.idempotencyKey !== undefined && last.idempotencyKey !== o.idempotencyKey) find(c, 'post_retry_without_idempotency_key', o, `${what} retried with another Idempotency-Key`);
    }
    if (o.method === 'GET' && last.etag !== undefined && last.status < 400 && !o.ifNoneMatch && o.now - last.now < threshold('uncached_repeat', 'interval_seconds', 10) * 1000)
      find(c, 'uncached_repeat', o, `${what} repeated ${((o.now - last.now) / 1000).toFixed(1)} s later without If-None-Match though it carried an ETag`);
    // Backoff: the retries after retryable failures, their gaps growing.
    const failed = tries.filter(retryable);
    if (failed.length === tries.length && retryable(last)) {
      const times = [...failed.reverse().map((p) => p.now), o.now];
      const retries = times.length - 1;
      if (retries >= threshold('no_backoff', 'retries', 3)) {
        const gaps = times.slice(1).map((t, i) => t - times[i]);
        const growing = gaps.every((g, i) => i === 0 || g > gaps[i - 1]);
        if (!growing) find(c, 'no_backoff', o, `${what}: ${retries} retries with gaps ${gaps.map((g) => `${g} ms`).join(', ')}, not growing`);
      }
    }
  };

  const observe = (o: Observation) => {
    let c = clients.get(o.client);
    if (c) clients.delete(o.client);
    else {
      c = { recent: [], findings: new Map() };
      if (clients.size >= limits.clients) {
        // The least recently seen client with no findings goes first; else the oldest.
        const victim = [...clients].find(([, v]) => v.findings.size === 0)?.[0] ?? clients.keys().next().value!;
        clients.delete(victim);
      }
    }
    clients.set(o.client, c);
    const horizon = o.now - limits.window_seconds * 1000;
    while (c.recent.length > 0 && (c.recent.length >= limits.requests_per_client || c.recent[0].o.now < horizon)) c.recent.shift();
    judge(c, o);
    if (o.waitUntil !== undefined) c.waitUntil = o.waitUntil;
    else if (c.waitUntil !== undefined && o.now >= c.waitUntil) c.waitUntil = undefined;
    if (o.status === 429 && !(c.burst && o.now < c.burst.until)) c.burst = { since: o.now, until: o.windowEnd ?? o.waitUntil ?? o.now, count: 0 };
    c.recent.push({ o });
  };

  return {
    observe,
    report: () => ({
      clients: [...clients]
        .filter(([, c]) => c.findings.size > 0)
        .map(([key_id, c]) => ({ key_id, findings: [...c.findings.values()].map((f) => ({ ...f, request_ids: [...f.request_ids] })) })),
    }),
    clear: () => clients.clear(),
  };
}
