// Slow clients on a TLS port meet the same limits as on a plain one: headers that never
// finish and a body that never ends get the 408, a plain request that never finishes gets
// the https_required 400, and a handshake that stops half-way is closed, each at the
// configured header or request timeout (docs/tls.md: never a hang).
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockServer, type RunningMock } from '../../mock/server';
import { expectResponse } from '../helpers/expect-response';
import { KEYS } from '../helpers/fixtures';
import { bodyOf, parsed } from '../helpers/raw-http';

jest.setTimeout(60_000);

/** Far beyond the timeouts below: a connection still open then is one the mock left hanging. */
const GIVE_UP_MS = 20_000;
const HANGING = 'still open';

let dir: string;
let running: RunningMock;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cortex-tls-slow-'));
  running = await startMockServer({ config: { log_level: 'silent' }, tls: true, tlsDir: dir, headersTimeoutSeconds: 1, requestTimeoutSeconds: 2 });
});
afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Writes `bytes` on `socket` once it is open and never ends its side; resolves with what the
 * server sent once it closes, or HANGING when it is still open after GIVE_UP_MS.
 */
function leftOpen(socket: Socket, bytes: string | Buffer, openEvent: 'connect' | 'secureConnect'): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const giveUp = setTimeout(() => {
      resolve(HANGING);
      socket.destroy();
    }, GIVE_UP_MS);
    socket.once(openEvent, () => socket.write(bytes));
    socket.on('data', (d) => (out += d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve(out);
    });
  });
}

const overTls = (bytes: string) => leftOpen(connectTls({ port: running.port, host: '127.0.0.1', servername: 'localhost', ca: running.ca }), bytes, 'secureConnect');
const overTcp = (bytes: string | Buffer) => leftOpen(connectTcp(running.port, '127.0.0.1'), bytes, 'connect');

describe('a TLS port with a header timeout of 1 s and a request timeout of 2 s', () => {
  it('answers headers that never finish over TLS with 408 in the error shape', async () => {
    const out = await overTls('GET /v1/scans HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(out).error).toEqual({ code: 'REQUEST_TIMEOUT', message: expect.any(String), details: { timeout_seconds: 2 } });
  });

  it('answers a body that never ends over TLS with 408 in the error shape', async () => {
    const out = await overTls(`POST /v1/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.write}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"target":`);
    expect(out).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(out).error).toEqual({ code: 'REQUEST_TIMEOUT', message: expect.any(String), details: { timeout_seconds: 2 } });
  });

  it('answers plain HTTP whose headers never finish with the https_required 400, and closes', async () => {
    const out = await overTcp('GET /v1/scans HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(out).not.toBe(HANGING);
    const res = parsed(out);
    expectResponse(res, 400, 'listScans');
    expect(res.body.error.details.reason).toBe('https_required');
    expect(res.headers.connection).toBe('close');
  });

  it('closes a TLS handshake that stops after its first bytes', async () => {
    await expect(overTcp(Buffer.from([0x16, 0x03, 0x01]))).resolves.toBe('');
  });
});
