// The harness's only way to a server: HTTP with a timeout on every request, and failures
// that say what went wrong (no answer, dropped connection, a body that is not JSON).

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
  text: string;
  /** `GET /v1/scans` with the key redacted: for failure messages. */
  request: string;
}

export class TransportError extends Error {
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(`[${check}] ${message}`);
    this.name = 'TransportError';
  }
}

/** Redacts key material in a URL. */
export function describeUrl(url: string): string {
  return url.replace(/([?&]api_key=)[^&]*/gi, '$1[REDACTED]').replace(/sk_(test|live)_[A-Za-z0-9_]+/g, 'sk_$1_[REDACTED]');
}

/**
 * Sends one request. A GET whose pooled keep-alive connection was closed under it (the
 * server's idle timeout passing while Jest compiled the next file) is retried once, as
 * an idempotent request may be (RFC 9110 section 9.2.2); anything else fails at once.
 */
export async function send(
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpResponse> {
  try {
    return await sendOnce(method, url, options);
  } catch (err) {
    const idempotent = method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD';
    if (idempotent && err instanceof TransportError && err.check === 'connection' && /ECONNRESET|EPIPE|UND_ERR_SOCKET|other side closed/.test(err.message)) {
      return sendOnce(method, url, options);
    }
    throw err;
  }
}

async function sendOnce(
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpResponse> {
  const request = `${method.toUpperCase()} ${describeUrl(new URL(url).pathname + new URL(url).search)}`;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: method.toUpperCase(),
      headers: options.headers,
      body: options.body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'manual',
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      throw new TransportError('timeout', `${request}: no complete response within ${options.timeoutMs} ms (the server hangs)`);
    }
    const why = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new TransportError('connection', `${request}: the connection failed or was dropped (${why})`);
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k] = v;
  });
  let body: unknown;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new TransportError(
        'json-body',
        `${request} -> ${res.status}: the body is not JSON (content-type ${headers['content-type'] ?? 'none'}): ${JSON.stringify(text.slice(0, 120))}`,
      );
    }
  }
  return { status: res.status, headers, body, text, request };
}
