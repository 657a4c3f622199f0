// What the conduct watch is told of one settled request, read from the request, its outcome
// and the mock's `now`: the client (key id, else the presented key's hash, else the address),
// the waits the response asked for, the ETag and the request's caching and retry headers, and
// how it came: a key in the clear to a mock that serves HTTPS, or a bad-certificate profile's port.
import { createHash } from 'node:crypto';
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
const fingerprintOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64url').slice(0, 22);

/**
 * The observation of one request; `isLive` tells a live key's secret from a test key's, and
 * `plaintext` says it came as plain HTTP to a mock that serves HTTPS. `bodyBytes`: the body as
 * validation read it, none when the request was refused (or a fault answered) before: a POST's
 * fingerprint.
 */
export function observationOf(
  req: MockRequest,
  res: MockResponse,
  o: { requestId: string; keyId: string | null; now: number; fault: boolean; forced: boolean; isLive: (secret: string) => boolean; bodyBytes?: Uint8Array; plaintext?: boolean },
): Observation {
  const inQuery = queryKey(req.url);
  const auth = header(req, 'authorization');
  // A valid key names the client: the presented secret is read (and hashed) only without one.
  const client = o.keyId ?? presentedClient(req, auth, inQuery);
  // Only a 429 or a 503 asks to wait; only a GET's success is worth caching: the headers are read only then.
  const waits = res.status === 429 || res.status === 503;
  const retryAfter = waits ? numberHeader(res, 'Retry-After') : undefined;
  const reset = waits ? numberHeader(res, 'X-RateLimit-Reset') : undefined;
  const waitUntil = waits && (res.status === 429 || retryAfter !== undefined) ? (retryAfter !== undefined ? o.now + retryAfter * 1000 : reset !== undefined ? reset * 1000 : undefined) : undefined;
  const etag = req.method === 'GET' && res.status < 400 ? (res.headers.ETag ?? res.headers.etag) : undefined;
  return {
    requestId: o.requestId,
    client,
    method: req.method,
    target: targetOf(req.url),
    status: res.status,
    now: o.now,
    waitUntil,
    windowEnd: reset !== undefined ? reset * 1000 : undefined,
    etag: etag === undefined ? undefined : String(etag),
    ifNoneMatch: header(req, 'if-none-match') !== undefined,
    idempotencyKey: req.method === 'POST' ? header(req, 'idempotency-key') : undefined,
    contentDigest: req.method === 'POST' ? header(req, 'content-digest') : undefined,
    bodyFingerprint: req.method === 'POST' && o.bodyBytes ? fingerprintOf(o.bodyBytes) : undefined,
    fault: o.fault,
    forced: o.forced,
    keyInQuery: inQuery === undefined ? undefined : o.isLive(inQuery) ? 'live' : 'test',
    // Any credentials count: an Authorization of another scheme went in the clear too.
    plaintext: o.plaintext === true && ((auth !== undefined && auth.trim() !== '') || (inQuery !== undefined && inQuery !== '')),
    tlsProfile: req.tlsProfile,
  };
}
