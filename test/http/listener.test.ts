// The server's listener sends /v1 straight to the pipeline and everything else to Express.
// Both roads must give the same answers: supertest suites use the Express one, SDK suites
// and the contract harness the direct one.
import request from 'supertest';
import { startMockServer, type RunningMock } from '../../mock/server';
import { buildRequest } from '../helpers/requests';
import { KEYS, SPEC, testMock, T0_ISO } from '../helpers/fixtures';

const CLOCK = { clock: T0_ISO };
// Headers that differ between two mocks by design: the request counter and connection.
const VARYING = new Set(['x-request-id', 'connection', 'keep-alive', 'date']);

// A generated secret (and the last4 it gives its key) is random in every mock.
const maskSecrets = (body: string) => body.replace(/"secret":"sk_(test|live)_[A-Za-z0-9]{32}"/g, '"secret":"<secret>"').replace(/"last4":"[A-Za-z0-9]{4}"(?=.*"secret":"<secret>")/g, '"last4":"<secret>"');

const comparable = (status: number, headers: Record<string, string>, body: string) => ({
  status,
  headers: Object.fromEntries(Object.entries(headers).filter(([k]) => !VARYING.has(k.toLowerCase())).map(([k, v]) => [k.toLowerCase(), v])),
  body: maskSecrets(body),
});

describe('the listening mock', () => {
  let server: RunningMock;
  beforeEach(async () => {
    server = await startMockServer({ config: CLOCK });
  });
  afterEach(() => server.close());

  it('answers every operation exactly as the Express app does', async () => {
    const viaExpress = testMock({ config: CLOCK });
    for (const op of SPEC.operations) {
      // Each operation on fresh data, so a delete does not turn the next call into a 404.
      server.reset();
      viaExpress.reset();
      const built = buildRequest(viaExpress, op);
      const send = async (base: string | unknown) => {
        let req = (request(base as string) as unknown as Record<string, (path: string) => request.Test>)[op.method](built.path).set('Authorization', `Bearer ${KEYS.admin}`);
        if (built.body !== undefined) req = req.send(built.body as object);
        const res = await req;
        return comparable(res.status, res.headers as Record<string, string>, res.text);
      };
      const direct = await send(server.url);
      const express = await send(viaExpress.app);
      expect({ op: op.operationId, ...direct }).toEqual({ op: op.operationId, ...express });
      expect({ op: op.operationId, status: direct.status, body: direct.body.slice(0, 300) }).toEqual({ op: op.operationId, status: op.successStatus, body: expect.anything() });
    }
  });

  it.each([
    ['/v1', 401],
    ['/v1?limit=1', 401],
    ['/v1/scans', 401],
    ['/v1x/scans', 404],
    ['/V1/scans', 404],
    ['/nope', 404],
    ['/openapi.json', 200],
    ['/_mock/clock', 200],
    ['/docs/', 200],
  ])('routes %s without a key to %i', async (path, status) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('x-request-id')).toMatch(/^req_\d{6}$/);
    if (status !== 200) expect(((await res.json()) as { error: { code: string } }).error.code).toBe(status === 401 ? 'UNAUTHORIZED' : 'NOT_FOUND');
  });

  it('journals API requests from either road, with secrets redacted', async () => {
    await fetch(`${server.baseUrl}/scans?api_key=${KEYS.read}`);
    await fetch(`${server.url}/openapi.json`);
    const journal = (await (await fetch(`${server.url}/_mock/journal`)).json()) as { data: Array<{ path: string; status: number; key_id: string; at: string }> };
    expect(journal.data).toEqual([
      expect.objectContaining({ path: '/v1/scans?api_key=[REDACTED]', status: 200, key_id: expect.stringMatching(/^key_/), at: T0_ISO }),
    ]);
  });
});
