// The conduct watch (docs/conduct.md): it observes each settled request of a client and
// records the findings of the rules in ConductTable. Pure: time is the request's `now` on
// the mock's clock, handed in. Bounded: at most limits.requests_per_client distinct requests
// per client (each with its latest try), limits.clients clients (the least recently seen go first), and requests older
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
  /** A key (Authorization or ?api_key=) came as plain HTTP to a mock that serves HTTPS. */
  plaintext?: boolean;
  /** The bad-certificate profile whose port the request completed on: the client accepted that certificate. */
  tlsProfile?: string;
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

/** What the watch keeps of one request of a client (method, target and body): its latest try, and the failed tries since its last success. */
interface Tries {
  last: Observation;
  /** The times of the retryable failures in a row up to `last`, oldest first. */
  failures: number[];
}

interface Client {
  /** By request, the least recently seen first: at most limits.requests_per_client. */
  requests: Map<string, Tries>;
  /** The latest wait a 429 or 503 asked for. */
  waitUntil?: number;
  /** The first 429 of the current window, the window's end and the requests since. */
  burst?: { since: number; until: number; count: number };
  findings: Map<string, ConductFinding>;
  /** The request key set last in `requests`: already the newest. */
  newestRequest?: string;
}

/** Two requests are the same one with the same method and target, and for a POST the same body fingerprint. */
// A GET is keyed by its target alone (a target starts with '/', so never collides with the others' keys): the
// url's own string, whose hash the engine keeps, on the hot path.
const requestKey = (o: Observation) => (o.method === 'GET' ? o.target : o.method === 'POST' ? `POST ${o.target} ${o.bodyFingerprint ?? ''}` : `${o.method} ${o.target}`);
const retryable = (o: Observation) => o.status === 429 || o.status >= 500 || o.fault;

/** A new, empty watch over the rules of `table`. */
export function createConductWatch(table: ConductTable): ConductWatch {
  const clients = new Map<string, Client>();
  const { limits } = table;

  const find = (client: Client, rule: string, o: Observation, message: string, mode?: string) => {
    const r = table.rules.get(rule);
    if (!r) return;
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
    // Built only for a finding's message: this runs on every request.
    const what = () => `${o.method} ${o.target}`;
    if (o.keyInQuery) find(c, 'key_in_query', o, `${what()} sent a ${o.keyInQuery} key in ?api_key=`, o.keyInQuery);
    if (o.plaintext) find(c, 'plaintext_http', o, `${what()} sent a key over plain HTTP to a mock that serves HTTPS`);
    if (o.tlsProfile !== undefined) find(c, 'accepted_bad_certificate', o, `${what()} completed on the ${o.tlsProfile} profile's port: the client accepted its bad certificate`);
    if (c.waitUntil !== undefined && o.now < c.waitUntil)
      find(c, 'retry_before_reset', o, `${what()} sent ${((c.waitUntil - o.now) / 1000).toFixed(1)} s before the time the last 429 or 503 said to wait for`);
    if (c.burst && o.now < c.burst.until) {
      c.burst.count++;
      if (c.burst.count >= threshold('burst_over_limit', 'requests', 3))
        find(c, 'burst_over_limit', o, `${c.burst.count} requests kept coming within the window after its first 429`);
    }
    const tries = c.requests.get(requestKey(o));
    const last = tries?.last;
    if (!tries || !last || last.now < o.now - limits.window_seconds * 1000) return;
    if (last.status === 401 || last.status === 403) find(c, 'retried_auth_error', o, `${what()} repeated after a ${last.status}`);
    if (o.method === 'POST' && retryable(last)) {
      if (o.idempotencyKey === undefined) find(c, 'post_retry_without_idempotency_key', o, `${what()} retried after a ${last.fault ? 'fault' : last.status} without an Idempotency-Key`);
      else if (last.idempotencyKey !== undefined && last.idempotencyKey !== o.idempotencyKey) find(c, 'post_retry_without_idempotency_key', o, `${what()} retried with another Idempotency-Key`);
    }
    if (o.method === 'GET' && last.etag !== undefined && last.status < 400 && !o.ifNoneMatch && o.now - last.now < threshold('uncached_repeat', 'interval_seconds', 10) * 1000)
      find(c, 'uncached_repeat', o, `${what()} repeated ${((o.now - last.now) / 1000).toFixed(1)} s later without If-None-Match though it carried an ETag`);
    // Backoff: the retries after retryable failures in a row, their gaps growing.
    const retries = tries.failures.length;
    if (retries > 0 && retries >= threshold('no_backoff', 'retries', 3)) {
      const times = [...tries.failures, o.now];
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      if (!gaps.every((g, i) => i === 0 || g > gaps[i - 1])) find(c, 'no_backoff', o, `${what()}: ${retries} retries with gaps ${gaps.map((g) => `${g} ms`).join(', ')}, not growing`);
    }
  };

  /** Notes `o` as the latest try of its request. */
  const remember = (c: Client, o: Observation) => {
    const key = requestKey(o);
    const tries = c.requests.get(key);
    // The common case, a success after a success: the record is the newest already, or moved to be.
    if (tries && !retryable(o) && tries.failures.length === 0) {
      tries.last = o;
      if (c.newestRequest !== key) {
        c.requests.delete(key);
        c.requests.set(key, tries);
        c.newestRequest = key;
      }
      return;
    }
    const horizon = o.now - limits.window_seconds * 1000;
    const failures = !retryable(o) ? [] : tries && retryable(tries.last) && tries.last.now >= horizon ? tries.failures : [];
    if (retryable(o)) failures.push(o.now);
    if (failures.length > limits.requests_per_client) failures.shift();
    if (tries) c.requests.delete(key);
    else if (c.requests.size >= limits.requests_per_client) c.requests.delete(c.requests.keys().next().value!);
    c.requests.set(key, { last: o, failures });
    c.newestRequest = key;
  };

  /** The client seen last: already the newest in `clients`, so not moved again. */
  let newest: string | undefined;
  const observe = (o: Observation) => {
    let c = clients.get(o.client);
    if (c && newest === o.client) {
      // Already the most recently seen.
    } else if (c) clients.delete(o.client);
    else {
      c = { requests: new Map(), findings: new Map() };
      if (clients.size >= limits.clients) {
        // The least recently seen client with no findings goes first; else the oldest.
        const victim = [...clients].find(([, v]) => v.findings.size === 0)?.[0] ?? clients.keys().next().value!;
        clients.delete(victim);
      }
    }
    if (newest !== o.client) clients.set(o.client, c);
    newest = o.client;
    judge(c, o);
    if (o.waitUntil !== undefined) c.waitUntil = o.waitUntil;
    else if (c.waitUntil !== undefined && o.now >= c.waitUntil) c.waitUntil = undefined;
    if (o.status === 429 && !(c.burst && o.now < c.burst.until)) c.burst = { since: o.now, until: o.windowEnd ?? o.waitUntil ?? o.now, count: 0 };
    remember(c, o);
  };

  return {
    observe,
    report: () => ({
      clients: [...clients]
        .filter(([, c]) => c.findings.size > 0)
        .map(([key_id, c]) => ({ key_id, findings: [...c.findings.values()].map((f) => ({ ...f, request_ids: [...f.request_ids] })) })),
    }),
    clear: () => {
      clients.clear();
      newest = undefined;
    },
  };
}
