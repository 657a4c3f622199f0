// Fault rules on the MSW surface (msw/node's setupServer, Node's fetch): what a client sees
// for every kind. status and rate_limit are answers in the spec's shape; reset, close and
// hang are network errors (a hang's only after `ms`, or the client's own abort first);
// latency is MSW's delay, then the normal answer; truncate is the status and headers with
// the full Content-Length and a body that fails after the cut; slow_body is the whole body,
// a chunk at a time. Every shaped response says X-Mock-Fault, every journal entry the rule.
import { setupServer, type SetupServerApi } from 'msw/node';
import { createMswHandlers, type MswMock } from '../../mock/surfaces/msw';
import { KEYS, T0_ISO } from '../helpers/fixtures';
import { expectFetched, expectResponse } from '../helpers/expect-response';

const BASE = 'https://api.cortex-edr.com/v1';

describe('fault rules through the MSW handlers', () => {
  let msw: MswMock;
  let server: SetupServerApi;
  beforeEach(() => {
    msw = createMswHandlers({ baseUrl: BASE, config: { clock: T0_ISO } });
    server = setupServer(...msw.handlers);
    server.listen({ onUnhandledRequest: 'error' });
  });
  afterEach(() => server.close());

  const scans = (init: RequestInit = {}) => fetch(`${BASE}/scans`, { ...init, headers: { Authorization: `Bearer ${KEYS.read}` } });
  const faultsInJournal = () => msw.mock.journal.list().map((e) => (e as unknown as { fault: unknown }).fault);
  /** Settles after a few turns of the event loop, well short of any delay the rules ask. */
  const turns = async (n = 5) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };

  it('answers the first 2 with a 503 in the spec shape with Retry-After and X-Mock-Fault, then normally', async () => {
    const id = msw.mock.faults.add({ match: { operation: 'listScans' }, when: { first: 2 }, fault: { kind: 'status', status: 503, retry_after: 2 } });
    for (let i = 0; i < 2; i++) {
      const res = await scans();
      await expectFetched(res, 503, 'listScans');
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.headers.get('x-mock-fault')).toBe(`${id};kind=status`);
    }
    const ok = await scans();
    await expectFetched(ok, 200, 'listScans');
    expect(ok.headers.get('x-mock-fault')).toBeNull();
    expect(faultsInJournal()).toEqual([{ rule_id: id, kind: 'status' }, { rule_id: id, kind: 'status' }, null]);
    expect(msw.mock.faults.list()).toMatchObject([{ id, seen: 3, fired: 2 }]);
  });

  it('answers a rate_limit fault with a 429 in the spec shape with Retry-After, whatever the budget', async () => {
    // 45 s: past the 30 s the window has left at T0, which Retry-After is never below.
    const id = msw.mock.faults.add({ when: { first: 1 }, fault: { kind: 'rate_limit', retry_after: 45 } });
    const res = await scans();
    await expectFetched(res, 429, 'listScans');
    expect(res.headers.get('retry-after')).toBe('45');
    expect(res.headers.get('x-mock-fault')).toBe(`${id};kind=rate_limit`);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMIT_EXCEEDED');
  });

  it.each(['reset', 'close'] as const)('makes a %s a network error: the fetch rejects with no response, and the journal names the rule', async (kind) => {
    const id = msw.mock.faults.add({ when: { first: 1 }, fault: { kind } });
    await expect(scans()).rejects.toThrow(TypeError);
    expect(faultsInJournal()).toEqual([{ rule_id: id, kind }]);
    await expectFetched(await scans(), 200, 'listScans');
  });

  it('holds a hang until the client gives up: its own timeout fires, then the next request is answered', async () => {
    const id = msw.mock.faults.add({ when: { first: 1 }, fault: { kind: 'hang', ms: 600_000 } });
    const err = await scans({ signal: AbortSignal.timeout(100) }).catch((e: unknown) => e as Error);
    expect((err as Error).name).toBe('TimeoutError');
    expect(faultsInJournal()).toEqual([{ rule_id: id, kind: 'hang' }]);
    await expectFetched(await scans(), 200, 'listScans');
  });

  it('ends a hang with a network error once its ms have passed, for a client with no timeout', async () => {
    msw.mock.faults.add({ when: { first: 1 }, fault: { kind: 'hang', ms: 50 } });
    await expect(scans()).rejects.toThrow(TypeError);
  });

  it('answers a latency fault late, through MSW delay, with the normal answer and X-Mock-Fault', async () => {
    const id = msw.mock.faults.add({ when: { first: 1 }, fault: { kind: 'latency', ms: 300 } });
    let settled = false;
    const pending = scans().then((res) => {
      settled = true;
      return res;
    });
    await turns();
    // Not answered while MSW's delay runs: a request with no rule is answered in these turns.
    expect(settled).toBe(false);
    const res = await pending;
    await expectFetched(res, 200, 'listScans');
    expect(res.headers.get('x-mock-fault')).toBe(`${id};kind=latency`);
  });

  it('truncates a body: the status and full Content-Length come, the body fails after the cut', async () => {
    const id = msw.mock.faults.add({ when: { first: 1 }, fault: { kind: 'truncate', bytes: 40 } });
    const res = await scans();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-mock-fault')).toBe(`${id};kind=truncate`);
    const length = Number(res.headers.get('content-length'));
    expect(length).toBeGreaterThan(40);
    const reader = res.body!.getReader();
    let got = 0;
    const failure = await (async () => {
      for (;;) {
        const next = await reader.read();
        if (next.done) return null;
        got += next.value.length;
      }
    })().catch((e: unknown) => e as Error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(got).toBe(40);
    expect(faultsInJournal()).toEqual([{ rule_id: id, kind: 'truncate' }]);
  });

  it('makes a truncated body fail res.json(), as a cut connection does', async () => {
    msw.mock.faults.add({ when: { first: 1 }, fault: { kind: 'truncate' } });
    await expect((await scans()).json()).rejects.toThrow(TypeError);
  });

  it('dribbles a slow body a chunk at a time, and the whole body arrives, valid', async () => {
    const id = msw.mock.faults.add({ when: { first: 1 }, fault: { kind: 'slow_body', bytes_per_second: 20_000 } });
    const res = await scans();
    expect(res.headers.get('x-mock-fault')).toBe(`${id};kind=slow_body`);
    const reader = res.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    expect(Buffer.byteLength(text)).toBe(Number(res.headers.get('content-length')));
    // 2,000 bytes a tick: a body of several KB comes in several chunks.
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(2_000);
    expectResponse({ status: res.status, headers: res.headers, body: JSON.parse(text) }, 200, 'listScans');
  });

  it('takes a rule of every kind the spec lets the msw surface express', () => {
    for (const fault of [
      { kind: 'status', status: 503 },
      { kind: 'rate_limit' },
      { kind: 'latency', ms: 1 },
      { kind: 'reset' },
      { kind: 'close' },
      { kind: 'hang' },
      { kind: 'truncate' },
      { kind: 'slow_body', bytes_per_second: 10 },
    ]) {
      expect(msw.mock.faults.add({ when: { first: 1 }, fault } as never)).toMatch(/^flt_\d+$/);
    }
  });
});
