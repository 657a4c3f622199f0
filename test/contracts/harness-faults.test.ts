// The harness against servers that misbehave at the transport: one that hangs, one that
// drops connections, one that answers non-JSON, one that answers 500. Each is a clear,
// named failure within the timeout, never a hang.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { send, TransportError } from '../../contracts/lib/http';
import { runContracts } from '../helpers/contract-run';

type Handler = Parameters<typeof createServer>[1];

async function serve(handler: Handler): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const FAULTS: Array<[string, Handler, string]> = [
  ['hangs', () => undefined, 'timeout'],
  ['drops the connection', (req) => req.socket.destroy(), 'connection'],
  ['answers HTML', (_req, res) => (res.setHeader('Content-Type', 'text/html'), res.end('<html>oops</html>')), 'json-body'],
];

describe('harness transport faults', () => {
  it.each(FAULTS)('fails with a named check when the server %s', async (_name, handler, check) => {
    const server = await serve(handler);
    try {
      const started = Date.now();
      const err = await send('GET', `${server.url}/v1/scans`, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).check).toBe(check);
      expect((err as Error).message).toMatch(/GET \/v1\/scans/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await server.close();
    }
  });

  it('reports a 500 as an undocumented status', async () => {
    const server = await serve((_req, res) => (res.statusCode = 500, res.setHeader('Content-Type', 'application/json'), res.end('{"error":"boom"}')));
    try {
      const run = await runContracts(['--base-url', `${server.url}/v1`, '--timeout', '300'], { CORTEX_API_KEY: 'sk_test_readonly_00000000000000000001' });
      expect(run.code).toBe(1);
      expect(run.results.failures.map((f) => f.check)).toContain('status-documented');
    } finally {
      await server.close();
    }
  });

  it('finishes the whole run against a hanging server, failing each request at its timeout', async () => {
    const server = await serve(() => undefined);
    try {
      const run = await runContracts(['--base-url', `${server.url}/v1`, '--timeout', '200'], { CORTEX_API_KEY: 'sk_test_readonly_00000000000000000001' });
      expect(run.code).toBe(1);
      expect(run.results.failed).toBeGreaterThan(0);
      expect(new Set(run.results.failures.map((f) => f.check))).toEqual(new Set(['timeout']));
    } finally {
      await server.close();
    }
  });
});
