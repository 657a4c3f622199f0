// Prefer: code=NNN (Prism-compatible) forces any status the spec documents for the
// operation, with a spec-valid body and consistent headers; anything else is a 400.
import request from 'supertest';
import { KEYS, SPEC, bearer, specWith, testMock } from '../helpers/fixtures';
import { buildRequest } from '../helpers/requests';
import { specProblems } from '../helpers/spec-check';
import { expectResponse, specStatus } from '../helpers/expect-response';
import { parsePrefer } from '../../mock/stages/forced-outcome';

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

/** A request for `op` with an admin key and `prefer`, with the body its create needs. */
async function preferring(mock: ReturnType<typeof testMock>, op: (typeof SPEC.operations)[number], prefer: string, key: string = KEYS.admin) {
  const r = buildRequest(mock, op);
  let req = (request(mock.app) as unknown as Record<string, (u: string) => request.Test>)[r.method](r.path).set(bearer(key)).set('Prefer', prefer);
  if (r.body !== undefined) req = req.send(r.body as object);
  return req;
}

const withDefaultExample = SPEC.operations.filter((op) => 'default' in op.responses[String(op.successStatus)].examples).map((op) => [op.operationId, op] as const);

/** listScans whose 200 has two named examples instead of one `example`. */
const NAMED = specWith((doc) => {
  const media = doc.paths['/scans'].get.responses['200'].content['application/json'];
  media.examples = {
    completed: { summary: 'One completed scan', value: media.example },
    empty: { summary: 'No scans', value: { object: 'list', data: [], has_more: false, next_cursor: null } },
  };
  delete media.example;
});

describe('Prefer: example=NAME', () => {
  it('covers most operations: a lone example is named default, as Prism names it', () => {
    expect(withDefaultExample.length).toBeGreaterThanOrEqual(10);
  });

  it.each(withDefaultExample)('%s answers its success example (default) in the spec shape, and says so', async (_id, op) => {
    const mock = testMock();
    const scansBefore = mock.state.scans.listOf('acct_developer').length;
    const res = await preferring(mock, op, 'example=default');
    expect(res.status).toBe(op.successStatus);
    expect(res.body).toEqual(op.responses[String(op.successStatus)].example);
    expect(specProblems(op, res)).toEqual([]);
    expect(res.headers['preference-applied']).toBe('example=default');
    expect(res.headers['x-ratelimit-remaining']).toBe('499');
    // The example stands in for the handler: nothing was created.
    expect(mock.state.scans.listOf('acct_developer')).toHaveLength(scansBefore);
  });

  it('answers a named example of the success response', async () => {
    const mock = testMock({ spec: NAMED });
    const op = NAMED.operations.find((o) => o.operationId === 'listScans')!;
    const res = await request(mock.app).get('/v1/scans').set(bearer(KEYS.read)).set('Prefer', 'example=empty');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ object: 'list', data: [], has_more: false, next_cursor: null });
    expect(specProblems(op, res)).toEqual([]);
    expect(res.headers['preference-applied']).toBe('example=empty');
    const quoted = await request(mock.app).get('/v1/scans').set(bearer(KEYS.read)).set('Prefer', 'example="completed"');
    expect(quoted.body.data).toHaveLength(1);
  });

  it('refuses an example the response does not have with 400, naming it and the ones it has', async () => {
    const mock = testMock({ spec: NAMED });
    const op = NAMED.operations.find((o) => o.operationId === 'listScans')!;
    const res = await request(mock.app).get('/v1/scans').set(bearer(KEYS.read)).set('Prefer', 'example=nope');
    expect(res.status).toBe(400);
    expect(specProblems(op, res)).toEqual([]);
    expect(res.body.error.message).toBe("Prefer: example=nope is not an example of listScans's 200 response (completed, empty)");
    expect(res.body.error.details).toEqual({ parameter: 'Prefer', location: 'header', schema_path: `${op.pointer}/responses/200/content/application~1json`, reason: 'unknown_example' });
    expect(res.headers['preference-applied']).toBeUndefined();
  });

  it('refuses any example on a response without a body', async () => {
    const op = SPEC.operations.find((o) => o.operationId === 'deleteUser')!;
    const res = await preferring(testMock(), op, 'example=default');
    expect(res.status).toBe(400);
    expect(specProblems(op, res)).toEqual([]);
    expect(res.body.error.message).toMatch(/not an example of deleteUser's 204 response \(it has none\)/);
  });

  it('keeps the usual authentication, permissions and limits', async () => {
    const mock = testMock({ config: { plans: { developer: { requests_per_window: 2 } } } });
    const list = SPEC.operations.find((o) => o.operationId === 'listScans')!;
    const create = SPEC.operations.find((o) => o.operationId === 'createScan')!;
    const none = await request(mock.app).get('/v1/scans').set('Prefer', 'example=default');
    expect(none.status).toBe(401);
    expect(specProblems(list, none)).toEqual([]);
    const denied = await request(mock.app).post('/v1/scans').set(bearer(KEYS.read)).set('Prefer', 'example=default').send({ target: 'h', scan_type: 'quick' });
    expect(denied.status).toBe(403);
    expect(specProblems(create, denied)).toEqual([]);
    // The 403 spent one of the two requests (rate limit before permission), an example the other.
    const last = await request(mock.app).get('/v1/scans').set(bearer(KEYS.read)).set('Prefer', 'example=default');
    expect(last.status).toBe(200);
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
    const limited = await request(mock.app).get('/v1/scans').set(bearer(KEYS.read)).set('Prefer', 'example=default');
    expect(limited.status).toBe(429);
    expect(specProblems(list, limited)).toEqual([]);
    for (const res of [none, denied, limited]) expect(res.headers['preference-applied']).toBeUndefined();
  });

  it('still validates the request', async () => {
    const op = SPEC.operations.find((o) => o.operationId === 'listScans')!;
    const res = await request(testMock().app).get('/v1/scans?limit=0').set(bearer(KEYS.read)).set('Prefer', 'example=default');
    expect(res.status).toBe(400);
    expect(specProblems(op, res)).toEqual([]);
    expect(res.headers['preference-applied']).toBeUndefined();
  });
});

describe('Preference-Applied (RFC 7240 section 3)', () => {
  const list = SPEC.operations.find((o) => o.operationId === 'listScans')!;
  const get = (prefer: string) => request(testMock().app).get('/v1/scans').set(bearer(KEYS.read)).set('Prefer', prefer);

  it.each([
    ['code=429', 429, 'code=429'],
    ['code=200', 200, 'code=200'],
    ['dynamic=true', 200, 'dynamic=true'],
    ['example=default, dynamic=true', 200, 'example=default'],
    ['code=200; example=default', 200, 'code=200, example=default'],
    ['code=503, example=default', 503, 'code=503'],
    ['respond-async, wait=10', 200, undefined],
    ['return=minimal, handling=strict', 200, undefined],
    ['dynamic=false', 200, undefined],
    // A preference with no value (or an empty one, RFC 7240 section 2) the mock does not
    // understand: `example` names no example, so it is ignored, not refused.
    ['example', 200, undefined],
    ['example=', 200, undefined],
    ['example=""', 200, undefined],
    ['example, dynamic=true', 200, 'dynamic=true'],
    ['code=200; example', 200, 'code=200'],
  ])('Prefer: %s answers %i with Preference-Applied %s', async (prefer, status, applied) => {
    const res = await get(prefer);
    expect(res.status).toBe(status);
    expect(specProblems(list, res)).toEqual([]);
    expect(res.headers['preference-applied']).toBe(applied);
  });

  it('answers a bare Prefer: example as it answers no Prefer', async () => {
    const plain = await request(testMock().app).get('/v1/scans').set(bearer(KEYS.read));
    const bare = await get('example');
    expect(bare.status).toBe(200);
    expect(bare.body).toEqual(plain.body);
  });

  it('takes the first of a repeated preference (RFC 7240 section 2)', async () => {
    const res = await get('code=429, code=503');
    expect(res.status).toBe(429);
    expect(res.headers['preference-applied']).toBe('code=429');
  });

  it('is exposed to a page on another origin (CORS)', async () => {
    const res = await get('dynamic=true').set('Origin', 'http://app.localhost:5173');
    expect(res.headers['access-control-expose-headers']).toMatch(/(^|, )Preference-Applied(,|$)/);
  });
});

describe('reading Prefer (RFC 7240 section 2)', () => {
  it.each([
    ['code=429', [['code', '429']]],
    ['Code = 429 ,  EXAMPLE=default', [['code', '429'], ['example', 'default']]],
    ['respond-async; wait=10', [['respond-async', ''], ['wait', '10']]],
    ['example="two words", example=second', [['example', 'two words']]],
    ['example="say \\"hi\\""', [['example', 'say "hi"']]],
    ['', []],
  ])('reads %j', (header, entries) => {
    expect([...parsePrefer(header)]).toEqual(entries);
  });

  it('echoes a name that is not a token quoted, and one that is as it is', async () => {
    const spec = specWith((doc) => {
      const media = doc.paths['/whoami'].get.responses['200'].content['application/json'];
      media.examples = { 'two words': { value: media.example }, plain: { value: media.example } };
      delete media.example;
    });
    const mock = testMock({ spec });
    const quoted = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'example="two words"');
    expect(quoted.status).toBe(200);
    expect(quoted.headers['preference-applied']).toBe('example="two words"');
    const plain = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'example=plain');
    expect(plain.headers['preference-applied']).toBe('example=plain');
  });

  it('shows back only a short, plain form of an unknown example name', async () => {
    const res = await request(testMock().app).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', `example="<script>${'a'.repeat(100)}"`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(`Prefer: example=script${'a'.repeat(58)} is not an example of getWhoami's 200 response (default)`);
  });
});
