// node:http's request (bare, or as Express hands it on, perhaps with a body a host's parser
// has read) as the core's MockRequest.
import type { IncomingMessage } from 'node:http';
import type { BodySource, MockRequest } from './exchange';

/** The body of a request a host app may already have parsed (express.json(), raw(), text()). */
function bodyOf(req: IncomingMessage & { body?: unknown }): BodySource {
  const parsed = req.body;
  if (parsed === undefined) return { kind: 'stream', stream: req };
  if (Buffer.isBuffer(parsed)) return { kind: 'bytes', bytes: parsed };
  if (typeof parsed === 'string') return { kind: 'bytes', bytes: Buffer.from(parsed, 'utf8') };
  return { kind: 'parsed', value: parsed };
}

/** `url` is the path and query below the mock's root (under a mount, Express's req.url). */
export function fromIncoming(req: IncomingMessage & { body?: unknown }, url: string = req.url ?? ''): MockRequest {
  return {
    method: req.method ?? 'GET',
    url,
    headers: req.headers,
    // Read by the credentials stage of every request anyway.
    headersDistinct: req.headersDistinct,
    httpVersion: req.httpVersion,
    remoteAddress: req.socket?.remoteAddress,
    body: bodyOf(req),
    gone: () => req.socket?.destroyed === true,
  };
}
