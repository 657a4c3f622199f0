// Conditional GETs (RFC 9110 section 13.1.2): every GET's 200 carries a strong ETag of its
// representation; If-None-Match that matches it gets a bodiless 304 with the rate-limit
// fields, which costs no budget; a changed representation gets a 200 with a new ETag.
import request from 'supertest';
import { createHash } from 'node:crypto';
import { bearer, KEYS, specWith, testMock } from '../helpers/fixtures';
import { expectResponse } from '../helpers/expect-response';
import { noneMatchHits } from '../../mock/stages/conditional';

const small = () => testMock({ config: { plans: { developer: { requests_per_window: 10, window_seconds: 60 } } } });

async function firstGet(mock: ReturnType<typeof testMock>, path = '/v1/scans') {
  const res = await request(mock.app).get(path).set(bearer(KEYS.admin));
  expectResponse(res, 200);
  return res;
}

describe('ETag on a GET', () => {
  it('gives a GET 200 a strong ETag: the SHA-256 of the body as sent, base64url, quoted', async () => {
    const res = await firstGet(small());
    const digest = createHash('sha256').update(res.text).digest('base64url');
    expect(res.headers.etag).toBe(`"${digest}"`);
  });

  it('gives HEAD the same ETag as GET, and a HEAD with a matching If-None-Match a 304', async () => {
    const mock = small();
    const got = await firstGet(mock);
    const head = await request(mock.app).head('/v1/scans').set(bearer(KEYS.admin));
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(got.headers.etag);
    const conditional = await request(mock.app).head('/v1/scans').set(bearer(KEYS.admin)).set('If-None-Match', got.headers.etag);
    expect(conditional.status).toBe(304);
  });

  it('puts no ETag on a POST', async () => {
    const res = await request(small().app).post('/v1/scans').set(bearer(KEYS.admin)).send({ target: 'ws-1.corp.example', scan_type: 'quick' });
    expectResponse(res, 201);
    expect(res.headers.etag).toBeUndefined();
  });
});

describe('If-None-Match', () => {
  it('answers 304 with no body and the spec\'s headers while the representation is unchanged', async () => {
    const m = small();
    const got = await firstGet(m);
    const res = await request(m.app).get('/v1/scans').set(bearer(KEYS.admin)).set('If-None-Match', got.headers.etag);
    expectResponse(res, 304);
    expect(res.text).toBe('');
    expect(res.headers.etag).toBe(got.headers.etag);
    expect(res.headers['content-type']).toBeUndefined();
    expect(res.headers.date).toBeDefined();
    expect(res.headers['x-ratelimit-limit']).toBe('10');
    expect(res.headers['ratelimit-policy']).toBeDefined();
  });

  it('costs no budget: Remaining after a 304 is what it was before it', async () => {
    const m = small();
    const got = await firstGet(m);
    expect(got.headers['x-ratelimit-remaining']).toBe('9');
    for (let i = 0; i < 3; i++) {
      const res = await request(m.app).get('/v1/scans').set(bearer(KEYS.admin)).set('If-None-Match', got.headers.etag);
      expectResponse(res, 304);
      expect(res.headers['x-ratelimit-remaining']).toBe('9');
      expect(res.headers.ratelimit).toMatch(/;r=9;/);
    }
    const after = await request(m.app).get('/v1/whoami').set(bearer(KEYS.admin));
    expectResponse(after, 200);
    expect(after.headers['x-ratelimit-remaining']).toBe('8');
  });

  it('answers 200 with a new ETag once the list has changed (a scan created)', async () => {
    const m = small();
    const got = await firstGet(m);
    const created = await request(m.app).post('/v1/scans').set(bearer(KEYS.admin)).send({ target: 'ws-2.corp.example', scan_type: 'quick' });
    expectResponse(created, 201);
    const res = await request(m.app).get('/v1/scans').set(bearer(KEYS.admin)).set('If-None-Match', got.headers.etag);
    expectResponse(res, 200);
    expect(res.headers.etag).not.toBe(got.headers.etag);
    expect(res.body.data.map((s: { id: string }) => s.id)).toContain(created.body.id);
  });

  it('answers 200 when the state advanced with the clock (a scan progressed)', async () => {
    const m = small();
    const created = await request(m.app).post('/v1/scans').set(bearer(KEYS.admin)).send({ target: 'ws-3.corp.example', scan_type: 'quick' });
    const path = `/v1/scans/${created.body.id}`;
    const got = await firstGet(m, path);
    m.clock.advance(60_000);
    const res = await request(m.app).get(path).set(bearer(KEYS.admin)).set('If-None-Match', got.headers.etag);
    expectResponse(res, 200);
    expect(res.headers.etag).not.toBe(got.headers.etag);
  });

  it.each([
    ['the strong tag', 304, (tag: string) => tag],
    ['the tag marked weak (weak comparison)', 304, (tag: string) => `W/${tag}`],
    ['a list holding it', 304, (tag: string) => `"other", ${tag} , W/"more"`],
    ['*', 304, () => '*'],
    ['another tag', 200, () => '"not-it"'],
    ['the tag unquoted', 200, (tag: string) => tag.slice(1, -1)],
    ['garbage', 200, () => ',,;W/'],
  ])('answers If-None-Match of %s with %i', async (_name, status, form) => {
    const m = small();
    const got = await firstGet(m);
    const res = await request(m.app).get('/v1/scans').set(bearer(KEYS.admin)).set('If-None-Match', form(got.headers.etag));
    expectResponse(res, status);
  });

  it('refuses a bad key 401 before any 304, whatever If-None-Match says', async () => {
    const res = await request(small().app).get('/v1/scans').set('If-None-Match', '*');
    expectResponse(res, 401);
  });

  it('answers Prefer: code=304 with a spec-valid 304 carrying the current ETag', async () => {
    const m = small();
    const got = await firstGet(m);
    const res = await request(m.app).get('/v1/scans').set(bearer(KEYS.admin)).set('Prefer', 'code=304');
    expectResponse(res, 304);
    expect(res.headers.etag).toBe(got.headers.etag);
    expect(res.headers['preference-applied']).toBe('code=304');
  });
});

describe('noneMatchHits (RFC 9110 section 13.1.2)', () => {
  it('compares weakly, reads lists and *, and matches nothing malformed', () => {
    expect(noneMatchHits('"a"', '"a"')).toBe(true);
    expect(noneMatchHits('W/"a"', '"a"')).toBe(true);
    expect(noneMatchHits('"b", "a"', '"a"')).toBe(true);
    expect(noneMatchHits(' * ', '"a"')).toBe(true);
    expect(noneMatchHits('"b"', '"a"')).toBe(false);
    expect(noneMatchHits('a', '"a"')).toBe(false);
    expect(noneMatchHits('"', '"a"')).toBe(false);
  });
});

describe('driven by the spec', () => {
  it('answers an operation whose spec documents no 304 as before: no ETag, and a 200 whatever If-None-Match says', async () => {
    const spec = specWith((doc) => {
      const get = doc.paths['/scans'].get;
      delete get.responses['304'];
      delete get.responses['200'].headers.ETag;
    });
    const m = testMock({ spec });
    const res = await request(m.app).get('/v1/scans').set(bearer(KEYS.admin)).set('If-None-Match', '*');
    expectResponse(res, 200, { spec });
    expect(res.headers.etag).toBeUndefined();
  });
});
