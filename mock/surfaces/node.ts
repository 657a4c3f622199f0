// The node:http surface: what the CLI and startMockServer listen with. Requests to the API
// go straight to the core; Express's router (and its per-request prototype swaps) would
// halve throughput. Everything else (/docs, /_mock, the spec files) goes to the Express app,
// except plain HTTP to a mock that serves HTTPS: the core refuses that on every route.
import type { RequestListener, ServerResponse } from 'node:http';
import type { MockCore } from '../core';
import type { MockResponse } from '../http/exchange';
import { originForm } from '../http/host-check';
import { cameOverTls, fromIncoming } from '../http/incoming';
import { errorResponse, toApiError, writeResponse } from '../http/render';
import { deliver } from './node-faults';

/**
 * `mock.app` answers everything outside the API (the standalone Express app). `port.tlsProfile`
 * names the bad-certificate profile whose port this listener answers (startMockServer's
 * --tls-profiles): each request is told it, for the conduct watch.
 */
export function createListener(mock: Pick<MockCore, 'isApiUrl' | 'respond' | 'requests' | 'servesTls'> & { app: RequestListener }, port: { tlsProfile?: string } = {}): RequestListener {
  const { tlsProfile } = port;
  // respond answers every request itself; this is the net under it.
  const fail = (err: unknown, url: string, res: ServerResponse) => {
    mock.requests.bug(err, url);
    writeResponse(res, errorResponse(toApiError(err)));
  };
  return (req, res) => {
    const url = req.url ?? '';
    // RFC 9112 section 3.2.2: an absolute-form target is routed by its path.
    // With --tls, plain HTTP gets the core's 400 https_required on every route, the API's or not.
    if (!mock.isApiUrl(originForm(url)) && !(mock.servesTls && !cameOverTls(req))) {
      mock.app(req, res);
      return;
    }
    let answered: MockResponse | Promise<MockResponse>;
    try {
      // Plain HTTP on a profile's port met no certificate: only a request over TLS accepted it.
      answered = mock.respond(fromIncoming(req, url, tlsProfile !== undefined && cameOverTls(req) ? tlsProfile : undefined));
    } catch (err) {
      fail(err, url, res);
      return;
    }
    // A GET is answered now; only a request whose body is read waits for it.
    // A fault rule's response is delivered as the rule says (node-faults.ts).
    if (answered instanceof Promise) answered.then((response) => deliver(res, response), (err: unknown) => fail(err, url, res));
    else deliver(res, answered);
  };
}
