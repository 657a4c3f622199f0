// What the conduct watch is told of one settled request, read from the request, its outcome
// and the mock's `now`: the client (key id, else the presented key's hash, else the address),
// the waits the response asked for, the ETag and the request's caching and retry headers, and
// how it came: a key in the clear to a mock that serves HTTPS, or a bad-certificate profile's port.
import { hash } from 'node:crypto';
import { hashSecret } from '../domain/auth/secrets';
import type { MockRequest, MockResponse } from '../http/exchange';
import type { Observation } from '../domain/conduct/watch';

const header = (req: MockRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Whether a query pair is api_key's: its name percent-decoded, as the credentials stage reads it (`api%5Fkey=` is api_key). */
const isKeyPair = (pair: string) => pair.startsWith('api_key=') || (pair.includes('%') && decoded(pair.slice(0, Math.max(0, pair.indexOf('=')))) === 'api_key');

/** The key of `?api_key=` in a url, undecoded beyond percent-escapes; undefined without one. */
function queryKey(url: string): string | undefined {
  const q = url.indexOf('?');
  // Fast path: no api_key, however its name is escaped (a % in the query may be one).
  if (q < 0 || (!url.includes('api_key=', q) && !url.includes('%', q))) return undefined;
  for (const pair of url.slice(q + 1).split('&')) {
    if (isKeyPair(pair)) return decoded(pair.slice(pair.indexOf('=') + 1));
  }
  return undefined;
}

/** The url without its api_key parameter: two requests differing only in the key's place are the same. */
function targetOf(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const rest = url.slice(q + 1).split('&').filter((p) => !isKeyPair(p));
  return rest.length ? `${url.slice(0, q)}?${rest.join('&')}` : url.slice(0, q);
}

const numberHeader = (res: MockResponse, name: string): number | undefined => {
  const v = res.headers[name];
  const n = typeof v === 'number' ? v : v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
};

const BEARER = /^bearer\s+/i;

/** A client with no valid key: the presented key's hash (Bearer, else ?api_key=), else its address. */
function presentedClient(req: MockRequest, auth: string | undefined, inQuery: string | undefined): string {
  const bearer = auth && BEARER.test(auth) ? auth.replace(BEARER, '').trim() : undefined;
  const presented = bearer ?? inQuery;
  return presented ? `presented:${hashSecret(presented).slice(0, 16)}` : `address:${req.remoteAddress ?? 'in-process'}`;
}

/** A body's fingerprint: 16 bytes of its SHA-256, base64url. Not a secret's hash: it tells one body from another. */
const fingerprintOf = (bytes: Uint8Array) => hash('sha256', bytes, 'base64url').slice(0, 22);

/** What of a settled request's outcome the observation reads: the pipeline's Outcome has these. */
export interface ObservedOutcome {
  keyId: string | null;
  /** A fault rule shaped the response (null when none did). */
  fault: unknown;
  forced: boolean;
  /** The body as validation read it, none when the request was refused (or a fault answered) before: a POST's fingerprint. */
  bodyBytes?: Uint8Array;
}

/**
 * What observes each settled request for the watch; `isLive` tells a live key's secret from a
 * test key's. It fills the same Observation on every call and hands it on: the watch copies
 * what it keeps, so a request allocates no observation of its own. `status` is the response's,
 * or the 499 of an aborted request; `plaintext` says it came as plain HTTP to a mock that
 * serves HTTPS.
 */
export function createObserver(isLive: (secret: string) => boolean) {
  const o: Observation = { requestId: '', client: '', method: '', target: '', status: 0, now: 0, waitUntil: undefined, windowEnd: undefined, etag: undefined, ifNoneMatch: false, idempotencyKey: undefined, contentDigest: undefined, bodyFingerprint: undefined, fault: false, forced: false, keyInQuery: undefined, plaintext: false, tlsProfile: undefined };
  return (req: MockRequest, res: MockResponse, status: number, requestId: string, now: number, outcome: ObservedOutcome, plaintext: boolean): Observation => {
    const inQuery = queryKey(req.url);
    const auth = header(req, 'authorization');
    const post = req.method === 'POST';
    // Only a 429 or a 503 asks to wait; only a GET's success is worth caching: the headers are read only then.
    const waits = status === 429 || status === 503;
    const retryAfter = waits ? numberHeader(res, 'Retry-After') : undefined;
    const reset = waits ? numberHeader(res, 'X-RateLimit-Reset') : undefined;
    const etag = req.method === 'GET' && status < 400 ? (res.headers.ETag ?? res.headers.etag) : undefined;
    o.requestId = requestId;
    // A valid key names the client: the presented secret is read (and hashed) only without one.
    o.client = outcome.keyId ?? presentedClient(req, auth, inQuery);
    o.method = req.method;
    o.target = targetOf(req.url);
    o.status = status;
    o.now = now;
    o.waitUntil = waits && (status === 429 || retryAfter !== undefined) ? (retryAfter !== undefined ? now + retryAfter * 1000 : reset !== undefined ? reset * 1000 : undefined) : undefined;
    o.windowEnd = reset !== undefined ? reset * 1000 : undefined;
    o.etag = etag === undefined ? undefined : String(etag);
    o.ifNoneMatch = header(req, 'if-none-match') !== undefined;
    o.idempotencyKey = post ? header(req, 'idempotency-key') : undefined;
    o.contentDigest = post ? header(req, 'content-digest') : undefined;
    o.bodyFingerprint = post && outcome.bodyBytes ? fingerprintOf(outcome.bodyBytes) : undefined;
    o.fault = outcome.fault !== null && outcome.fault !== undefined;
    o.forced = outcome.forced;
    o.keyInQuery = inQuery === undefined ? undefined : isLive(inQuery) ? 'live' : 'test';
    // Any credentials count: an Authorization of another scheme went in the clear too.
    o.plaintext = plaintext && ((auth !== undefined && auth.trim() !== '') || (inQuery !== undefined && inQuery !== ''));
    o.tlsProfile = req.tlsProfile;
    return o;
  };
}
