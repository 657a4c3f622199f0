// Deliberately broken variants of the mock: a proxy in front of a real mock that corrupts
// its responses in one named way. The contract harness must catch each.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Changes a response in place; `path` is the request path with its query. */
export type Mutation = (res: ProxiedResponse, req: { method: string; path: string; headers: Record<string, string | string[] | undefined> }) => void;

/**
 * Looks at a request before it goes upstream: returns a response to answer it without the
 * upstream (a broken server that skips the work), or a new body to send instead.
 */
export type Interception = (req: { method: string; path: string; body: string }) => ProxiedResponse | { body: string } | undefined;

export async function startMutantProxy(upstream: string, mutate: Mutation, intercept?: Interception): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(upstream);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let sent = Buffer.concat(chunks);
      const early = intercept?.({ method: req.method ?? 'GET', path: req.url ?? '/', body: sent.toString('utf8') });
      if (early && 'status' in early) {
        const out = early.body === undefined ? '' : JSON.stringify(early.body);
        res.writeHead(early.status, { ...early.headers, 'content-length': String(Buffer.byteLength(out)) } as Record<string, string>);
        res.end(out);
        return;
      }
      if (early) sent = Buffer.from(early.body, 'utf8');
      const headers = { ...req.headers, 'content-length': String(sent.length) };
      const up = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        (upRes) => {
          const body: Buffer[] = [];
          upRes.on('data', (c) => body.push(c));
          upRes.on('end', () => {
            const text = Buffer.concat(body).toString('utf8');
            const proxied: ProxiedResponse = { status: upRes.statusCode ?? 502, headers: { ...upRes.headers }, body: text ? JSON.parse(text) : undefined };
            mutate(proxied, { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
            const out = proxied.body === undefined ? '' : JSON.stringify(proxied.body);
            delete proxied.headers['content-length'];
            delete proxied.headers['transfer-encoding'];
            res.writeHead(proxied.status, { ...proxied.headers, 'content-length': String(Buffer.byteLength(out)) } as Record<string, string>);
            res.end(out);
          });
        },
      );
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      up.end(sent);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
