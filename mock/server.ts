// Starts a mock on a port (0 for a free one) for SDK test suites and the CLI.
import { randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isLoopbackAddress } from './http/host-check';
import { createMock, type Mock, type MockOptions } from './app';
import { ApiError } from './errors/api-error';
import { errorResponse } from './http/render';

export interface StartOptions extends MockOptions {
  /** 0 (the default here) picks a free port. */
  port?: number;
  host?: string;
  /** How long a client may take to send its headers, and its whole request (seconds). */
  headersTimeoutSeconds?: number;
  requestTimeoutSeconds?: number;
}

export interface RunningMock {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `http://127.0.0.1:PORT/v1`: what CORTEX_BASE_URL should be. */
  baseUrl: string;
  /** The address to bind to as it was given (`127.1`, `0`, a name), before resolution. */
  host: string;
  port: number;
  clock: Mock['clock'];
  mock: Mock;
  server: Server;
  /** Bound to a non-loopback address: /_mock then needs this token (X-Mock-Control-Token). */
  controlToken?: string;
  /** Whether the mock can be reached from other machines. */
  exposed: boolean;
  reset(): void;
  close(): Promise<void>;
}

/** Room for a 10 KB token in a repeated header; past it, a 400 in the error shape. */
export const MAX_HEADER_BYTES = 65_536;

/** Default seconds for a client to send its headers, and its whole request. */
export const HEADERS_TIMEOUT_SECONDS = 10;
export const REQUEST_TIMEOUT_SECONDS = 30;

/**
 * Requests Node's parser refuses before the mock sees them (headers too large, malformed
 * request lines, headers or a body that never finish) still get the spec's error shape,
 * and the connection closes.
 */
function clientErrorHandler(requestTimeoutSeconds: number) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    let error: ApiError;
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT') {
      error = ApiError.requestTimeout(requestTimeoutSeconds);
    } else {
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      error = ApiError.invalidRequest(tooLarge ? `The request headers are larger than ${MAX_HEADER_BYTES} bytes` : 'The request is not valid HTTP/1.1', {
        parameter: 'headers',
        location: 'header',
        schema_path: '#/paths',
        reason: tooLarge ? 'headers_too_large' : 'malformed_request',
      });
    }
    // The one error renderer, written by hand on the socket: node:http has no response here.
    const response = errorResponse(error, { Connection: 'close' });
    const head = Object.entries(response.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.end(`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status]}\r\n${head}\r\n${response.body ?? ''}`);
  };
}

/** Creates a mock and listens. Rejects (does not exit) when the port cannot be taken. */
export function startMockServer(options: StartOptions = {}): Promise<RunningMock> {
  const host = options.host ?? '127.0.0.1';
  const exposed = !isLoopbackAddress(host);
  // Reachable from the network: the control API needs a token, made here if none was given.
  const givenToken = options.controlToken ?? options.checkedConfig?.control_token ?? options.config?.control_token;
  const controlToken = givenToken ?? (exposed ? randomBytes(24).toString('base64url') : undefined);
  const mock = createMock({ ...options, boundHost: host, controlToken });
  const requestTimeout = options.requestTimeoutSeconds ?? REQUEST_TIMEOUT_SECONDS;
  const headersTimeout = Math.min(options.headersTimeoutSeconds ?? HEADERS_TIMEOUT_SECONDS, requestTimeout);
  return new Promise((resolve, reject) => {
    const server = createServer(
      {
        maxHeaderSize: MAX_HEADER_BYTES,
        // Deliberate limits, in seconds: a slow client gets a 408 in the error shape.
        headersTimeout: headersTimeout * 1000,
        requestTimeout: requestTimeout * 1000,
        connectionsCheckingInterval: Math.min(1000, headersTimeout * 500),
        // A request without Host reaches the mock, which answers it in the error shape.
        requireHostHeader: false,
      },
      mock.handler,
    );
    server.on('clientError', clientErrorHandler(requestTimeout));
    server.listen(options.port ?? 0, host);
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      resolve({
        url,
        baseUrl: `${url}${mock.spec.basePath}`,
        host,
        port,
        clock: mock.clock,
        mock,
        server,
        controlToken,
        exposed,
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
