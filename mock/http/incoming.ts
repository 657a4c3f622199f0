// node:http's request (bare, or as Express hands it on, perhaps with a body a host's parser
// has read) as the core's MockRequest.
import type { IncomingMessage } from 'node:http';
import type { BodySource, MockRequest } from './exchange';
import { absoluteFormAuthority, originForm } from './host-check';

/** Set as req.body when a host's parser refused the body as too large (it read no more of it). */
export const REFUSED_AS_TOO_LARGE: unique symbol = Symbol('body refused by the host as too large');

/** Nothing more to read: the host's parser has stopped reading the stream. */
async function* nothing(): AsyncIterable<Uint8Array> {}

/** The body of a request a host app may already have parsed (express.json(), raw(), text()). */
function bodyOf(req: IncomingMessage & { body?: unknown }): BodySource {
  const parsed = req.body;
  if (parsed === undefined) return { kind: 'stream', stream: req };
  // Longer than any cap: the mock answers its own 413.
  if (parsed === REFUSED_AS_TOO_LARGE) return { kind: 'stream', stream: nothing(), declaredLength: Number.MAX_SAFE_INTEGER };
  if (Buffer.isBuffer(parsed)) return { kind: 'bytes', bytes: parsed };
  if (typeof parsed === 'string') return { kind: 'bytes', bytes: Buffer.from(parsed, 'utf8') };
  return { kind: 'parsed', value: parsed };
}

/**
 * A node:http request as a MockRequest. A class, not a literal with closures: one is made
 * per request, and its body source is made only when a stage reads it.
 */
class IncomingRequest implements MockRequest {
  readonly method: string;
  readonly headers: MockRequest['headers'];
  /** Read by the credentials stage of every request anyway. */
  readonly headersDistinct: MockRequest['headersDistinct'];
  readonly httpVersion: string;
  readonly remoteAddress: string | undefined;
  readonly url: string;
  readonly authority: string | undefined;
  readonly tlsProfile: string | undefined;
  private source: BodySource | undefined = undefined;

  constructor(
    private readonly req: IncomingMessage & { body?: unknown },
    target: string,
    tlsProfile: string | undefined,
  ) {
    // An absolute-form target is routed by its path; its authority is checked as Host.
    this.url = originForm(target);
    this.authority = absoluteFormAuthority(target);
    this.method = req.method ?? 'GET';
    this.headers = req.headers;
    this.headersDistinct = req.headersDistinct;
    this.httpVersion = req.httpVersion;
    this.remoteAddress = req.socket?.remoteAddress;
    this.tlsProfile = tlsProfile;
  }

  /** Read only by a core that serves HTTPS. */
  get secure(): boolean {
    return cameOverTls(this.req);
  }

  /** Read only for a key that requires signing (RFC 9421 @target-uri): under a mount, the URL before Express cut it. */
  get targetUri(): string {
    const scheme = cameOverTls(this.req) ? 'https' : 'http';
    const host = this.authority ?? this.req.headers.host ?? 'localhost';
    return `${scheme}://${host}${originForm((this.req as { originalUrl?: string }).originalUrl ?? this.req.url ?? '')}`;
  }

  get body(): BodySource {
    return (this.source ??= bodyOf(this.req));
  }

  gone(): boolean {
    return this.req.socket?.destroyed === true;
  }
}

/** Whether a node:http request came over TLS (its socket is a TLSSocket). */
export function cameOverTls(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
}

/**
 * `url` is the target below the mock's root (under a mount, Express's req.url), in origin or
 * absolute form; `tlsProfile` the bad-certificate profile of the port it came to, if any.
 */
export function fromIncoming(req: IncomingMessage & { body?: unknown }, url: string = req.url ?? '', tlsProfile?: string): MockRequest {
  return new IncomingRequest(req, url, tlsProfile);
}
