// @ts-nocheck
// A typed CortexEDR client with a retry layer: the pattern an SDK can copy. Types come from
// the spec (openapi-typescript), requests from openapi-fetch. The retry layer:
//   - retries 429 and 503 after `Retry-After` (or until `X-RateLimit-Reset`, by the
//     server's `Date`), never 401, 403 or any other 4xx: a retry cannot fix those;
//   - retries a dropped connection too, but a POST only when it carries an Idempotency-Key
//     (it adds one to every create), so a retried create never makes a second resource;
//   - waits through an injected `sleep`, so a test moves the mock's clock instead of
//     waiting (a real client passes a real timer, the default).
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
  /** Called before each retry, for logs and tests. */
  onRetry?: (info: { attempt: number; status: number | 'network'; waitMs: number }) => void;
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
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body ? await request.arrayBuffer() : undefined;
    const safeToRepeat = request.method !== 'POST' || request.headers.has('Idempotency-Key');
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await send(new Request(request, { body }));
      } catch (err) {
        if (attempt >= maxRetries || !safeToRepeat) throw err;
        const waitMs = 2 ** attempt * 100;
        options.onRetry?.({ attempt: attempt + 1, status: 'network', waitMs });
        await sleep(waitMs);
        continue;
      }
      if (!RETRYABLE.has(res.status) || attempt >= maxRetries) return res;
      const waitMs = waitFor(res);
      options.onRetry?.({ attempt: attempt + 1, status: res.status, waitMs });
      await res.arrayBuffer();
      await sleep(waitMs);
    }
  };
}

/** The typed client: every path, parameter, body and response of the spec. */
export function createCortexClient(baseUrl: string, apiKey: string, retry: RetryOptions = {}): Client<paths> & { createScan(body: paths['/scans']['post']['requestBody']['content']['application/json']): ReturnType<Client<paths>['POST']> } {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` }, fetch: retryingFetch(retry) });
  return Object.assign(client, {
    /** A create with an Idempotency-Key of its own, reused by every retry of it. */
    createScan: (body: paths['/scans']['post']['requestBody']['content']['application/json']) =>
      client.POST('/scans', { body, params: { header: { 'Idempotency-Key': randomUUID() } } }),
  });
}
