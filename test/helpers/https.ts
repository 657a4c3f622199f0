// HTTPS for the TLS tests: one GET with Node's https, resolving with the answer or the
// error code the client raised (CERT_HAS_EXPIRED, ...), never hanging.
import { request } from 'node:https';

export type HttpsAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: unknown; text: string } | { error: string };

/** GETs `url` over TLS: `ca` to trust (only it), or `rejectUnauthorized: false`. */
export function httpsGet(url: string, options: { ca?: string; rejectUnauthorized?: boolean; headers?: Record<string, string> }): Promise<HttpsAnswer> {
  return new Promise((resolve) => {
    const req = request(url, { ca: options.ca, rejectUnauthorized: options.rejectUnauthorized ?? true, headers: options.headers, agent: false, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined, text }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}
