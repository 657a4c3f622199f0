// The conduct report's messages name the request (method and target): a key in any query
// parameter, not only api_key (which the target drops), is redacted there as in the journal,
// since GET /_mock/conduct, the dashboard and the JUnit file show them.
import request from 'supertest';
import { bearer, KEYS, testMock } from '../helpers/fixtures';
import { expectResponse } from '../helpers/expect-response';
import { controlProblems } from '../helpers/spec-check';

describe("the conduct report's messages", () => {
  it('redact a key sent in another query parameter', async () => {
    const mock = testMock();
    for (let i = 0; i < 2; i++) expectResponse(await request(mock.handler).get(`/v1/scans?token=${KEYS.admin}`).set(bearer(KEYS.read)), 200);
    const res = await request(mock.handler).get('/_mock/conduct').expect(200);
    expect(controlProblems('getConduct', res)).toEqual([]);
    expect(res.body.clients[0].findings.map((f: { rule: string }) => f.rule)).toEqual(['uncached_repeat']);
    expect(res.text).not.toContain(KEYS.admin);
    expect(res.body.clients[0].findings[0].message).toMatch(/^GET \/v1\/scans\?token=\[REDACTED\] repeated/);
  });
});

describe('key_in_query', () => {
  it.each(['api%5Fkey', 'api%5fkey', 'ap%69_key'])('is found when the parameter name is percent-encoded (?%s=), as the mock reads it', async (name) => {
    const mock = testMock();
    const res = await request(mock.handler).get(`/v1/scans?${name}=${KEYS.read}`);
    expectResponse(res, 200);
    const report = await request(mock.handler).get('/_mock/conduct').expect(200);
    expect(controlProblems('getConduct', report)).toEqual([]);
    expect(report.body.clients).toEqual([{ key_id: 'key_read', findings: [expect.objectContaining({ rule: 'key_in_query', severity: 'warning', request_ids: [res.headers['x-request-id']] })] }]);
    expect(report.text).not.toContain(KEYS.read);
  });
});
