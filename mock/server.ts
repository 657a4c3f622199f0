// Starts a mock on a port (0 for a free one) for SDK test suites and the CLI.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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

/** Room for a 10 KB token in a repeated header; past it, a 400 in the error shape. */
export const MAX_HEADER_BYTES = 65_536;

/**
 * Requests Node's parser refuses before Express sees them (headers too large, malformed
 * request lines) still get the spec's error shape, as a 400, and the connection closes.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({
    error: {
      code: 'INVALID_REQUEST',
      message: tooLarge ? `The request headers are larger than ${MAX_HEADER_BYTES} bytes` : 'The request is not valid HTTP/1.1',
      details: { parameter: 'headers', location: 'header', schema_path: '#/paths', reason: tooLarge ? 'headers_too_large' : 'malformed_request' },
    },
  });
  socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Creates a mock and listens. Rejects (does not exit) when the port cannot be taken. */
export function startMockServer(options: StartOptions = {}): Promise<RunningMock> {
  const mock = createMock(options);
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, mock.handler);
    server.on('clientError', answerClientError);
    server.listen(options.port ?? 0, host);
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
