// The edges of HTTP: slow and Host-less requests, clients that hang up, forced errors,
// echoes of input, reordered JSON under an Idempotency-Key, and memory bounded in bytes.
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { startMockServer } from '../../mock/server';
import { KEYS, bearer, testMock } from '../helpers/fixtures';
import { expectFetched, specStatus } from '../helpers/expect-response';
import { bodyOf, raw } from '../helpers/raw-http';
import { withMockServer } from '../helpers/mock-server';

// Lets the memory test collect garbage before it measures what the journal holds.
setFlagsFromString('--expose-gc');

function logged() {
  const lines: Array<Record<string, unknown>> = [];
  let first: () => void;
  const firstLine = new Promise<void>((r) => (first = r));
  const logger = pino({ level: 'info' }, new Writable({ write: (c, _e, done) => (lines.push(...String(c).split('\n').filter(Boolean).map((l) => JSON.parse(l))), first(), done()) }));
  return { lines, logger, firstLine };
}

describe('HTTP edges', () => {
  it('answers headers that never finish with 408 in the error shape, at the configured timeout', async () => {
    await withMockServer({ headersTimeoutSeconds: 1, requestTimeoutSeconds: 1 }, async (server) => {
      const out = await raw(server.port, 'GET /v1/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', true);
      expect(out).toMatch(/^HTTP\/1\.1 408 /);
      expect(bodyOf(out).error).toEqual({ code: 'REQUEST_TIMEOUT', message: expect.any(String), details: { timeout_seconds: 1 } });
    });
  });

  it('answers an HTTP/1.1 request without Host with 400 in the error shape', async () => {
    await withMockServer({}, async (server) => {
      const out = await raw(server.port, 'GET /v1/scans HTTP/1.1\r\nConnection: close\r\n\r\n');
      expect(out).toMatch(/^HTTP\/1\.1 400 /);
      expect(bodyOf(out).error).toMatchObject({ code: 'INVALID_REQUEST', details: { parameter: 'Host', reason: 'missing_host' } });
      const old = await raw(server.port, 'GET /v1/scans HTTP/1.0\r\n\r\n');
      expect(old).toMatch(/^HTTP\/1\.1 401 /);
    });
  });

  it('logs a client that hangs up mid-body once, at info, as "client aborted", and journals 499, never 500', async () => {
    const { lines, logger, firstLine } = logged();
    await withMockServer({ logger }, async (server) => {
      const socket = connect(server.port, '127.0.0.1');
      // Once the server has the headers, the pipeline waits for the rest of the body: hang up.
      server.server.once('request', () => setImmediate(() => socket.destroy()));
      socket.write(`POST /v1/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.write}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"target": "x`);
      await firstLine;
      expect(server.mock.journal.list().map((e) => e.status)).toEqual([499]);
      expect(lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
      expect(lines.map((l) => l.msg)).toEqual(['client aborted']);
      expect(lines[0]).toMatchObject({ level: 30, status: 499 });
    });
  });

  it('never logs a forced 503 as an error', async () => {
    const { lines, logger } = logged();
    const mock = testMock({ logger });
    await request(mock.handler).get('/v1/scans').set(bearer(KEYS.read)).set('Prefer', 'code=503').expect(specStatus(503));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[30, 'request']]);
  });

  it('never echoes input that could be a secret in an error', async () => {
    const mock = testMock();
    const secret = 'sk_test_pasted_by_mistake_0000000000001';
    const account = await request(mock.handler).post('/_mock/keys').send({ account_id: secret, name: 'x', permissions: [] }).expect(specStatus(400));
    expect(account.text).not.toContain('pasted_by_mistake');
    const id = await request(mock.handler).get(`/v1/api-keys/key_${secret}`).set(bearer(KEYS.admin)).expect(specStatus(404));
    expect(id.text).not.toContain('pasted_by_mistake');
    await request(mock.handler).post('/v1/users').set(bearer(KEYS.admin)).send({ email: `${secret}@corp.example`, name: 'A', role: 'viewer' }).expect(specStatus(201));
    const dup = await request(mock.handler).post('/v1/users').set(bearer(KEYS.admin)).send({ email: `${secret}@corp.example`, name: 'B', role: 'viewer' }).expect(specStatus(409));
    expect(dup.text).not.toContain('pasted_by_mistake');
  });

  it('replays an Idempotency-Key for the same JSON with its keys reordered and spaced differently', async () => {
    const mock = testMock();
    const send = (text: string) => request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).set('Idempotency-Key', 'k-1').set('Content-Type', 'application/json').send(text);
    const first = await send('{"target":"ws-1.corp.example","scan_type":"quick"}').expect(specStatus(201));
    const again = await send('{ "scan_type" : "quick",\n  "target": "ws-1.corp.example" }').expect(specStatus(201));
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    await send('{"scan_type":"full","target":"ws-1.corp.example"}').expect(specStatus(409));
  });
});

describe('memory bounded in bytes', () => {
  it('keeps the journal within its byte budget under 60 KB URLs, with the URLs cut', async () => {
    const server = await startMockServer({ config: { journal_max_bytes: 1_000_000 } });
    const mock = server.mock;
    const long = `${server.baseUrl}/scans?x=${'a'.repeat(60_000)}`;
    const gc = (await import('node:vm')).runInNewContext('gc') as () => void;
    await fetch(`${server.baseUrl}/whoami`);
    gc();
    const baseline = process.memoryUsage().heapUsed;
    try {
      for (let i = 0; i < 200; i++) expect((await fetch(long)).status).toBe(401);
    } finally {
      await server.close();
    }
    const size = mock.journal.size();
    expect(size.bytes).toBeLessThanOrEqual(1_000_000);
    // What is kept is a copy: a slice of each 60 KB URL would keep the whole URL alive.
    // Measured before anything reads the entries (reading can flatten them into copies).
    gc();
    expect(process.memoryUsage().heapUsed - baseline).toBeLessThan(6_000_000);
    const entries = mock.journal.list(100_000);
    expect(size.entries).toBeGreaterThan(50);
    expect(entries.at(-1)!.path.length).toBeLessThan(2_200);
    expect(entries.at(-1)!.path).toMatch(/more characters\]$/);
    expect(Buffer.byteLength(JSON.stringify(entries))).toBeLessThan(1_000_000);
  });

  it('keeps at most max_scans_per_account scans, dropping the oldest finished ones first', async () => {
    const mock = testMock({ config: { max_scans_per_account: 16, plans: { developer: { requests_per_window: 1000 } } } });
    const running = mock.state.scans.listOf('acct_developer').filter((s) => mock.state.scans.view(s, mock.clock.now()).status !== 'completed' && mock.state.scans.view(s, mock.clock.now()).status !== 'failed');
    for (let i = 0; i < 10; i++) await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).send({ target: `ws-${i}.corp.example`, scan_type: 'full' }).expect(specStatus(201));
    const kept = mock.state.scans.listOf('acct_developer');
    expect(kept.length).toBe(16);
    // The seeded running and queued scans survived; only finished ones were dropped.
    for (const scan of running) expect(kept).toContain(scan);
  });

  it('refuses a user or key past the per-account cap with 409', async () => {
    const mock = testMock({ config: { max_users_per_account: 6, max_keys_per_account: 8 } });
    const user = await request(mock.handler).post('/v1/users').set(bearer(KEYS.admin)).send({ email: 'new@corp.example', name: 'N', role: 'viewer' }).expect(specStatus(409));
    expect(user.body.error.details).toMatchObject({ reason: 'limit_reached', resource: 'user' });
    const key = await request(mock.handler).post('/v1/api-keys').set(bearer(KEYS.admin)).send({ name: 'n', permissions: [] }).expect(specStatus(409));
    expect(key.body.error.details).toMatchObject({ reason: 'limit_reached', resource: 'api_key' });
  });
});
