// Fault rules on the node:http surface (startMockServer), over real sockets on port 0: each
// kind does what docs/faults.md says (a status in the spec's shape, a 429 whatever the budget,
// a late answer, a reset, a close, a hang, a cut body, a dribbled one), says so in
// X-Mock-Fault and the journal, and spends the budget x-cortex-fault-budget says, read from
// X-RateLimit-Remaining of the next request. No assertion on time: on what the client saw.
import { withMockServer } from '../helpers/mock-server';
import { bearer, KEYS, T0_ISO } from '../helpers/fixtures';
import { expectResponse } from '../helpers/expect-response';
import { controlProblems } from '../helpers/spec-check';
import { startMockServer } from '../../mock/server';
import { json, send, type Received } from './fault-client';
import { KINDS } from './fault-kinds';

jest.setTimeout(60_000);

const LIST = '/v1/scans?limit=1';
const READ = { headers: bearer(KEYS.read) };
const CONFIG = { clock: T0_ISO };

const remaining = (r: Received) => Number(r.headers?.['x-ratelimit-remaining']);

describe('fault rules on node:http', () => {
  it.each(KINDS)('$kind: does what the rule says, marks it, journals it and $budget budget', async ({ kind, fault, budget, saw }) => {
    await withMockServer({ config: CONFIG }, async (server) => {
      const before = await send(`${server.url}${LIST}`, READ);
      expect(before.headers?.['x-mock-fault']).toBeUndefined();
      const id = server.mock.faults.add({ match: { operation: 'listScans' }, when: { first: 1 }, fault });
      const faulted = await send(`${server.url}${LIST}`, READ);
      saw(faulted);
      if (faulted.status !== undefined) expect(faulted.headers?.['x-mock-fault']).toBe(`${id};kind=${kind}`);
      const after = await send(`${server.url}${LIST}`, READ);
      expectResponse({ status: after.status!, headers: after.headers, body: json(after) }, 200, 'listScans');
      expect(after.headers?.['x-mock-fault']).toBeUndefined();
      expect(remaining(before) - remaining(after)).toBe(budget === 'consumes' ? 2 : 1);

      const journal = await send(`${server.url}/_mock/journal`);
      const body = json(journal) as { data: Array<{ status: number; fault: unknown }> };
      expect(controlProblems('getJournal', { status: journal.status!, body })).toEqual([]);
      expect(body.data.map((e) => e.fault)).toEqual([null, { rule_id: id, kind, ...(kind === 'latency' ? { delay_ms: 20 } : {}) }, null]);
      if (faulted.status === undefined) expect(body.data[1].status).toBe(444);
      else expect(body.data[1].status).toBe(faulted.status);
      expect(server.mock.faults.list()[0]).toMatchObject({ id, seen: 2, fired: 1 });
    });
  });

  it('answers a request the limiter refuses with its 429 rather than a latency, hang, truncate or slow_body, and the rule neither counts nor fires', async () => {
    await withMockServer({ config: { ...CONFIG, plans: { developer: { requests_per_window: 1, window_seconds: 3600 } } } }, async (server) => {
      expect((await send(`${server.url}${LIST}`, READ)).status).toBe(200);
      for (const fault of [{ kind: 'latency', ms: 20 }, { kind: 'hang', ms: 30 }, { kind: 'truncate' }, { kind: 'slow_body', bytes_per_second: 10 }] as const) {
        server.mock.faults.clear();
        server.mock.faults.add({ when: { after: 0 }, fault });
        const refused = await send(`${server.url}${LIST}`, READ);
        expectResponse({ status: refused.status!, headers: refused.headers, body: json(refused) }, 429, 'listScans');
        expect(refused.headers?.['x-mock-fault']).toBeUndefined();
        expect(server.mock.faults.list()[0]).toMatchObject({ seen: 0, fired: 0 });
      }
    });
  });

  it('answers a status fault whatever the budget: a 503 when the window is spent, and Remaining stays 0', async () => {
    await withMockServer({ config: { ...CONFIG, plans: { developer: { requests_per_window: 1, window_seconds: 3600 } } } }, async (server) => {
      expect((await send(`${server.url}${LIST}`, READ)).status).toBe(200);
      const id = server.mock.faults.add({ when: { first: 1 }, fault: { kind: 'status', status: 503 } });
      const faulted = await send(`${server.url}${LIST}`, READ);
      expectResponse({ status: faulted.status!, headers: faulted.headers, body: json(faulted) }, 503, 'listScans');
      expect(faulted.headers?.['x-mock-fault']).toBe(`${id};kind=status`);
      expect(faulted.headers?.['retry-after']).toBe('1');
      expect(faulted.headers?.['x-ratelimit-remaining']).toBe('0');
    });
  });

  it('shapes a request without a key by a rule without key_id (a reset of the 401), but never by a status or rate_limit fault, which need a key and an operation', async () => {
    await withMockServer({ config: CONFIG }, async (server) => {
      const status = server.mock.faults.add({ when: { after: 0 }, fault: { kind: 'status', status: 503 } });
      const keyed = server.mock.faults.add({ match: { key_id: 'key_read' }, when: { after: 0 }, fault: { kind: 'close' } });
      const noKey = await send(`${server.url}${LIST}`);
      expectResponse({ status: noKey.status!, headers: noKey.headers, body: json(noKey) }, 401, 'listScans');
      expect(noKey.headers?.['x-mock-fault']).toBeUndefined();
      // No route, a read key: the keyed rule (no operation named) takes it, the status rule does not.
      const unrouted = await send(`${server.url}/v1/nowhere`, READ);
      expect(unrouted.error?.message).toBe('socket hang up');
      expect(server.mock.faults.list().map((r) => [r.id, r.seen])).toEqual([[status, 0], [keyed, 1]]);
      server.mock.faults.clear();
      server.mock.faults.add({ when: { first: 1 }, fault: { kind: 'reset' } });
      expect((await send(`${server.url}${LIST}`)).error?.message).toBe('read ECONNRESET');
    });
  });

  it('lets server.close() finish while a hang holds a request, and after a client that gave up on one', async () => {
    const server = await startMockServer({ config: CONFIG });
    let closed = false;
    try {
      server.mock.faults.add({ when: { after: 0 }, fault: { kind: 'hang', ms: 600_000 } });
      const gaveUp = await send(`${server.url}${LIST}`, { ...READ, timeoutMs: 30 });
      expect(gaveUp.error?.code).toBe('CLIENT_TIMEOUT');
      const held = send(`${server.url}${LIST}`, READ);
      // The second request is held once the journal has it (the hang is decided as it arrives).
      while (server.mock.journal.list().length < 2) await new Promise((r) => setImmediate(r));
      await server.close();
      closed = true;
      expect((await held).error?.message).toBe('socket hang up');
    } finally {
      if (!closed) await server.close();
    }
  });

  it('stops dribbling a slow body when the client goes, and server.close() then finishes', async () => {
    const server = await startMockServer({ config: CONFIG });
    try {
      server.mock.faults.add({ when: { after: 0 }, fault: { kind: 'slow_body', bytes_per_second: 1 } });
      const gaveUp = await send(`${server.url}${LIST}`, { ...READ, timeoutMs: 50 });
      expect(gaveUp.status).toBe(200);
      expect(gaveUp.error?.code).toBe('CLIENT_TIMEOUT');
      expect(gaveUp.bytes).toBeLessThan(Number(gaveUp.headers?.['content-length']));
    } finally {
      await server.close();
    }
  });

  it('keeps a GET synchronous with rules set: the core answers it without a promise, faulted or not', () => {
    return withMockServer({ config: CONFIG }, async (server) => {
      server.mock.faults.add({ match: { operation: 'listScans' }, when: { after: 0 }, fault: { kind: 'latency', ms: 50 } });
      server.mock.faults.add({ match: { operation: 'getScan' }, when: { after: 0 }, fault: { kind: 'status', status: 503 } });
      const request = { method: 'GET', url: LIST, headers: { host: '127.0.0.1', authorization: `Bearer ${KEYS.read}` }, headersDistinct: { host: ['127.0.0.1'], authorization: [`Bearer ${KEYS.read}`] }, httpVersion: '1.1', body: { kind: 'bytes' as const, bytes: new Uint8Array() } };
      const answered = server.mock.respond(request);
      expect(answered).not.toBeInstanceOf(Promise);
      expect((answered as { fault?: { kind: string } }).fault?.kind).toBe('latency');
      const whoami = server.mock.respond({ ...request, url: '/v1/whoami' });
      expect(whoami).not.toBeInstanceOf(Promise);
      expect((whoami as { fault?: unknown }).fault).toBeUndefined();
    });
  });
});
