// The stages at their edges: a bug in a handler, a forced outcome whose example says
// something else than the public spec's, the query string of a URL that has none, a body
// refused at its root, and from outside, the Date of every answer, a key sent twice and
// forced statuses (the mutation runs, npm run mutate, found these unpinned). Several
// need a copy of the spec, because the public one happens to hold the value a mutant
// substitutes (its 401 example's reason is `expired`, its 503 example retries after 1 s).
import request from 'supertest';
import { resolveCredentials } from '../../mock/domain/auth/credentials';
import { createPermissionCheck } from '../../mock/domain/auth/permissions';
import { HANDLERS } from '../../mock/domain/operations';
import { createKeyStore } from '../../mock/domain/auth/key-store';
import { KEYS, SPEC, T0, bearer, captureLogs, specWith, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';

const DAY = 24 * 3600 * 1000;

const exampleOf = (doc: Record<string, any>, response: string) => doc.components.responses[response].content['application/json'];

/** The lines of a captured log, parsed. */
const parsed = (lines: string[]): Array<Record<string, unknown>> => lines.map((l) => JSON.parse(l));

describe('a bug in a handler', () => {
  it('is answered as a 500 in the error shape and logged once as a bug, never as a client that left', async () => {
    const { lines, logger } = captureLogs();
    const mock = testMock({
      logger,
      handlers: {
        ...HANDLERS,
        getWhoami: () => {
          throw new Error('the handler broke');
        },
      },
    });
    const res = await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'The mock failed to handle this request', details: {} } });
    expect(JSON.stringify(res.body)).not.toContain('the handler broke');
    const bug = parsed(lines).filter((l) => l.msg === 'unhandled error');
    expect(bug).toHaveLength(1);
    expect(bug[0]).toMatchObject({ err: { message: 'the handler broke' }, path: '/v1/whoami' });
    expect(parsed(lines).find((l) => l.msg === 'request')).toMatchObject({ status: 500, error: 'INTERNAL_ERROR', op: 'getWhoami' });
    expect(mock.journal.list().at(-1)).toMatchObject({ status: 500, error_code: 'INTERNAL_ERROR' });
  });

  it('is a bug, and says so, when a forced status has no example to render', async () => {
    const { lines, logger } = captureLogs();
    const spec = specWith((doc) => {
      delete exampleOf(doc, 'NotFound').example;
    });
    const mock = testMock({ spec, logger });
    await request(mock.handler).get('/v1/scans/scan_0000000000000001').set(bearer(KEYS.read)).set('Prefer', 'code=404').expect(500);
    expect(parsed(lines).find((l) => l.msg === 'unhandled error')).toMatchObject({ err: { message: 'getScan 404 has no example to force' } });
  });
});

describe('a forced outcome follows the example the spec gives', () => {
  it('a forced 401 takes its reason from the example, and is `expired` when the example has none', async () => {
    const revoked = testMock({
      spec: specWith((doc) => {
        exampleOf(doc, 'Unauthorized').example.error.details.reason = 'revoked';
      }),
    });
    const res = await request(revoked.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'code=401').expect(specStatus(401, { spec: revoked.spec }));
    expect(res.body.error.details.reason).toBe('revoked');

    const bare = testMock({
      spec: specWith((doc) => {
        delete exampleOf(doc, 'Unauthorized').example;
      }),
    });
    const fallback = await request(bare.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'code=401').expect(specStatus(401, { spec: bare.spec }));
    expect(fallback.body.error.details.reason).toBe('expired');
  });

  it("a forced 503 retries after the example's seconds, and after 1 s when the example has none", async () => {
    const slow = testMock({
      spec: specWith((doc) => {
        exampleOf(doc, 'ServiceUnavailable').example.error.details.retry_after_seconds = 7;
      }),
    });
    const res = await request(slow.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'code=503').expect(specStatus(503, { spec: slow.spec })).expect('Retry-After', '7');
    expect(res.body.error.details.retry_after_seconds).toBe(7);

    const bare = testMock({
      spec: specWith((doc) => {
        delete exampleOf(doc, 'ServiceUnavailable').example;
      }),
    });
    await request(bare.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'code=503').expect(specStatus(503, { spec: bare.spec })).expect('Retry-After', '1');
  });
});

describe('a URL without a query string', () => {
  it('has no query parameters: a path that reads like one (`&api_key=`) is only a path', async () => {
    const mock = testMock();
    // Read as a query string, this path would carry a second credential (400 multiple_credentials).
    const res = await request(mock.handler).get(`/v1/users/usr_0000000000000001&api_key=${KEYS.admin}`).set(bearer(KEYS.admin)).expect(specStatus(400));
    expect(res.body.error.details).toMatchObject({ location: 'path', parameter: 'user_id' });
  });
});

describe('a body refused as a whole', () => {
  it('names the body itself when the failure is at its root', async () => {
    const mock = testMock();
    const res = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.admin)).send([]).expect(specStatus(400));
    expect(res.body.error.details).toMatchObject({ parameter: 'body', location: 'body' });
    expect(res.body.error.message).toMatch(/^The request body /);
  });
});

describe('keys from the config', () => {
  it('were created 30 days before the clock started', async () => {
    const mock = testMock();
    const res = await request(mock.handler).get('/v1/api-keys?limit=100').set(bearer(KEYS.admin)).expect(specStatus(200));
    const created = new Set(res.body.data.map((k: { created_at: string }) => k.created_at));
    expect([...created]).toEqual([new Date(T0 - 30 * DAY).toISOString()]);
  });
});

describe('Authorization: Bearer with no token', () => {
  it('is malformed even under a key pattern that would take an empty string', () => {
    const store = createKeyStore();
    const policy = { keyPattern: /^.*$/, keyModes: SPEC.vocabulary.keyModes, allowLiveKeys: false, allowLiveKeysInQuery: false };
    const bearerScheme = SPEC.credentialSchemes.find((s) => s.kind === 'bearer')!;
    for (const value of ['Bearer', 'Bearer   ', 'bearer \t']) {
      const outcome = resolveCredentials([{ scheme: bearerScheme, values: [value] }], store, policy, T0);
      expect(outcome).toEqual({ kind: 'refused', reason: 'malformed', via: bearerScheme.in });
    }
  });
});

describe('rotating and revoking a key that is no longer active', () => {
  const admin = bearer(KEYS.admin);

  it('refuses to rotate a revoked or an expired key with a 409 that says which, and to revoke a key twice', async () => {
    const mock = testMock();
    const revoked = await request(mock.handler).post('/v1/api-keys/key_revoked/rotate').set(admin).expect(specStatus(409));
    expect(revoked.body.error).toEqual({
      code: 'CONFLICT',
      message: 'The key is revoked: only an active key can be rotated',
      details: { reason: 'key_revoked', resource: 'api_key', id: 'key_revoked' },
    });
    const expired = await request(mock.handler).post('/v1/api-keys/key_expired/rotate').set(admin).expect(specStatus(409));
    expect(expired.body.error).toEqual({
      code: 'CONFLICT',
      message: 'The key is expired: only an active key can be rotated',
      details: { reason: 'key_expired', resource: 'api_key', id: 'key_expired' },
    });
    const twice = await request(mock.handler).delete('/v1/api-keys/key_revoked').set(admin).expect(specStatus(409));
    expect(twice.body.error).toEqual({
      code: 'CONFLICT',
      message: 'The key is already revoked',
      details: { reason: 'key_revoked', resource: 'api_key', id: 'key_revoked' },
    });
  });
});

describe('permission implications', () => {
  it('are followed to the end even when they run in a circle', () => {
    const check = createPermissionCheck({ read: ['write'], write: ['read', 'audit'], audit: [] });
    expect([...check.effective(['read'])].sort()).toEqual(['audit', 'read', 'write']);
    expect(check.decide(['audit'], ['write'])).toEqual({ allowed: true });
  });
});

describe('what the log and the journal say of a request', () => {
  it('is not forced unless Prefer asked for it', async () => {
    const mock = testMock();
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    await request(mock.handler).get('/v1/whoami').expect(specStatus(401));
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'code=503').expect(specStatus(503));
    expect(mock.journal.list().map((e) => e.forced)).toEqual([false, false, true]);
  });
});

describe('parameters that are strings', () => {
  it('stay strings when they look like numbers or booleans', async () => {
    const mock = testMock();
    for (const key of ['20261127', '1.5', 'true', 'false']) {
      const body = { target: `host-${key}`, scan_type: 'quick' };
      const first = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.admin)).set('Idempotency-Key', key).send(body).expect(specStatus(201));
      const again = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.admin)).set('Idempotency-Key', key).send(body).expect(specStatus(201));
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
    }
  });

  it('an integer of more than 15 digits is not taken as a number, so it is refused for its type', async () => {
    const mock = testMock();
    for (const limit of ['1234567890123456', 'x123456789012345', '123456789012345x']) {
      const res = await request(mock.handler).get(`/v1/scans?limit=${limit}`).set(bearer(KEYS.read)).expect(specStatus(400));
      expect(res.body.error.details).toMatchObject({ parameter: 'limit', location: 'query' });
      expect(res.body.error.details.schema_path).toMatch(/\/type$/);
    }
  });
});

describe('the pipeline, from outside', () => {
  it('dates every response on the mock clock, errors too', async () => {
    const mock = testMock();
    const date = new Date(T0).toUTCString();
    expect((await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200))).headers.date).toBe(date);
    expect((await request(mock.handler).get('/v1/whoami').expect(specStatus(401))).headers.date).toBe(date);
  });

  it('dates a response by the second the mock clock reads, as it moves on a second and back', async () => {
    const mock = testMock();
    const dateAt = async () => (await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200))).headers.date;
    const second = Math.floor(T0 / 1000) * 1000;
    mock.clock.set(second + 999);
    expect(await dateAt()).toBe(new Date(second).toUTCString());
    mock.clock.set(second + 1000);
    expect(await dateAt()).toBe(new Date(second + 1000).toUTCString());
    mock.clock.set(second - 1);
    expect(await dateAt()).toBe(new Date(second - 1000).toUTCString());
    mock.clock.set(second);
    expect(await dateAt()).toBe(new Date(second).toUTCString());
  });

  it('reads the query after the first "?" only, and a URL with none has no query', async () => {
    const mock = testMock();
    const page = await request(mock.handler).get('/v1/scans?limit=2').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(page.body.data).toHaveLength(2);
    const all = await request(mock.handler).get('/v1/scans').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(all.body.data).toHaveLength(14);
  });

  it('names both ways a key may be sent when it comes twice', async () => {
    const mock = testMock();
    const res = await request(mock.handler).get(`/v1/whoami?api_key=${KEYS.read}`).set(bearer(KEYS.read)).expect(specStatus(400));
    expect(res.body.error.message).toBe('Send the API key once, by one method (Authorization or api_key), not more (RFC 6750 section 2)');
  });

  it('refuses an undocumented forced status naming what is documented', async () => {
    const mock = testMock();
    const res = await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'code=418').expect(specStatus(400));
    expect(res.body.error).toEqual({
      code: 'INVALID_REQUEST',
      message: `Prefer: code=418 is not a status getWhoami documents (${Object.keys(SPEC.operations.find((o) => o.operationId === 'getWhoami')!.responses).join(', ')})`,
      details: { parameter: 'Prefer', location: 'header', schema_path: `${SPEC.operations.find((o) => o.operationId === 'getWhoami')!.pointer}/responses`, reason: 'undocumented_status' },
    });
    // Prefer is read across repeated headers.
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', ['wait=1', 'code=429'] as unknown as string).expect(specStatus(429));
  });

  it('forces a 429 that says Remaining 0 and not allowed, and a 503 with the example\'s retry', async () => {
    const mock = testMock();
    const limited = await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'code=429').expect(specStatus(429));
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    const unavailable = await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).set('Prefer', 'code=503').expect(specStatus(503));
    expect(unavailable.headers['retry-after']).toBe(String(unavailable.body.error.details.retry_after_seconds));
    expect(unavailable.body.error.details.retry_after_seconds).toBeGreaterThan(0);
  });
});
