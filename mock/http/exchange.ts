// What every surface (node:http, an Express mount, MSW) hands the core, and what the core
// hands back. The core never touches a socket, a ServerResponse or a fetch Response: each
// surface turns its own request into a MockRequest and writes the MockResponse its way.
import type { OutcomeFault } from '../domain/faults/rule';

/** Where a request's body comes from: a stream, bytes in hand, or a value a host already parsed. */
export type BodySource =
  | { kind: 'stream'; stream: AsyncIterable<Uint8Array>; declaredLength?: number }
  | { kind: 'bytes'; bytes: Uint8Array }
  /** Parsed by the host (express.json() ahead of a mount): taken as it is. */
  | { kind: 'parsed'; value: unknown };

export interface MockRequest {
  method: string;
  /** Path and query below the mock's root, as sent: `/v1/scans?limit=5` (an absolute-form target's path and query). */
  url: string;
  /** The authority of an absolute-form target (`GET http://localhost:4010/v1/...`), which stands in for Host. */
  authority?: string;
  /** Lower-case names; a repeated header is joined the way node:http joins it. */
  headers: Record<string, string | string[] | undefined>;
  /** Every value of every header, repeats kept (two Authorization headers are two). */
  headersDistinct: Record<string, string[] | undefined>;
  httpVersion: string;
  /** The peer's address, for the failed-authentication limit; none in process (MSW). */
  remoteAddress?: string;
  body: BodySource;
  /** Whether it came over TLS, when the surface knows (node:http): a core that serves HTTPS refuses one that did not. */
  readonly secure?: boolean;
  /** The bad-certificate profile (control.yaml's x-cortex-tls-profiles) of the port it came to: its client accepted that certificate. */
  readonly tlsProfile?: string;
  /** The URI the client sent it to (RFC 9110 section 7.1), when the surface knows it: RFC 9421's @target-uri. */
  readonly targetUri?: string;
  /** Whether the client has gone: its body can no longer arrive, and no answer will. */
  gone?(): boolean;
}

export interface MockResponse {
  status: number;
  headers: Record<string, string | number>;
  /** The body as sent; none for 204 and HEAD. */
  body?: string;
  /**
   * A fault rule's, when one shaped the request and the surface must carry it out as it
   * writes (latency, reset, close, hang, truncate, slow_body; docs/faults.md). Absent otherwise.
   */
  fault?: OutcomeFault;
}

/** Thrown while reading a body whose client has hung up: not a fault of the mock. */
export class ClientGone extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGone';
  }
}

/** Whether `err` is a client closing its connection mid-request. */
export function isClientAbort(err: unknown, request?: Pick<MockRequest, 'gone'>): boolean {
  if (err instanceof ClientGone) return true;
  const e = err as { code?: string; message?: string } | undefined;
  return e?.code === 'ECONNRESET' || e?.code === 'ERR_STREAM_PREMATURE_CLOSE' || e?.message === 'aborted' || request?.gone?.() === true;
}

/**
 * A JSON response (or an empty one, for 204), on a new record of `headers` with the content
 * headers added: the record passed in is left as it was. No ETag: bodies change with the clock.
 */
export function jsonResponse(status: number, body: unknown, headers: Readonly<Record<string, string | number>> = {}): MockResponse {
  if (status === 204 || body === undefined) return { status, headers: { ...headers }, body: undefined };
  const text = JSON.stringify(body);
  return { status, headers: { ...headers, ...contentHeaders(text) }, body: text };
}

/** The content headers of a JSON body. */
export function contentHeaders(text: string): Record<string, string | number> {
  return { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) };
}

/** The first value of a header. */
export function headerOf(req: Pick<MockRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
