// A typed CortexEDR client with a retry layer: the pattern an SDK can copy. Types come from
// the spec (openapi-typescript), requests from openapi-fetch. The retry layer:
//   - retries 429 and 503 after `Retry-After` (or until `X-RateLimit-Reset`, by the
//     server's `Date`), never 401, 403 or any other 4xx: a retry cannot fix those;
//   - retries a dropped connection too (a reset, a close, a body cut short of its
//     Content-Length, an attempt past its timeout), but a POST only when it carries an
//     Idempotency-Key (it adds one to every create), so a retried create never makes a
//     second resource;
//   - gives each attempt a deadline (`timeoutMs`) that covers the body as well as the
//     headers, so a server that stalls or dribbles cannot hold the client forever;
//   - reads each answer's body whole before it returns it, so a cut body is a failed
//     attempt it can retry, not an error in the caller's JSON parse;
//   - waits through an injected `sleep`, so a test moves the mock's clock instead of
//     waiting (a real client passes a real timer, the default).
// Above it, a cache: each GET it holds an ETag for is revalidated with If-None-Match, and a
// 304 is answered from what it kept ("cache responses when possible"; a 304 costs no budget).
import createClient, { type Client } from 'openapi-fetch';
import { randomUUID } from 'node:crypto';
import type { paths } from '../../mock/generated/api-types';

export interface RetryOptions {
  /** How many retries after the first attempt. */
  maxRetries?: number;
  /** Waits `ms`; a real timer by default. */
  sleep?: (ms: number) => Promise<void>;
  /** The fetch to send with (tests wrap it to drop responses). */
  fetch?: typeof fetch;
  /** Each attempt's deadline in ms, its body included; 30 s by default. */
  timeoutMs?: number;
  /** Called before each retry, for logs and tests. `network`: no whole answer (a reset, a cut body, a timeout). */
  onRetry?: (info: { attempt: number; status: number | 'network'; waitMs: number }) => void;
}

/** An attempt's deadline when none is given. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * One attempt: the response with its body read whole, within `timeoutMs`. A reset, a close,
 * a body cut short (undici: `TypeError: terminated`) or the deadline passing rejects, as
 * a network error does. The caller's own signal still cancels it.
 */
async function attempt(send: typeof fetch, request: Request, body: ArrayBuffer | undefined, timeoutMs: number): Promise<Response> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([deadline, request.signal]);
  const res = await send(new Request(request, { body, signal }));
  const bytes = await res.arrayBuffer();
  // A 204 or 304 may carry no body; any other status gets the bytes that came.
  return new Response([101, 204, 205, 304].includes(res.status) ? null : bytes, { status: res.status, statusText: res.statusText, headers: res.headers });
}

const RETRYABLE = new Set([429, 503]);

/** How long the response asks a client to wait, in ms: Retry-After, else X-RateLimit-Reset minus Date. */
export function waitFor(res: Response): number {
  const retryAfter = Number(res.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && res.headers.get('retry-after') !== null) return retryAfter * 1000;
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  const date = Date.parse(res.headers.get('date') ?? '');
  if (Number.isFinite(reset) && Number.isFinite(date)) return Math.max(0, reset * 1000 - date);
  return 1000;
}

/** A fetch that retries as described above. */
export function retryingFetch(options: RetryOptions = {}): typeof fetch {
  const maxRetries = options.maxRetries ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body ? await request.arrayBuffer() : undefined;
    const safeToRepeat = request.method !== 'POST' || request.headers.has('Idempotency-Key');
    for (let tries = 0; ; tries++) {
      let res: Response;
      try {
        res = await attempt(send, request, body, timeoutMs);
      } catch (err) {
        // The caller's own cancel is not a failure to retry.
        if (request.signal.aborted || tries >= maxRetries || !safeToRepeat) throw err;
        const waitMs = 2 ** tries * 100;
        options.onRetry?.({ attempt: tries + 1, status: 'network', waitMs });
        await sleep(waitMs);
        continue;
      }
      if (!RETRYABLE.has(res.status) || tries >= maxRetries) return res;
      const waitMs = waitFor(res);
      options.onRetry?.({ attempt: tries + 1, status: res.status, waitMs });
      await sleep(waitMs);
    }
  };
}

/** How many GET answers `cachingFetch` keeps by default (the least recently used go first). */
export const DEFAULT_CACHE_ENTRIES = 100;

/** Headers of a 304 that describe no body: the kept answer's own stand. */
const BODY_HEADERS = new Set(['content-length', 'content-type', 'content-encoding']);

/**
 * A fetch that keeps each GET's 200 with an ETag, sends the ETag back as If-None-Match, and
 * turns a 304 into the kept 200 with the 304's fresh headers (Date, the rate-limit fields). A
 * request that sets If-None-Match itself is passed through as it is. One cache per client,
 * so per key: a URL is its key.
 */
export function cachingFetch(send: typeof fetch, entries = DEFAULT_CACHE_ENTRIES): typeof fetch {
  const kept = new Map<string, { etag: string; body: ArrayBuffer; headers: Headers }>();
  return async (input, init) => {
    const request = new Request(input, init);
    if (request.method !== 'GET' || request.headers.has('If-None-Match')) return send(request);
    const hit = kept.get(request.url);
    const headers = new Headers(request.headers);
    if (hit) headers.set('If-None-Match', hit.etag);
    const res = await send(new Request(request, { headers }));
    if (res.status === 304 && hit) {
      const merged = new Headers(hit.headers);
      res.headers.forEach((value, name) => BODY_HEADERS.has(name) || merged.set(name, value));
      return new Response(hit.body.slice(0), { status: 200, statusText: 'OK', headers: merged });
    }
    const etag = res.headers.get('etag');
    kept.delete(request.url);
    if (res.status === 200 && etag) {
      if (kept.size >= entries) kept.delete(kept.keys().next().value!);
      kept.set(request.url, { etag, body: await res.clone().arrayBuffer(), headers: new Headers(res.headers) });
    }
    return res;
  };
}

/** The typed client: every path, parameter, body and response of the spec. */
export function createCortexClient(baseUrl: string, apiKey: string, retry: RetryOptions = {}): Client<paths> & { createScan(body: paths['/scans']['post']['requestBody']['content']['application/json']): ReturnType<Client<paths>['POST']> } {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` }, fetch: cachingFetch(retryingFetch(retry)) });
  return Object.assign(client, {
    /** A create with an Idempotency-Key of its own, reused by every retry of it. */
    createScan: (body: paths['/scans']['post']['requestBody']['content']['application/json']) =>
      client.POST('/scans', { body, params: { header: { 'Idempotency-Key': randomUUID() } } }),
  });
}
