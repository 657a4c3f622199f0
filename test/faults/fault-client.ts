// A node:http client for the fault tests: it reports what a faulted connection did (the
// error Node raised, the bytes that came and in how many chunks) instead of throwing, so a
// test asserts behaviour (ECONNRESET, 'socket hang up', a body short of its Content-Length).
import { request, type IncomingHttpHeaders } from 'node:http';

export interface Received {
  status?: number;
  headers?: IncomingHttpHeaders;
  /** The body bytes that arrived, as text. */
  body: string;
  bytes: number;
  /** How many reads the body came in. */
  chunks: number;
  /** What Node raised: a connection reset, a hang up, a response cut short ('aborted'). */
  error?: { code?: string; message: string };
}

/** Sends one request (a fresh connection) and reports what came back, or what broke. */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<Received> {
  return new Promise((resolve) => {
    const got: Received = { body: '', bytes: 0, chunks: 0 };
    let done = false;
    const finish = (error?: Error & { code?: string }) => {
      if (done) return;
      done = true;
      if (error) got.error = { code: error.code, message: error.message };
      resolve(got);
    };
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      got.status = res.statusCode;
      got.headers = res.headers;
      res.on('data', (chunk: Buffer) => {
        got.body += chunk.toString('utf8');
        got.bytes += chunk.length;
        got.chunks += 1;
      });
      res.on('end', () => finish());
      res.on('aborted', () => finish(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
      res.on('error', (err) => finish(err));
    });
    req.on('error', (err) => finish(err));
    if (options.timeoutMs !== undefined) req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.end(options.body);
  });
}

/** The parsed JSON body of a whole response. */
export const json = (r: Received) => JSON.parse(r.body) as unknown;
