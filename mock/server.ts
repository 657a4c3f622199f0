// Starts a mock on a port (0 for a free one) for SDK test suites and the CLI.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createMock, type Mock, type MockOptions } from './app';

export interface StartOptions extends MockOptions {
  /** 0 (the default here) picks a free port. */
  port?: number;
  host?: string;
}

export interface RunningMock {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `http://127.0.0.1:PORT/v1`: what CORTEX_BASE_URL should be. */
  baseUrl: string;
  port: number;
  clock: Mock['clock'];
  mock: Mock;
  server: Server;
  reset(): void;
  close(): Promise<void>;
}

/** Creates a mock and listens. Rejects (does not exit) when the port cannot be taken. */
export function startMockServer(options: StartOptions = {}): Promise<RunningMock> {
  const mock = createMock(options);
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = mock.app.listen(options.port ?? 0, host);
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      resolve({
        url,
        baseUrl: `${url}${mock.spec.basePath}`,
        port,
        clock: mock.clock,
        mock,
        server,
        reset: mock.reset,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
