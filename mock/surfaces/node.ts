// The node:http surface: what the CLI and startMockServer listen with. Requests to the API
// go straight to the core; Express's router (and its per-request prototype swaps) would
// halve throughput. Everything else (/docs, /_mock, the spec files) goes to the Express app.
import type { RequestListener } from 'node:http';
import type { MockCore } from '../core';
import { fromIncoming } from '../http/incoming';
import { errorResponse, toApiError, writeResponse } from '../http/render';

/** `mock.app` answers everything outside the API (the standalone Express app). */
export function createListener(mock: Pick<MockCore, 'isApiUrl' | 'serve' | 'requests'> & { app: RequestListener }): RequestListener {
  return (req, res) => {
    const url = req.url ?? '';
    if (!mock.isApiUrl(url)) {
      mock.app(req, res);
      return;
    }
    mock.serve(fromIncoming(req, url)).then(
      (response) => writeResponse(res, response),
      // serve answers every request itself; this is the net under it.
      (err: unknown) => {
        mock.requests.bug(err, url);
        writeResponse(res, errorResponse(toApiError(err)));
      },
    );
  };
}
