// The node:http surface: what the CLI and startMockServer listen with. Requests to the API
// go straight to the core; Express's router (and its per-request prototype swaps) would
// halve throughput. Everything else (/docs, /_mock, the spec files) goes to the Express app.
import type { RequestListener, ServerResponse } from 'node:http';
import type { MockCore } from '../core';
import type { MockResponse } from '../http/exchange';
import { originForm } from '../http/host-check';
import { fromIncoming } from '../http/incoming';
import { errorResponse, toApiError, writeResponse } from '../http/render';
import { deliver } from './node-faults';

/** `mock.app` answers everything outside the API (the standalone Express app). */
export function createListener(mock: Pick<MockCore, 'isApiUrl' | 'respond' | 'requests'> & { app: RequestListener }): RequestListener {
  // respond answers every request itself; this is the net under it.
  const fail = (err: unknown, url: string, res: ServerResponse) => {
    mock.requests.bug(err, url);
    writeResponse(res, errorResponse(toApiError(err)));
  };
  return (req, res) => {
    const url = req.url ?? '';
    // RFC 9112 section 3.2.2: an absolute-form target is routed by its path.
    if (!mock.isApiUrl(originForm(url))) {
      mock.app(req, res);
      return;
    }
    let answered: MockResponse | Promise<MockResponse>;
    try {
      answered = mock.respond(fromIncoming(req, url));
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
