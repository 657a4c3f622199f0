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

/** A finding as the watch keeps it: its message is built only when the report is read. */
type Kept = Omit<ConductFinding, 'message'> & { message: () => string };

interface Client {
  /** By request, the least recently seen first: at most limits.requests_per_client. */
  requests: Map<string, Tries>;
  /** The latest wait a 429 or 503 asked for. */
  waitUntil?: number;
  /** The first 429 of the current window, the window's end and the requests since. */
  burst?: { since: number; until: number; count: number };
  /** By rule (and severity, for a rule whose severity is per key mode), in the order first found. */
  findings: Map<string, Kept>;
  /** The request key set last in `requests`: already the newest. */
  newestRequest?: string;
}

/** Two requests are the same one with the same method and target, and for a POST the same body fingerprint. */
// A GET is keyed by its target alone (a target starts with '/', so never collides with the others' keys): the
// url's own string, whose hash the engine keeps, on the hot path.
const requestKey = (o: Observation) => (o.method === 'GET' ? o.target : o.method === 'POST' ? `POST ${o.target} ${o.bodyFingerprint ?? ''}` : `${o.method} ${o.target}`);
/** How a finding's message names the request. */
const what = (o: Observation) => `${o.method} ${o.target}`;
const retryable = (o: Observation) => o.status === 429 || o.status >= 500 || o.fault;

/**
 * Counts a finding of a rule of `table` on a client; `message` (of the latest one) is called
 * only when the report is read.
 */
function createFind(table: ConductTable) {
  return (client: Client, rule: string, o: Observation, message: () => string, mode?: string) => {
    const r = table.rules.get(rule);
    if (!r) return;
    const single = typeof r.severity === 'string';
    const severity: Severity = typeof r.severity === 'string' ? r.severity : (r.severity[mode ?? ''] ?? 'error');
    // A rule of one severity is one finding; one per severity otherwise (a rule name has no ':').
    const key = single ? rule : `${rule}:${severity}`;
    let f = client.findings.get(key);
    if (!f) client.findings.set(key, (f = { rule, practice: r.practice, severity, count: 0, request_ids: [], message }));
    f.count++;
    f.message = message;
    if (f.request_ids.length < table.limits.request_ids_per_finding) f.request_ids.push(o.requestId);
  };
}

/** A new, empty watch over the rules of `table`. */
export function createConductWatch(table: ConductTable): ConductWatch {
  const clients = new Map<string, Client>();
  const { limits } = table;

  const find = createFind(table);
  const threshold = (rule: string, name: string, fallback: number) => table.rules.get(rule)?.thresholds[name] ?? fallback;
  // Read once: the table does not change.
  const burstRequests = threshold('burst_over_limit', 'requests', 3);
  const backoffRetries = threshold('no_backoff', 'retries', 3);
  const cacheIntervalMs = threshold('uncached_repeat', 'interval_seconds', 10) * 1000;
  const windowMs = limits.window_seconds * 1000;

  const judge = (c: Client, o: Observation) => {
    // The messages are closures over the figures of this request, built only when the report
    // is read: this runs on every request, and a naive client breaks a rule on each.
    if (o.keyInQuery) {
      const mode = o.keyInQuery;
      find(c, 'key_in_query', o, () => `${what(o)} sent a ${mode} key in ?api_key=`, mode);
    }
    if (o.plaintext) find(c, 'plaintext_http', o, () => `${what(o)} sent a key over plain HTTP to a mock that serves HTTPS`);
    if (o.tlsProfile !== undefined) {
      const profile = o.tlsProfile;
      find(c, 'accepted_bad_certificate', o, () => `${what(o)} completed on the ${profile} profile's port: the client accepted its bad certificate`);
    }
    if (c.waitUntil !== undefined && o.now < c.waitUntil) {
      const early = c.waitUntil - o.now;
      find(c, 'retry_before_reset', o, () => `${what(o)} sent ${(early / 1000).toFixed(1)} s before the time the last 429 or 503 said to wait for`);
    }
    if (c.burst && o.now < c.burst.until) {
      const count = ++c.burst.count;
      if (count >= burstRequests) find(c, 'burst_over_limit', o, () => `${count} requests kept coming within the window after its first 429`);
    }
    const tries = c.requests.get(requestKey(o));
    const last = tries?.last;
    if (!tries || !last || last.now < o.now - windowMs) return;
    const { status, fault } = last;
    if (status === 401 || status === 403) find(c, 'retried_auth_error', o, () => `${what(o)} repeated after a ${status}`);
    if (o.method === 'POST' && retryable(last)) {
      if (o.idempotencyKey === undefined) find(c, 'post_retry_without_idempotency_key', o, () => `${what(o)} retried after a ${fault ? 'fault' : status} without an Idempotency-Key`);
      else if (last.idempotencyKey !== undefined && last.idempotencyKey !== o.idempotencyKey) find(c, 'post_retry_without_idempotency_key', o, () => `${what(o)} retried with another Idempotency-Key`);
    }
    const since = o.now - last.now;
    if (o.method === 'GET' && last.etag !== undefined && status < 400 && !o.ifNoneMatch && since < cacheIntervalMs)
      find(c, 'uncached_repeat', o, () => `${what(o)} repeated ${(since / 1000).toFixed(1)} s later without If-None-Match though it carried an ETag`);
    // Backoff: the retries after retryable failures in a row, their gaps growing.
    const retries = tries.failures.length;
    if (retries > 0 && retries >= backoffRetries) {
      const times = [...tries.failures, o.now];
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      if (!gaps.every((g, i) => i === 0 || g > gaps[i - 1])) find(c, 'no_backoff', o, () => `${what(o)}: ${retries} retries with gaps ${gaps.map((g) => `${g} ms`).join(', ')}, not growing`);
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
    const horizon = o.now - windowMs;
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
        .map(([key_id, c]) => ({
          key_id,
          findings: [...c.findings.values()].map((f) => ({ rule: f.rule, practice: f.practice, severity: f.severity, count: f.count, request_ids: [...f.request_ids], message: f.message() })),
        })),
    }),
    clear: () => {
      clients.clear();
      newest = undefined;
    },
  };
}
