// The 503 store_unavailable of a shared store's outage, against a real redis-server, is a
// /v1 answer like any other for CORS: an allowed Origin gets Access-Control-Allow-Origin and
// the exposed headers (Retry-After among them), so a page can read the 503 and when to retry;
// a disallowed Origin gets none. Both ways to it: the sync a request waits for before it
// runs (a mock's first request), and the pipeline's own call to the store. The preflight
// before such a request needs no store, so an outage does not turn it into a 503.
import { createClock } from '../../mock/clock';
import { startMockServer, type RunningMock } from '../../mock/server';
import { KEYS, SPEC, T0, bearer } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';
import { withRedis } from '../helpers/redis-server';

jest.setTimeout(60_000);

const redis = withRedis();
const TIMEOUT_MS = 200;
const ALLOWED = 'http://localhost:5173';
const DISALLOWED = 'http://evil.example';

describe('the 503 of a shared store that cannot answer, seen from a browser page', () => {
  let server: RunningMock | undefined;
  afterEach(async () => {
    redis.current.resume();
    await server?.close();
    server = undefined;
  });

  const start = async (prefix: string) =>
    (server = await startMockServer({
      spec: SPEC,
      clock: createClock({ start: T0 }),
      config: { store: redis.current.url as `redis://${string}`, store_prefix: `${prefix}-${process.pid}:`, store_timeout_ms: TIMEOUT_MS, cors: { enabled: true, origins: [ALLOWED] } },
    }));
  const get = (origin: string) => fetch(`${server!.baseUrl}/scans`, { headers: { ...bearer(KEYS.read), Origin: origin } });

  async function expectUnavailable(res: Response) {
    await expectFetched(res, 503, 'listScans');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
    const body = (await res.json()) as { error: { code: string; details: Record<string, unknown> } };
    expect(body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { reason: 'store_unavailable', retry_after_seconds: 1 } });
  }
  function expectReadableBy(res: Response, origin: string) {
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').split(/,\s*/).map((h) => h.toLowerCase());
    expect(exposed).toEqual(expect.arrayContaining(['retry-after', 'x-request-id']));
  }
  function expectOpaqueTo(res: Response) {
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-expose-headers')).toBeNull();
  }

  /** The 503 of the outage, readable by the allowed origin's page and opaque to another's. */
  async function expectOutageReadableOnlyByAllowed() {
    const allowed = await get(ALLOWED);
    await expectUnavailable(allowed);
    expectReadableBy(allowed, ALLOWED);
    const disallowed = await get(DISALLOWED);
    await expectUnavailable(disallowed);
    expectOpaqueTo(disallowed);
  }

  it('carries CORS for an allowed Origin, and none for another, when the first sync meets the store away', async () => {
    await start('cors-sync');
    // Paused before the mock's first request: the sync it waits for before running times out.
    redis.current.pause();
    await expectOutageReadableOnlyByAllowed();
  });

  it('answers a preflight 204 while the store is away (it reads no state), so the page goes on to read the 503', async () => {
    await start('cors-preflight');
    redis.current.pause();
    const preflight = await fetch(`${server!.baseUrl}/scans`, { method: 'OPTIONS', headers: { Origin: ALLOWED, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' } });
    expect(preflight.status).toBe(204);
    expect(await preflight.text()).toBe('');
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect((preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase()).toMatch(/\bauthorization\b/);
    const after = await get(ALLOWED);
    await expectUnavailable(after);
    expectReadableBy(after, ALLOWED);
  });

  it('carries CORS for an allowed Origin, and none for another, when the pipeline meets the store away', async () => {
    await start('cors-pipeline');
    const ok = await get(ALLOWED);
    await expectFetched(ok, 200, 'listScans');
    expectReadableBy(ok, ALLOWED);
    redis.current.pause();
    await expectOutageReadableOnlyByAllowed();
  });
});
