// A status fault's budget and headers follow the stage of x-cortex-check-order that decides
// its status (control.yaml StatusFault's x-cortex-decided-by, docs/faults.md): a 401 is the
// credentials' (before the limiter: counts nothing, no rate-limit fields, as the mock's own
// 401), a 429 the limiter's (free, as every 429), the rest consume. And truncate or slow_body
// never fires on an answer with no body (HEAD, a 204 operation): its `first` stays unspent.
// A CORS preflight never reaches a rule.
// structured-headers 2 names its types only in package.json "exports" (see test/limits/ietf-wiring.test.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseList } = require('structured-headers') as typeof import('../../node_modules/structured-headers/cjs/index.cjs');
import { withMockServer } from '../helpers/mock-server';
import { bearer, KEYS, T0_ISO } from '../helpers/fixtures';
import { expectResponse } from '../helpers/expect-response';
import { json, send, type Received } from './fault-client';

jest.setTimeout(60_000);

const READ = { headers: bearer(KEYS.read) };
const LIMITED = { clock: T0_ISO, plans: { developer: { requests_per_window: 5, window_seconds: 3600 } } };
/** The `t` of the RateLimit field (RFC 9651, parsed by structured-headers). */
const secondsToReset = (r: Received) => (parseList(String(r.headers?.ratelimit))[0][1] as Map<string, unknown>).get('t') as number;
const remaining = (r: Received) => Number(r.headers?.['x-ratelimit-remaining']);
const checked = (r: Received, status: number, op: string) => expectResponse({ status: r.status!, headers: r.headers, body: json(r) }, status, op);
/** The headers of a response that are not about this one exchange. */
const shapeOf = (r: Received) => {
  const { date, 'x-mock-fault': _fault, 'x-request-id': _id, 'content-length': _length, ...rest } = r.headers ?? {};
  return rest;
};

describe('a status fault is counted where the check order decides its status', () => {
  it('does not consume budget for a status 429 fault, as a 429 never does', async () => {
    await withMockServer({ config: LIMITED }, async (server) => {
      const first = await send(`${server.url}/v1/whoami`, READ);
      checked(first, 200, 'getWhoami');
      expect(remaining(first)).toBe(4);
      const id = server.mock.faults.add({ match: { operation: 'listScans' }, when: { first: 1 }, fault: { kind: 'status', status: 429 } });
      const faulted = await send(`${server.url}/v1/scans`, READ);
      checked(faulted, 429, 'listScans');
      expect(faulted.headers?.['x-mock-fault']).toBe(`${id};kind=status`);
      expect(faulted.headers?.['x-ratelimit-remaining']).toBe('0');
      // The window is what the client waits for: Retry-After is never earlier than `t`.
      expect(Number(faulted.headers?.['retry-after'])).toBeGreaterThanOrEqual(secondsToReset(faulted));
      const next = await send(`${server.url}/v1/whoami`, READ);
      expect(remaining(next)).toBe(3);
    });
  });

  it('answers a status 401 fault as the mock answers a rejected key: no budget spent and no rate-limit fields', async () => {
    await withMockServer({ config: LIMITED }, async (server) => {
      const real = await send(`${server.url}/v1/scans`, { headers: bearer(KEYS.expired) });
      checked(real, 401, 'listScans');
      const first = await send(`${server.url}/v1/whoami`, READ);
      expect(remaining(first)).toBe(4);
      const id = server.mock.faults.add({ match: { operation: 'listScans' }, when: { first: 1 }, fault: { kind: 'status', status: 401 } });
      const faulted = await send(`${server.url}/v1/scans`, READ);
      checked(faulted, 401, 'listScans');
      expect(faulted.headers?.['x-mock-fault']).toBe(`${id};kind=status`);
      expect(shapeOf(faulted)).toEqual(shapeOf(real));
      expect(json(faulted)).toEqual(json(real));
      expect(Object.keys(faulted.headers ?? {}).filter((h) => /ratelimit/i.test(h))).toEqual([]);
      const next = await send(`${server.url}/v1/whoami`, READ);
      expect(remaining(next)).toBe(3);
    });
  });

  it('consumes budget for a status the operation decides (503)', async () => {
    await withMockServer({ config: LIMITED }, async (server) => {
      expect(remaining(await send(`${server.url}/v1/whoami`, READ))).toBe(4);
      server.mock.faults.add({ match: { operation: 'listScans' }, when: { first: 2 }, fault: { kind: 'status', status: 503 } });
      const unavailable = await send(`${server.url}/v1/scans`, READ);
      checked(unavailable, 503, 'listScans');
      expect(remaining(unavailable)).toBe(3);
      // Budget left: the 503 carries its own Retry-After, earlier than the window's `t`.
      expect(unavailable.headers?.['retry-after']).toBe('1');
      expect(secondsToReset(unavailable)).toBeGreaterThan(1);
      expect(remaining(await send(`${server.url}/v1/scans`, READ))).toBe(2);
    });
  });
});

describe('a body fault never fires on an answer with no body', () => {
  it.each([
    { kind: 'truncate', fault: { kind: 'truncate', fraction: 0.5 } },
    { kind: 'slow_body', fault: { kind: 'slow_body', bytes_per_second: 100_000 } },
  ])('$kind: a HEAD neither fires nor spends first: 1, and the next GET is shaped', async ({ kind, fault }) => {
    await withMockServer({ config: { clock: T0_ISO } }, async (server) => {
      const id = server.mock.faults.add({ match: { path: '/scans' }, when: { first: 1 }, fault });
      const head = await send(`${server.url}/v1/scans`, { ...READ, method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers?.['x-mock-fault']).toBeUndefined();
      expect(server.mock.faults.list()[0]).toMatchObject({ id, fired: 0 });
      expect(server.mock.journal.list()[0]).toMatchObject({ fault: null });
      const get = await send(`${server.url}/v1/scans`, READ);
      expect(get.headers?.['x-mock-fault']).toBe(`${id};kind=${kind}`);
      expect(server.mock.faults.list()[0]).toMatchObject({ id, fired: 1 });
    });
  });

  it('does not fire a truncate on deleteUser, whose success is a 204 (its 404 keeps its body too)', async () => {
    await withMockServer({ config: { clock: T0_ISO } }, async (server) => {
      const id = server.mock.faults.add({ match: { operation: 'deleteUser' }, when: { first: 1 }, fault: { kind: 'truncate' } });
      const missing = await send(`${server.url}/v1/users/usr_nobody`, { headers: bearer(KEYS.admin), method: 'DELETE' });
      checked(missing, 404, 'deleteUser');
      expect(missing.headers?.['x-mock-fault']).toBeUndefined();
      expect(server.mock.faults.list()[0]).toMatchObject({ id, seen: 0, fired: 0 });
    });
  });
});

describe('a CORS preflight is answered before the stages', () => {
  it('is never matched by a rule, not even one with an empty match', async () => {
    await withMockServer({ config: { clock: T0_ISO } }, async (server) => {
      server.mock.faults.add({ when: { after: 0 }, fault: { kind: 'reset' } });
      const preflight = await send(`${server.url}/v1/scans`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      });
      expect(preflight.error).toBeUndefined();
      expect(preflight.status).toBe(204);
      expect(preflight.headers?.['x-mock-fault']).toBeUndefined();
      expect(server.mock.faults.list()[0]).toMatchObject({ seen: 0, fired: 0 });
    });
  });
});
