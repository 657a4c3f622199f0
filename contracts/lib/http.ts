// The harness's only way to a server: HTTP over node:http(s), with a timeout and a size cap
// on every response, and faults named by what happened (refused, closed, reset, timed out,
// too large, nested too deep, not JSON), never a stack. Every request line in a message is
// redacted. A body's nesting and its count of objects and arrays are measured on its bytes
// as they arrive, before JSON.parse: parsing 10 MB of `[[[[...` takes gigabytes, and 10 MB
// of `{},{},...` over 200 MB per copy, so a size cap alone does not bound memory.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { redact } from '../../lib/redact';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
  text: string;
  /** `GET /v1/scans` with every secret redacted: for failure messages. */
  request: string;
}

/** A failure below HTTP semantics. `check` names what happened. */
export class TransportError extends Error {
  constructor(
    readonly check: 'timeout' | 'certificate' | 'connection-refused' | 'connection-closed' | 'connection-reset' | 'response-size' | 'json-depth' | 'json-containers' | 'json-body' | 'deadline',
    message: string,
  ) {
    super(`[${check}] ${message}`);
    this.name = 'TransportError';
  }
}

/**
 * What Node's TLS says when it refuses a server's certificate (node:tls's verify errors,
 * OpenSSL's X509_V_ERR names, and the host-name check's ERR_TLS_CERT_ALTNAME_INVALID).
 */
const CERTIFICATE_ERROR = /^(CERT_|ERR_TLS_CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|HOSTNAME_MISMATCH$|INVALID_CA$|PATH_LENGTH_EXCEEDED$|INVALID_PURPOSE$)/;

export interface TransportOptions {
  /** CA certificates (PEM) to trust for https, as well as Node's own (--ca FILE). */
  ca?: string;
  /** Signs the requests it signs (RFC 9421: the signing key's) unless a call says `sign: false`. */
  sign?: RequestSigner;
}

/** Faults that mean the server cannot be reached at all. */
export const UNREACHABLE = new Set(['connection-refused']);

/** Redacts key material in a URL or message (the same function the mock logs with). */
export const describeUrl = redact;

export interface SendOptions {
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Bodies larger than this fail with `response-size` (default 10 MB). */
  maxBytes?: number;
  /** Bodies nested deeper than this (arrays and objects) fail with `json-depth` (default 1000). */
  maxDepth?: number;
  /** Bodies with more objects and arrays than this fail with `json-containers` (default 100,000). */
  maxContainers?: number;
  /** The run's redaction (its secrets by value), applied to a whole body before any excerpt of it is cut; lib/redact's rules by default. */
  redact?: (text: string) => string;
  /** With a signer (createTransport's `sign`): false sends this request unsigned; options shape its signature (a backdated `created`, a tampered one). */
  sign?: false | SignHow;
}

/** How one request is signed (RFC 9421): `created` this many seconds before now, or the signature's bytes broken. */
export interface SignHow {
  ageSeconds?: number;
  tamper?: boolean;
}

/** Signs requests (contracts/lib/signing.ts): shown every request sent, and the headers of its answer. */
export interface RequestSigner {
  /** The signature headers to add to a request (none for one it does not sign). */
  sign(method: string, url: string, headers: Record<string, string>, body: string | undefined, how: SignHow): Record<string, string>;
  /** Sees the answer to a request it was shown (the server's Date, its Accept-Signature). */
  observe(requestHeaders: Record<string, string>, response: { status: number; headers: Record<string, string> }): void;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_JSON_DEPTH = 1000;
/** A page of 100 scans holds some hundreds; each parsed object or array costs about 70 bytes. */
export const DEFAULT_MAX_JSON_CONTAINERS = 100_000;

/**
 * Measures JSON over a body's bytes, chunk by chunk, without parsing: `[` and `{` open,
 * `]` and `}` close, nothing inside a string counts (a backslash escapes the next byte).
 * UTF-8 continuation bytes are never ASCII, so bytes are enough. Returns, per chunk, the
 * limit the body has broken so far, if any.
 */
export function createJsonScan(limits: { maxDepth: number; maxContainers: number }): (chunk: Uint8Array) => 'depth' | 'containers' | undefined {
  let depth = 0;
  let containers = 0;
  let inString = false;
  let escaped = false;
  return (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (b === 0x5c) escaped = true;
        else if (b === 0x22) inString = false;
      } else if (b === 0x22) inString = true;
      else if (b === 0x5b || b === 0x7b) {
        if (++depth > limits.maxDepth) return 'depth';
        if (++containers > limits.maxContainers) return 'containers';
      } else if (b === 0x5d || b === 0x7d) depth--;
    }
    return undefined;
  };
}

/** One connection pool per transport; close() ends it. */
export function createTransport(transportOptions: TransportOptions = {}) {
  const hooks = { sign: transportOptions.sign };
  // The CA is added to Node's roots, not put in their place: a public server still validates.
  const ca = transportOptions.ca === undefined ? undefined : [...rootCertificates, transportOptions.ca];
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 8 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 8, ...(ca ? { ca } : {}) }) };

  function once(method: string, url: URL, options: SendOptions, request: string): Promise<HttpResponse & { reused: boolean }> {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
    const maxContainers = options.maxContainers ?? DEFAULT_MAX_JSON_CONTAINERS;
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      let settled = false;
      let gotResponse = false;
      const finish = (err: TransportError | undefined, value?: HttpResponse & { reused: boolean }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(value!);
      };
      let headers: Record<string, string> = { ...(options.headers ?? {}) };
      // Signed again on a retry: each request its own nonce.
      if (hooks.sign && options.sign !== false) headers = { ...headers, ...hooks.sign.sign(method, url.href, headers, options.body, options.sign ?? {}) };
      if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
      const req = (secure ? httpsRequest : httpRequest)(url, { method, headers, agent: secure ? agents.https : agents.http }, (res: IncomingMessage) => {
        gotResponse = true;
        const chunks: Buffer[] = [];
        let size = 0;
        const scan = createJsonScan({ maxDepth, maxContainers });
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (size > maxBytes) {
            finish(new TransportError('response-size', `${request} -> ${res.statusCode}: the body is larger than the ${maxBytes}-byte cap (--max-response-bytes)`));
            return;
          }
          const broken = scan(chunk);
          if (broken === 'depth') {
            finish(new TransportError('json-depth', `${request} -> ${res.statusCode}: the body is nested deeper than ${maxDepth} levels (--max-json-depth); not parsed`));
            return;
          }
          if (broken === 'containers') {
            finish(new TransportError('json-containers', `${request} -> ${res.statusCode}: the body holds more than ${maxContainers} objects and arrays (--max-json-containers); not parsed`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', () => finish(new TransportError('connection-reset', `${request} -> ${res.statusCode}: the connection was reset while the body arrived`)));
        res.on('aborted', () => finish(new TransportError('connection-closed', `${request} -> ${res.statusCode}: the connection closed before the body was complete`)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
          hooks.sign?.observe(headers, { status: res.statusCode ?? 0, headers: out });
          let body: unknown;
          if (text.length > 0) {
            try {
              body = JSON.parse(text);
            } catch {
              // Redacted whole, then cut: a cut first leaves the part of a secret no rule knows.
              const excerpt = (options.redact ?? redact)(text).slice(0, 120);
              finish(new TransportError('json-body', `${request} -> ${res.statusCode}: the body is not JSON (content-type ${out['content-type'] ?? 'none'}): ${JSON.stringify(excerpt)}`));
              return;
            }
          }
          finish(undefined, { status: res.statusCode ?? 0, headers: out, body, text, request, reused: req.reusedSocket });
        });
      });
      const timer = setTimeout(() => {
        finish(new TransportError('timeout', `${request}: ${gotResponse ? 'the body did not finish' : 'no response'} within ${options.timeoutMs} ms (the server hangs)`));
      }, options.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? '';
        if (CERTIFICATE_ERROR.test(code)) {
          finish(new TransportError('certificate', `${request}: the server's certificate was refused: ${code} (${err.message})`));
        } else if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
          finish(new TransportError('connection-refused', `${request}: server unreachable at ${url.origin} (${code})`));
        } else if (code === 'ECONNRESET' && err.message !== 'socket hang up') {
          finish(new TransportError('connection-reset', `${request}: the connection was reset (ECONNRESET)`));
        } else if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
          finish(new TransportError('connection-closed', `${request}: the server closed the connection without answering`));
        } else {
          finish(new TransportError('connection-closed', `${request}: the connection failed (${code || err.message})`));
        }
      });
      req.end(options.body);
    });
  }

  return {
    /**
     * Sends one request. A request on a pooled keep-alive connection that the server had
     * closed meanwhile is sent once more on a new one, if it is idempotent (RFC 9110
     * section 9.2.2); anything else fails at once.
     */
    async send(method: string, url: string, options: SendOptions): Promise<HttpResponse> {
      const target = new URL(url);
      const request = `${method.toUpperCase()} ${redact(target.pathname + target.search)}`;
      try {
        const { reused: _r, ...res } = await once(method.toUpperCase(), target, options, request);
        return res;
      } catch (err) {
        const idempotent = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(method.toUpperCase());
        if (idempotent && err instanceof TransportError && (err.check === 'connection-closed' || err.check === 'connection-reset')) {
          const { reused: _r, ...res } = await once(method.toUpperCase(), target, options, request);
          return res;
        }
        throw err;
      }
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

export type Transport = ReturnType<typeof createTransport>;
