// Starts a mock on a port (0 for a free one) for SDK test suites and the CLI.
import { randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { isLoopbackAddress } from './http/host-check';
import { createMock, type Mock, type MockOptions } from './app';
import { ApiError } from './errors/api-error';
import { errorResponse } from './http/render';
import { createListener } from './surfaces/node';
import type { TlsProfileView, TlsView } from './tls/view';
import type { RedisStore } from './store/redis';
import { StoreUnavailableError } from './errors/store-unavailable';

export interface StartOptions extends MockOptions {
  /** 0 (the default here) picks a free port. */
  port?: number;
  host?: string;
  /** How long a client may take to send its headers, and its whole request (seconds). */
  headersTimeoutSeconds?: number;
  requestTimeoutSeconds?: number;
  /**
   * Serve HTTPS (the CLI's --tls): the local CA's certificate for localhost, 127.0.0.1 and
   * ::1, or your own (`tlsCert`, `tlsKey`). Plain HTTP to the port gets a 400 (docs/tls.md).
   */
  tls?: boolean;
  /** The CA's cache folder (--tls-dir); the user's cache directory by default. */
  tlsDir?: string;
  /** Your own certificate and key, PEM files (--tls-cert, --tls-key). */
  tlsCert?: string;
  tlsKey?: string;
  /** With `tls`: one more port per bad-certificate profile (--tls-profiles). */
  tlsProfiles?: boolean;
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
  /** The server that answers requests: node:http's, or node:https's with `tls`. */
  server: Server | HttpsServer;
  /** What listens on the port: `server` itself, or with `tls` the front that tells TLS from plain HTTP. */
  listener: NetServer;
  /** With `tls`: the CA to trust (PEM), unless your own certificate is served without profiles. */
  ca?: string;
  /** With `tls`: where the CA is on disk (NODE_EXTRA_CA_CERTS, curl --cacert). */
  caPath?: string;
  /** With `tlsProfiles`: each bad-certificate profile's URL and the error a validating client raises. */
  profiles?: TlsProfileView[];
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
    writeSocketError(error, socket);
  };
}

/** Writes `error` in the spec's shape on a socket node:http has no response for, and closes it. */
function writeSocketError(error: ApiError, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // The one error renderer, written by hand on the socket: node:http has no response here.
  const response = errorResponse(error, { Connection: 'close' });
  const head = Object.entries(response.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status]}\r\n${head}\r\n${response.body ?? ''}`);
}

/** Listens on `port`; resolves with the port taken. */
function listen(server: NetServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

interface Served {
  server: Server | HttpsServer;
  listener: NetServer;
  closeAllConnections(): void;
}

/** Creates a mock and listens. Rejects (does not exit) when the port cannot be taken, or the TLS set-up fails (a TlsSetupError naming the flag). */
export async function startMockServer(options: StartOptions = {}): Promise<RunningMock> {
  const host = options.host ?? '127.0.0.1';
  const exposed = !isLoopbackAddress(host);
  // Reachable from the network: the control API needs a token, made here if none was given.
  const givenToken = options.controlToken ?? options.checkedConfig?.control_token ?? options.config?.control_token;
  const controlToken = givenToken ?? (exposed ? randomBytes(24).toString('base64url') : undefined);
  const useTls = options.tls === true || options.tlsCert !== undefined || options.tlsKey !== undefined;
  // Read before the mock is made, so a bad certificate stops start-up before anything listens.
  const tls = useTls ? await (await import('./tls')).setUpTls(tlsOptionsOf(options)) : undefined;
  let view: TlsView | undefined;
  const mock = createMock({ ...options, boundHost: host, controlToken, tlsView: () => view, servesTls: useTls });
  // Instances that share a store must share a config: a differing one refuses to start.
  if (mock.store) await checkConfigOf(mock, mock.store);
  const requestTimeout = options.requestTimeoutSeconds ?? REQUEST_TIMEOUT_SECONDS;
  const headersTimeout = Math.min(options.headersTimeoutSeconds ?? HEADERS_TIMEOUT_SECONDS, requestTimeout);
  const http: ServerOptions = {
    maxHeaderSize: MAX_HEADER_BYTES,
    // Deliberate limits, in seconds: a slow client gets a 408 in the error shape.
    headersTimeout: headersTimeout * 1000,
    requestTimeout: requestTimeout * 1000,
    connectionsCheckingInterval: Math.min(1000, headersTimeout * 500),
    // A request without Host reaches the mock, which answers it in the error shape.
    requireHostHeader: false,
  };
  const clientError = clientErrorHandler(requestTimeout);
  const secure = async (credentials: { key: string; cert: string }, handler: RequestListener = mock.handler): Promise<Served> =>
    (await import('./tls')).createTlsFront({ http, credentials, handler, clientError, writeError: writeSocketError, firstByteTimeoutMs: headersTimeout * 1000 });
  // A profile's port tells each request its profile: a request that completes there is the conduct rule accepted_bad_certificate.
  const onProfile = (tlsProfile: string): RequestListener =>
    createListener({ isApiUrl: mock.isApiUrl, respond: mock.respond, requests: mock.requests, servesTls: mock.servesTls, app: (req, res) => mock.app(req, res) }, { tlsProfile });
  let main: Served;
  if (tls) main = await secure(tls.credentials);
  else {
    const server = createServer(http, mock.handler);
    server.on('clientError', clientError);
    main = { server, listener: server, closeAllConnections: () => server.closeAllConnections() };
  }
  const profiles = tls ? await Promise.all(tls.profiles.map(async (p) => ({ ...p, served: await secure({ key: p.credentials.keyPem, cert: p.credentials.chainPem }, onProfile(p.name)) }))) : [];
  const all = [main, ...profiles.map((p) => p.served)];
  const closeAll = () => Promise.all(all.map((s) => new Promise<void>((done) => {
    if (!s.listener.listening) return done();
    s.listener.close(() => done());
    s.closeAllConnections();
  })));
  const urlOf = (port: number) => `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let port: number;
  let profileViews: TlsProfileView[];
  try {
    port = await listen(main.listener, options.port ?? 0, host);
    profileViews = [];
    for (const p of profiles) profileViews.push({ name: p.name, url: urlOf(await listen(p.served.listener, 0, host)), expected_error: p.expected_error });
  } catch (err) {
    await closeAll();
    throw err;
  }
  if (tls) view = { ca_pem: tls.ca?.pem ?? null, profiles: profileViews };
  const url = urlOf(port);
  return {
    url,
    baseUrl: `${url}${mock.spec.basePath}`,
    host,
    port,
    clock: mock.clock,
    mock,
    server: main.server,
    listener: main.listener,
    ...(tls ? { ca: tls.ca?.pem, caPath: tls.ca?.path, profiles: profileViews } : {}),
    controlToken,
    exposed,
    reset: mock.reset,
    close: async () => {
      await closeAll();
      await mock.close();
    },
  };
}

/**
 * Rejects with SharedConfigError (and lets go of the store) when another instance on the store
 * runs another config. A store away at start-up is no reason not to start: requests get 503
 * until it is back (docs/scaling.md).
 */
async function checkConfigOf(mock: Mock, store: RedisStore): Promise<void> {
  const { checkSharedConfig } = require('./store/config-fingerprint') as typeof import('./store/config-fingerprint');
  try {
    await checkSharedConfig(store, mock.config);
  } catch (err) {
    if (err instanceof StoreUnavailableError) return;
    await mock.close();
    throw err;
  }
}

/** The TLS set-up's options (mock/tls's TlsOptions; its types stay out of this file's declarations, so a consumer's tsc never reads the certificate library's). */
function tlsOptionsOf(options: StartOptions): { dir?: string; certFile?: string; keyFile?: string; profiles?: boolean } {
  return { dir: options.tlsDir, certFile: options.tlsCert, keyFile: options.tlsKey, profiles: options.tlsProfiles };
}
