// The conduct watch (docs/conduct.md): it observes each settled request of a client and
// records the findings of the rules in ConductTable. Pure: time is the request's `now` on
// the mock's clock, handed in. Bounded: at most limits.requests_per_client distinct requests
// per client (each with its latest try), limits.clients clients (the least recently seen go first), and requests older
// than limits.window_seconds are dropped.
import { redact } from '../../../lib/redact';
import type { ConductLimits, ConductTable, Severity } from './rules';

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
  /** A POST's Content-Digest header, as sent. */
  contentDigest?: string;
  /**
   * A fingerprint of a POST's body, when the mock read it (validation did): two POSTs that
   * both have one are the same request only with the same one. Without one on either side
   * (refused or faulted before the body was read) they are compared by target and Content-Digest.
   */
  bodyFingerprint?: string;
  /** A fault rule shaped the response. */
  fault: boolean;
  /** The client forced the answer (Prefer: code=NNN): it asked for it, so it asks no wait and is no failed try. */
  forced?: boolean;
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

/**
 * How a finding reads: from the latest request that broke the rule (its method and target,
 * redacted) and one detail of that breach (a wait, a count, a status).
 */
type Wording<T> = (what: string, detail: T) => string;

/**
 * A finding as the watch keeps it: its latest breach, worded only when a report is read. A rule
 * that fires on every request of a flood (a poller's uncached_repeat) then allocates nothing.
 */
interface Finding extends Omit<ConductFinding, 'message'> {
  /** The latest breach's method and target (strings the observation had: no copy made). */
  method: string;
  target: string;
  wording: Wording<never>;
  detail: unknown;
}

export interface ConductReport {
  clients: Array<{ key_id: string; findings: ConductFinding[] }>;
}

export interface ConductWatch {
  observe(o: Observation): void;
  /** Each client with findings; with `everyClient`, each client seen too (findings: []), as the JUnit report lists them. */
  report(options?: { everyClient?: boolean }): ConductReport;
  clear(): void;
}

/**
 * What the watch keeps of one request of a client (method, target and body): its latest try, and
 * the failed tries since its last success. The watch keeps copies, never an observation handed in:
 * the core hands in the same one, filled afresh, for every request.
 */
interface Tries {
  last: LastTry;
  /** The retryable failures in a row up to `last`, oldest first: when each came, and the wait it asked for (waitUntil). */
  failures: Failure[];
}

/** What judging the next try of a request reads of its latest one. */
interface LastTry {
  now: number;
  status: number;
  fault: boolean;
  etag: string | undefined;
  idempotencyKey: string | undefined;
  bodyFingerprint: string | undefined;
}

/** `o`'s fields that the next try is judged against, written into `into` (a request's record, reused: no allocation). */
function keepTry(o: Observation, into: LastTry): LastTry {
  into.now = o.now;
  into.status = o.status;
  into.fault = o.fault;
  into.etag = o.etag;
  into.idempotencyKey = o.idempotencyKey;
  into.bodyFingerprint = o.bodyFingerprint;
  return into;
}

const newTry = (o: Observation): LastTry => keepTry(o, { now: 0, status: 0, fault: false, etag: undefined, idempotencyKey: undefined, bodyFingerprint: undefined });

/** A retryable failure of a request: its time and, when the response asked for one, the time it said to wait until. */
interface Failure {
  at: number;
  waitUntil?: number;
}

interface Client {
  /** By request, the least recently seen first: at most limits.requests_per_client. */
  requests: Map<string, Tries>;
  /** The latest wait a 429 or 503 asked for. */
  waitUntil?: number;
  /** The first 429 of the current window, the window's end and the requests since. */
  burst?: { since: number; until: number; count: number };
  findings: Map<string, Finding>;
  /** The request key set last in `requests`: already the newest. */
  newestRequest?: string;
  /** By a POST's target and Content-Digest, the key in `requests` of its latest try, whatever its body (see `triesOf`). */
  posts: Map<string, string>;
}

/** A POST's target and Content-Digest: what tells it from another when either side's body was not read. */
const postTarget = (o: Observation) => `${o.target} ${o.contentDigest ?? ''}`;
/**
 * Two requests are the same one with the same method and target; two POSTs also with the same
 * body fingerprint, or (see `triesOf`) the same Content-Digest when either has no fingerprint.
 */
// A GET is keyed by its target alone (a target starts with '/', so never collides with the others' keys): the
// url's own string, whose hash the engine keeps, on the hot path.
const requestKey = (o: Observation) =>
  o.method === 'GET' ? o.target : o.method === 'POST' ? (o.bodyFingerprint !== undefined ? `POST #${o.bodyFingerprint} ${o.target}` : `POST ~ ${postTarget(o)}`) : `${o.method} ${o.target}`;
const retryable = (t: { status: number; fault: boolean }) => t.status === 429 || t.status >= 500 || t.fault;

/**
 * The record of `o`'s request (docs/conduct.md, "the same request"). A POST whose body was
 * read is its fingerprint's, unless the latest try with its target and Content-Digest had no
 * body read (refused, or a fault answered, before validation): that one may have been the same
 * body, and is taken. A POST with no body read is the latest try with its target and digest.
 */
function triesOf(c: Client, o: Observation, key: string): Tries | undefined {
  const own = c.requests.get(key);
  if (o.method !== 'POST') return own;
  const latestKey = c.posts.get(postTarget(o));
  const latest = latestKey === undefined || latestKey === key ? undefined : c.requests.get(latestKey);
  if (!latest) return own;
  return o.bodyFingerprint === undefined || latest.last.bodyFingerprint === undefined ? latest : own;
}

/** Notes `o` as the latest try of its request, under `key`; `tries` is the record triesOf found for it. */
function remember(c: Client, o: Observation, key: string, tries: Tries | undefined, limits: ConductLimits): void {
  if (o.method === 'POST') {
    const target = postTarget(o);
    c.posts.delete(target);
    if (c.posts.size >= limits.requests_per_client) c.posts.delete(c.posts.keys().next().value!);
    c.posts.set(target, key);
  }
  // The common case, a success after a success: the record is the newest already, or moved to be.
  if (tries && !retryable(o) && tries.failures.length === 0 && (o.method !== 'POST' || c.requests.get(key) === tries)) {
    keepTry(o, tries.last);
    if (c.newestRequest !== key) {
      c.requests.delete(key);
      c.requests.set(key, tries);
      c.newestRequest = key;
    }
    return;
  }
  const horizon = o.now - limits.window_seconds * 1000;
  // A POST's failures carry over from the record it was judged against, which may be another's (a try whose body was not read).
  const failures = !retryable(o) ? [] : tries && retryable(tries.last) && tries.last.now >= horizon ? tries.failures.slice() : [];
  if (retryable(o)) failures.push({ at: o.now, waitUntil: o.waitUntil });
  if (failures.length > limits.requests_per_client) failures.shift();
  if (c.requests.has(key)) c.requests.delete(key);
  else if (c.requests.size >= limits.requests_per_client) c.requests.delete(c.requests.keys().next().value!);
  c.requests.set(key, { last: newTry(o), failures });
  c.newestRequest = key;
}

/**
 * Backoff: the gaps between the retryable failures in a row and the retry at `now`, when they do
 * not grow; undefined when they do. A retry sent at or after the wait its failure asked for
 * (Retry-After) honours the server, whose wait may be the same each time: that gap is the
 * server's choice, not the client's, and need not grow; the gaps the client chose must.
 */
function gapsNotGrowing(failures: readonly Failure[], now: number): number[] | undefined {
  const times = [...failures.map((f) => f.at), now];
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  const honoured = (i: number) => {
    // A wait of 0 (Retry-After: 0) asks for none: retries at once still hammer.
    const { at, waitUntil } = failures[i];
    return waitUntil !== undefined && waitUntil > at && times[i + 1] >= waitUntil;
  };
  return gaps.every((g, i) => i === 0 || honoured(i) || g > gaps[i - 1]) ? undefined : gaps;
}

/** How each rule's finding reads; `what` is the request's method and target. */
const says = {
  keyInQuery: (what: string, mode: string) => `${what} sent a ${mode} key in ?api_key=`,
  plaintext: (what: string) => `${what} sent a key over plain HTTP to a mock that serves HTTPS`,
  badCertificate: (what: string, profile: string) => `${what} completed on the ${profile} profile's port: the client accepted its bad certificate`,
  early: (what: string, earlyMs: number) => `${what} sent ${(earlyMs / 1000).toFixed(1)} s before the time the last 429 or 503 said to wait for`,
  burst: (_what: string, count: number) => `${count} requests kept coming within the window after its first 429`,
  authRetried: (what: string, status: number) => `${what} repeated after a ${status}`,
  noIdempotencyKey: (what: string, after: string) => `${what} retried after a ${after} without an Idempotency-Key`,
  otherIdempotencyKey: (what: string) => `${what} retried with another Idempotency-Key`,
  uncached: (what: string, gapMs: number) => `${what} repeated ${(gapMs / 1000).toFixed(1)} s later without If-None-Match though it carried an ETag`,
  noBackoff: (what: string, gaps: number[]) => `${what}: ${gaps.length} retries with gaps ${gaps.map((g) => `${g} ms`).join(', ')}, not growing`,
};

/** A finding's message: its wording of the latest breach, the request redacted (the target drops api_key, but a key may ride in any parameter: ?token=...). */
const messageOf = (f: Finding) => (f.wording as Wording<unknown>)(redact(`${f.method} ${f.target}`), f.detail);

/** A new, empty watch over the rules of `table`. */
export function createConductWatch(table: ConductTable): ConductWatch {
  const clients = new Map<string, Client>();
  const { limits } = table;

  /** The clients with no findings, the least recently seen first: the first to go when the watch is full. */
  const quiet = new Set<string>();
  const find = <T>(client: Client, rule: string, o: Observation, wording: Wording<T>, detail: T, mode?: string) => {
    const r = table.rules.get(rule);
    if (!r) return;
    // One severity: the rule names its finding (no key built per request); one per mode: the pair.
    const severity: Severity = typeof r.severity === 'string' ? r.severity : (r.severity[mode ?? ''] ?? 'error');
    const key = typeof r.severity === 'string' ? rule : `${rule}:${severity}`;
    let f = client.findings.get(key);
    if (!f) {
      if (client.findings.size === 0) quiet.delete(o.client);
      client.findings.set(key, (f = { rule, practice: r.practice, severity, count: 0, request_ids: [], method: o.method, target: o.target, wording, detail }));
    }
    f.count++;
    f.method = o.method;
    f.target = o.target;
    f.wording = wording;
    f.detail = detail;
    if (f.request_ids.length < limits.request_ids_per_finding) f.request_ids.push(o.requestId);
  };
  const threshold = (rule: string, name: string, fallback: number) => table.rules.get(rule)?.thresholds[name] ?? fallback;
  // Read once: the table does not change.
  const burstRequests = threshold('burst_over_limit', 'requests', 3);
  const backoffRetries = threshold('no_backoff', 'retries', 3);
  const cacheIntervalMs = threshold('uncached_repeat', 'interval_seconds', 10) * 1000;
  const windowMs = limits.window_seconds * 1000;

  const judge = (c: Client, o: Observation, tries: Tries | undefined) => {
    if (o.keyInQuery) find(c, 'key_in_query', o, says.keyInQuery, o.keyInQuery, o.keyInQuery);
    if (o.plaintext) find(c, 'plaintext_http', o, says.plaintext, undefined);
    if (o.tlsProfile !== undefined) find(c, 'accepted_bad_certificate', o, says.badCertificate, o.tlsProfile);
    if (c.waitUntil !== undefined && o.now < c.waitUntil) find(c, 'retry_before_reset', o, says.early, c.waitUntil - o.now);
    if (c.burst && o.now < c.burst.until) {
      const count = ++c.burst.count;
      if (count >= burstRequests) find(c, 'burst_over_limit', o, says.burst, count);
    }
    const last = tries?.last;
    if (!tries || !last || last.now < o.now - windowMs) return;
    const { status, fault } = last;
    if (status === 401 || status === 403) find(c, 'retried_auth_error', o, says.authRetried, status);
    if (o.method === 'POST' && retryable(last)) {
      if (o.idempotencyKey === undefined) find(c, 'post_retry_without_idempotency_key', o, says.noIdempotencyKey, fault ? 'fault' : String(status));
      else if (last.idempotencyKey !== undefined && last.idempotencyKey !== o.idempotencyKey) find(c, 'post_retry_without_idempotency_key', o, says.otherIdempotencyKey, undefined);
    }
    // After a fault-shaped answer (a body cut short, a reset, a hang) a GET is a retry, not a repeat: the
    // client may have seen the ETag but not the representation it names, so it has nothing to revalidate.
    if (o.method === 'GET' && last.etag !== undefined && last.status < 400 && !last.fault && !o.ifNoneMatch && o.now - last.now < cacheIntervalMs)
      find(c, 'uncached_repeat', o, says.uncached, o.now - last.now);
    const retries = tries.failures.length;
    const gaps = retries > 0 && retries >= backoffRetries ? gapsNotGrowing(tries.failures, o.now) : undefined;
    if (gaps) find(c, 'no_backoff', o, says.noBackoff, gaps);
  };

  /** The client seen last: already the newest in `clients`, so not moved again. */
  let newest: string | undefined;
  const observe = (o: Observation) => {
    let c = clients.get(o.client);
    if (c && newest === o.client) {
      // Already the most recently seen.
    } else if (c) {
      clients.delete(o.client);
      if (c.findings.size === 0) {
        quiet.delete(o.client);
        quiet.add(o.client);
      }
    } else {
      c = { requests: new Map(), findings: new Map(), posts: new Map() };
      if (clients.size >= limits.clients) {
        // The least recently seen client with no findings goes first; else the oldest.
        // Each found at once: a flood of new clients (guessed keys, each its own presented hash) meets this on every request.
        const victim = quiet.size > 0 ? quiet.values().next().value! : clients.keys().next().value!;
        quiet.delete(victim);
        clients.delete(victim);
      }
      quiet.add(o.client);
    }
    if (newest !== o.client) clients.set(o.client, c);
    newest = o.client;
    const key = requestKey(o);
    const tries = triesOf(c, o, key);
    judge(c, o, tries);
    // A forced answer is the one the client asked for, not the server's: it starts no wait and
    // no burst, and is no try of its request that a later one would retry or repeat.
    if (o.forced) return;
    if (o.waitUntil !== undefined) c.waitUntil = o.waitUntil;
    else if (c.waitUntil !== undefined && o.now >= c.waitUntil) c.waitUntil = undefined;
    if (o.status === 429 && !(c.burst && o.now < c.burst.until)) c.burst = { since: o.now, until: o.windowEnd ?? o.waitUntil ?? o.now, count: 0 };
    // RFC 9111 section 4.4: an unsafe method's non-error answer invalidates what a cache holds for its
    // target URI, so a GET of it next fetches afresh: no uncached_repeat against the earlier GET.
    if (o.status < 400 && o.method !== 'GET' && o.method !== 'HEAD' && o.method !== 'OPTIONS') c.requests.delete(o.target);
    remember(c, o, key, tries, limits);
  };

  return {
    observe,
    report: (options = {}) => ({
      clients: [...clients]
        .filter(([, c]) => options.everyClient || c.findings.size > 0)
        .map(([key_id, c]) => ({ key_id, findings: [...c.findings.values()].map((f) => ({ rule: f.rule, practice: f.practice, severity: f.severity, count: f.count, request_ids: [...f.request_ids], message: messageOf(f) })) })),
    }),
    clear: () => {
      clients.clear();
      quiet.clear();
      newest = undefined;
    },
  };
}
