// The spec drives the pipeline: change a copy of the document and the behaviour follows,
// with no change to the code. The stages run in x-cortex-check-order; the ways a key can
// arrive are the securitySchemes; OR'd security alternatives are alternatives.
import request from 'supertest';
import { KEYS, bearer, specWith, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';

describe('x-cortex-check-order', () => {
  it('checks the rate limit before the permission as written: a 403 spends budget', async () => {
    const mock = testMock();
    await request(mock.handler).post('/v1/scans').set(bearer(KEYS.read)).send({ target: 'h', scan_type: 'quick' }).expect(specStatus(403)).expect('X-RateLimit-Remaining', '499');
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200)).expect('X-RateLimit-Remaining', '498');
  });

  it('follows a copy that swaps rate_limit and permission: the 403 then spends none', async () => {
    const spec = specWith((doc) => {
      doc['x-cortex-check-order'] = ['credentials', 'permission', 'rate_limit', 'validation', 'operation'];
    });
    const mock = testMock({ spec });
    const refused = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.read)).send({ target: 'h', scan_type: 'quick' }).expect(specStatus(403, { spec: mock.spec }));
    expect(refused.headers['x-ratelimit-remaining']).toBeUndefined();
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200, { spec: mock.spec })).expect('X-RateLimit-Remaining', '499');
  });

  it.each([
    [['credentials', 'rate_limit', 'permission', 'validation'], /name each of/],
    [['rate_limit', 'credentials', 'permission', 'validation', 'operation'], /credentials comes first/],
    [['credentials', 'rate_limit', 'permission', 'operation', 'validation'], /operation comes last/],
    [['credentials', 'rate_limit', 'permission', 'validation', 'operation', 'billing'], /unknown stage billing/],
  ])('refuses to load the order %j, naming the extension', (order, message) => {
    const load = () =>
      specWith((doc) => {
        doc['x-cortex-check-order'] = order;
      });
    expect(load).toThrow(message);
    expect(load).toThrow(/x-cortex-check-order/);
  });
});

describe('securitySchemes', () => {
  it('takes the query parameter name from the apiKey scheme', async () => {
    const spec = specWith((doc) => {
      doc.components.securitySchemes.apiKeyQuery.name = 'token';
    });
    const mock = testMock({ spec });
    await request(mock.handler).get(`/v1/whoami?token=${KEYS.read}`).expect(specStatus(200, { spec: mock.spec })).expect('Cache-Control', 'no-store');
    const old = await request(mock.handler).get(`/v1/whoami?api_key=${KEYS.read}`).expect(specStatus(401, { spec: mock.spec }));
    expect(old.body.error.details.reason).toBe('missing');
  });

  it('reads a key from a header scheme the document adds', async () => {
    const spec = specWith((doc) => {
      doc.components.securitySchemes.headerKey = { type: 'apiKey', in: 'header', name: 'X-API-Key' };
      doc.paths['/whoami'].get.security = [{ headerKey: [] }];
    });
    const mock = testMock({ spec });
    await request(mock.handler).get('/v1/whoami').set('X-API-Key', KEYS.noPerms).expect(specStatus(200, { spec: mock.spec }));
    // Sent by a scheme the operation does not take, a key is no credential for it.
    expect((await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.admin)).expect(specStatus(401, { spec: mock.spec }))).body.error.details.reason).toBe('missing');
  });

  it('refuses to start on a scheme it cannot serve, naming it', () => {
    const spec = () =>
      specWith((doc) => {
        doc.components.securitySchemes.oauth = { type: 'oauth2', flows: {} };
      });
    expect(spec).toThrow(/securitySchemes\.oauth/);
  });
});

describe('OR-ed security alternatives', () => {
  // listScans: a bearer key needs admin, a key in the URL needs read.
  const spec = specWith((doc) => {
    doc.paths['/scans'].get.security = [{ bearerAuth: ['admin'] }, { apiKeyQuery: ['read'] }];
  });

  it('lets a key in by any alternative its scheme can satisfy', async () => {
    const mock = testMock({ spec });
    await request(mock.handler).get(`/v1/scans?api_key=${KEYS.read}`).expect(specStatus(200, { spec: mock.spec }));
    await request(mock.handler).get('/v1/scans').set(bearer(KEYS.admin)).expect(specStatus(200, { spec: mock.spec }));
  });

  it('judges each alternative on its own roles: a read key by bearer needs admin here', async () => {
    const mock = testMock({ spec });
    const res = await request(mock.handler).get('/v1/scans').set(bearer(KEYS.read)).expect(specStatus(403, { spec: mock.spec }));
    expect(res.body.error.details).toMatchObject({ required_permissions: ['admin'], provided_permissions: ['read'] });
  });

  it('does not require the union of the alternatives', async () => {
    const both = specWith((doc) => {
      doc.paths['/scans'].get.security = [{ bearerAuth: ['read'] }, { bearerAuth: ['write'] }];
    });
    const mock = testMock({ spec: both });
    await request(mock.handler).get('/v1/scans').set(bearer(KEYS.read)).expect(specStatus(200, { spec: mock.spec }));
    await request(mock.handler).get('/v1/scans').set(bearer(KEYS.write)).expect(specStatus(200, { spec: mock.spec }));
    await request(mock.handler).get('/v1/scans').set(bearer(KEYS.noPerms)).expect(specStatus(403, { spec: mock.spec }));
  });
});

describe('values the spec holds', () => {
  it('takes the realm and the 401 messages from the document', async () => {
    const spec = specWith((doc) => {
      doc.components.securitySchemes.bearerAuth['x-cortex-realm'] = 'edr-staging';
      doc.components.schemas.UnauthorizedReason['x-cortex-messages'].expired = 'This key is past its date';
    });
    const mock = testMock({ spec });
    const res = await request(mock.handler).get('/v1/scans').set(bearer(KEYS.expired)).expect(401);
    expect(res.body.error.message).toBe('This key is past its date');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="edr-staging", error="invalid_token", error_description="This key is past its date"');
    const forbidden = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.read)).send({ target: 'h', scan_type: 'quick' }).expect(403);
    expect(forbidden.headers['www-authenticate']).toMatch(/^Bearer realm="edr-staging", error="insufficient_scope"/);
  });

  it('names new scans and their reports with the prefixes of the id patterns', async () => {
    const spec = specWith((doc) => {
      doc.components.schemas.ScanIdValue.pattern = '^scn_[A-Za-z0-9]{1,60}$';
      doc.components.schemas.Report.properties.id.pattern = '^rep_[A-Za-z0-9]{1,60}$';
      doc.paths['/reports/{report_id}'].get.parameters[0].schema.pattern = '^rep_[A-Za-z0-9]{1,60}$';
    });
    expect(spec.vocabulary.idPrefixes).toMatchObject({ scan: 'scn_', report: 'rep_' });
    const mock = testMock({ spec });
    const created = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).send({ target: 'h', scan_type: 'quick' }).expect(specStatus(201, { spec: mock.spec }));
    expect(created.body.id).toMatch(/^scn_/);
    mock.clock.advance(24 * 60 * 60 * 1000);
    const scan = await request(mock.handler).get(`/v1/scans/${created.body.id}`).set(bearer(KEYS.read)).expect(specStatus(200, { spec: mock.spec }));
    if (scan.body.status === 'completed') {
      expect(scan.body.report_id).toBe(`rep_${created.body.id.slice(4)}`);
      await request(mock.handler).get(`/v1/reports/${scan.body.report_id}`).set(bearer(KEYS.read)).expect(specStatus(200, { spec: mock.spec }));
    } else {
      expect(scan.body.status).toBe('failed');
    }
  });

  it('refuses a document whose id pattern names no prefix', () => {
    expect(() =>
      specWith((doc) => {
        doc.components.schemas.ScanIdValue.pattern = '^[a-z]+$';
      }),
    ).toThrow(/ScanIdValue: an id pattern starts with its prefix/);
  });
});

describe('extensions the mock cannot run without', () => {
  it.each(['x-cortex-check-order', 'x-cortex-plans', 'x-cortex-permissions', 'x-cortex-limits', 'x-cortex-auth-failure-limit'])('refuses a document without %s, naming it (no fallback in code)', (name) => {
    expect(() =>
      specWith((doc) => {
        delete doc[name];
      }),
    ).toThrow(new RegExp(`the document has no ${name}`));
  });
});
