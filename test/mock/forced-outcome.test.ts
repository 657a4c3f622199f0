// Prefer: code=NNN (Prism-compatible) forces any status the spec documents for the
// operation, with a spec-valid body and consistent headers; anything else is a 400.
import request from 'supertest';
import { KEYS, SPEC, bearer, testMock } from '../helpers/fixtures';
import { buildRequest } from '../helpers/requests';
import { specProblems } from '../helpers/spec-check';
import { expectResponse, specStatus } from '../helpers/expect-response';

const cases = SPEC.operations.flatMap((op) =>
  Object.keys(op.responses).map((status) => [op.operationId, Number(status), op] as const),
);

describe('Prefer: code=NNN', () => {
  it.each(cases)('%s forced to %i answers that status with a spec-valid body and headers', async (_id, status, op) => {
    const mock = testMock();
    const r = buildRequest(mock, op);
    let req = (request(mock.app) as unknown as Record<string, (u: string) => request.Test>)[r.method](r.path)
      .set(bearer(KEYS.admin))
      .set('Prefer', `code=${status}`);
    if (r.body !== undefined) req = req.send(r.body as object);
    const res = await req;
    expectResponse(res, status);
    expect(specProblems(op, res)).toEqual([]);
    if (status === 429) {
      const nowSeconds = Math.floor(mock.clock.now() / 1000);
      expect(Number(res.headers['retry-after'])).toBe(Number(res.headers['x-ratelimit-reset']) - nowSeconds);
      expect(res.body.error.details.retry_after_seconds).toBe(Number(res.headers['retry-after']));
      expect(res.headers['x-ratelimit-remaining']).toBe('0');
    }
    if (status === 503) expect(Number(res.headers['retry-after'])).toBe(res.body.error.details.retry_after_seconds);
    if (status >= 400) expect(mock.journal.list().at(-1)).toMatchObject({ forced: true, status });
  });

  it('refuses a status the operation does not document with 400', async () => {
    const res = await request(testMock().app).get('/v1/scans').set(bearer(KEYS.read)).set('Prefer', 'code=418');
    expectResponse(res, 400);
    expect(res.body.error.details).toMatchObject({ parameter: 'Prefer', location: 'header', reason: 'undocumented_status' });
  });

  it('never bypasses authentication or permissions', async () => {
    const mock = testMock();
    await request(mock.app).get('/v1/scans').set('Prefer', 'code=200').expect(specStatus(401));
    await request(mock.app).post('/v1/scans').set(bearer(KEYS.read)).set('Prefer', 'code=201').send({}).expect(specStatus(403));
  });

  it('does not run the handler for a forced error', async () => {
    const mock = testMock();
    await request(mock.app).post('/v1/scans').set(bearer(KEYS.write)).set('Prefer', 'code=503').send({ target: 'h', scan_type: 'quick' }).expect(specStatus(503));
    expect(mock.state.scans.listOf('acct_developer')).toHaveLength(14);
  });
});
