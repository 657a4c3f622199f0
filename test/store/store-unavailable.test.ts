// What the pipeline makes of a store that cannot answer (no Redis needed here: a handler
// throws or rejects as a store call would): 503 SERVICE_UNAVAILABLE with
// `details.reason: store_unavailable` and Retry-After, in the spec's shape, never a 500, and
// not logged as a bug of the mock.
import request from 'supertest';
import { HANDLERS } from '../../mock/domain/operations';
import type { AnyHandler } from '../../mock/domain/operations/types';
import { ApiError } from '../../mock/errors/api-error';
import { StoreUnavailableError } from '../../mock/store/redis';
import { KEYS, bearer, captureLogs, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';

const parsed = (lines: string[]): Array<Record<string, unknown>> => lines.map((l) => JSON.parse(l));

describe('a store that cannot answer', () => {
  const unavailable = (): never => {
    throw new StoreUnavailableError('limiter: no reply within 1000 ms');
  };

  it.each([
    ['a GET, answered in the same tick', 'listScans', (mock: ReturnType<typeof testMock>) => request(mock.handler).get('/v1/scans').set(bearer(KEYS.read))],
    ['a POST, answered once its body is read', 'createScan', (mock: ReturnType<typeof testMock>) => request(mock.handler).post('/v1/scans').set(bearer(KEYS.admin)).send({ target: 'ws-0142.corp.example', scan_type: 'quick' })],
  ])('gets 503 store_unavailable with Retry-After for %s, and is no bug', async (_what, operationId, send) => {
    const { lines, logger } = captureLogs();
    const mock = testMock({ logger, handlers: { ...(HANDLERS as Record<string, AnyHandler>), [operationId]: unavailable as AnyHandler } });
    const res = await send(mock).expect(specStatus(503));
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: 'The mock cannot reach its store; retry after Retry-After seconds', details: { retry_after_seconds: 1, reason: 'store_unavailable' } },
    });
    // The store's own words (which could name its host) stay in the mock.
    expect(res.text).not.toMatch(/no reply|limiter/);
    expect(parsed(lines).filter((l) => l.msg === 'unhandled error')).toEqual([]);
    expect(parsed(lines).find((l) => l.msg === 'request')).toMatchObject({ status: 503, error: 'SERVICE_UNAVAILABLE', op: operationId });
  });

  it('renders ApiError.storeUnavailable with the Retry-After it is given', () => {
    const error = ApiError.storeUnavailable(3);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', details: { retry_after_seconds: 3, reason: 'store_unavailable' }, headers: { 'Retry-After': '3' } });
  });
});
