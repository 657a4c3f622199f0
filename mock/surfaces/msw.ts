// The MSW surface (msw 2.x): request handlers that answer an SDK's fetch in process, with
// no port, through the same core as the server: the same 401, 403 and 429, the same state,
// the same clock handle, the same fault rules (carried out as a fetch can: msw-faults.ts).
//
//   import { setupServer } from 'msw/node';
//   import { createMswHandlers } from 'cortex-edr-mock/msw';
//   const { handlers, mock } = createMswHandlers({ baseUrl: 'https://api.cortex-edr.com/v1' });
//   const server = setupServer(...handlers);
//   server.listen(); ... mock.clock.advance(60_000); ... server.close();
//
// In a browser, `setupWorker(...handlers)` from msw/browser (after `npx msw init public`):
// bundlers take the package's "browser" export, dist/browser/msw.mjs, a build of this file
// and the core with no Node modules in it (scripts/build-browser.mjs).
import { http, type HttpHandler } from 'msw';
import { createCore, type MockOptions } from '../core';
import { handleOf, type MockHandle } from '../handle';
import type { MockRequest } from '../http/exchange';
import { fetchBody } from '../http/fetch-body';
import { deliver } from './msw-faults';
import { loadPublicSpec } from '../../lib/openapi/load-spec';

export type { MockHandle } from '../handle';

export interface MswOptions extends MockOptions {
  /** Where the SDK under test sends its requests; the spec's first server by default. */
  baseUrl?: string;
}

export interface MswMock {
  /** Pass them to setupServer (msw/node) or setupWorker (msw/browser). */
  handlers: HttpHandler[];
  /** The mock behind them: clock, state, limiter, journal, reset (createMock's handles, but node:http and Express). */
  mock: MockHandle;
}

export function createMswHandlers(options: MswOptions = {}): MswMock {
  const spec = options.spec ?? loadPublicSpec();
  const base = new URL(options.baseUrl ?? String(spec.document.servers?.[0]?.url));
  const prefix = base.pathname.replace(/\/$/, '');
  // The requests name the base URL's host, and only they reach these handlers.
  // The rules it takes are those MSW can carry out (x-cortex-fault-surfaces' msw column).
  const core = createCore({ ...options, spec, boundHost: base.hostname, faultSurfaces: ['msw'] });

  const resolver = async ({ request }: { request: Request }): Promise<Response> => {
    const url = new URL(request.url);
    const headers: Record<string, string> = { host: url.host };
    // fetch joins a repeated header into one value: each name has one here.
    const headersDistinct: Record<string, string[]> = { host: [url.host] };
    request.headers.forEach((value, name) => {
      headers[name] = value;
      headersDistinct[name] = [value];
    });
    const req: MockRequest = {
      method: request.method,
      url: `${spec.basePath}${url.pathname.slice(prefix.length)}${url.search}`,
      headers,
      headersDistinct,
      httpVersion: '1.1',
      // RFC 9421's @target-uri is the URL the SDK fetched.
      targetUri: request.url,
      body: fetchBody(request),
    };
    const response = await core.serve(req);
    // A fault the core decided is carried out here, the way a fetch Response can (msw-faults.ts).
    return deliver(response, response.fault ?? null, request.signal);
  };

  return { handlers: [http.all(`${base.origin}${prefix}`, resolver), http.all(`${base.origin}${prefix}/*`, resolver)], mock: handleOf(core, {}) };
}
