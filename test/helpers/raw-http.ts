// HTTP written and read by hand on a socket, for the requests a client library will not
// send (two Host lines, an absolute-form target, a header that never ends, no HTTP at all).
import { connect } from 'node:net';

/**
 * Writes `text` on a raw socket to 127.0.0.1:`port` and resolves with everything the server
 * sends back, once the socket closes. With `keepOpen` the client does not end its side, so
 * the server is the one that closes (a request left unfinished).
 */
export function raw(port: number, text: string, keepOpen = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => (keepOpen ? socket.write(text) : socket.end(text)));
    let out = '';
    socket.on('data', (d) => (out += d));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

/** The JSON body of a raw response (what follows the blank line). */
export const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));

/** A raw response as expectResponse reads it: status, lower-case headers, the JSON body. */
export function parsed(response: string) {
  const head = response.slice(0, response.indexOf('\r\n\r\n')).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
  return { status: Number(head[0].split(' ')[1]), headers, body: bodyOf(response) };
}
