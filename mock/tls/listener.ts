// One port, HTTPS and a clear answer to plain HTTP. A net.Server reads each connection's
// first byte: 0x16 opens a TLS handshake (RFC 8446 section 5.1, ContentType handshake(22)),
// and the socket goes to the https server; anything else is plain HTTP, and goes to a small
// node:http server. Both hand their requests to the mock's handler: the core, told it serves
// HTTPS, answers a plain one with a 400 in the error shape (`https_required`), logs and
// journals it under its request id, tells the conduct watch of a key sent in the clear
// (plaintext_http), and closes the connection.
// Why a 400 and not a redirect: a redirect teaches a client to follow http -> https, and
// the request that met it has already sent its key in the clear (a Bearer header, or
// ?api_key=); the 400 makes the developer fix the URL instead (docs/tls.md). Both paths keep
// the plain server's header and request timeouts, and a handshake gets the header timeout.
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { ApiError } from '../errors/api-error';

/** The TLS record type of a handshake, the first byte a TLS client sends. */
const TLS_HANDSHAKE = 0x16;

export interface TlsFront {
  /** What listens: it hands each connection to `secure` or `plain`. */
  listener: NetServer;
  /** The https server that answers TLS connections with the mock's handler. */
  server: HttpsServer;
  /** Takes plain HTTP, for the handler to answer with the 400. */
  plain: HttpServer;
  /** Ends every open connection of both servers. */
  closeAllConnections(): void;
}

/**
 * Makes the front, the https server (with `http` options and the certificate) and the plain
 * server. `handler` answers both: it must refuse a request that came as plain HTTP (the core
 * does, made with `servesTls`). `clientError` answers what the https server's parser refuses.
 */
export function createTlsFront(options: {
  http: ServerOptions;
  credentials: Pick<SecureContextOptions, 'key' | 'cert'>;
  handler: RequestListener;
  clientError: (err: NodeJS.ErrnoException, socket: Socket) => void;
  /** Writes an error in the spec's shape on a socket and closes it (for what node:http answers no request). */
  writeError: (error: ApiError, socket: Socket) => void;
  /** A connection that sends nothing for this long is closed (its server's timeouts start with its first byte). */
  firstByteTimeoutMs: number;
}): TlsFront {
  // A handshake gets the header timeout too (Node's default is 120 s): it comes before the headers.
  const secure = createHttpsServer({ ...options.http, ...options.credentials, handshakeTimeout: options.http.headersTimeout }, options.handler);
  secure.on('clientError', options.clientError);
  // A handshake that fails (the client refuses the certificate) only ends that connection.
  secure.on('tlsClientError', (_err, socket) => socket.destroy());
  const plain = createHttpServer(options.http, options.handler);
  // Whatever the parser refuses here (headers that never finish, too large, not HTTP at all)
  // came in plain text to a port that speaks HTTPS only: the answer is the same 400, with no
  // request to log (nor a key to read).
  plain.on('clientError', (_err: NodeJS.ErrnoException, socket: Socket) => options.writeError(ApiError.httpsRequired(), socket));
  // Every connection, handed on or not: one still in its handshake, or that has sent
  // nothing yet, is in neither server's list, and would hold close() open.
  const sockets = new Set<Socket>();
  const listener = createNetServer({ pauseOnConnect: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setTimeout(options.firstByteTimeoutMs, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    // A connection closed before its first byte has nothing to answer.
    socket.once('error', () => socket.destroy());
    socket.resume();
  });
  // node:http enforces headersTimeout and requestTimeout with a check it starts when its
  // server emits 'listening', and stops in close(). Neither server here listens (the front
  // hands them their sockets), so the front starts and stops the check for both; without it
  // a slow client on this port is never timed out.
  listener.on('listening', () => {
    secure.emit('listening');
    plain.emit('listening');
  });
  listener.on('close', () => {
    secure.close();
    plain.close();
  });
  return {
    listener,
    server: secure,
    plain,
    closeAllConnections() {
      secure.closeAllConnections();
      plain.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    },
  };
}
