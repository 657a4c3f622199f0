// Request validation beyond what the public spec's parameters exercise: a copy of the spec
// adds a number, a boolean, a required header, a header with a default and a cookie, so
// coercion, requiredness and defaults are each pinned (the mutation run found them unpinned).
import request from 'supertest';
import { createSchemaValidator } from '../../lib/openapi/schema-validator';
import { createRequestValidator } from '../../mock/stages/request-validator';
import { KEYS, bearer, specWith, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';

const spec = specWith((doc) => {
  doc.paths['/scans'].get.parameters.push(
    { name: 'min_score', in: 'query', required: false, schema: { type: 'number', minimum: 0 } },
    { name: 'archived', in: 'query', required: false, schema: { type: 'boolean' } },
    { name: 'X-Trace', in: 'header', required: true, schema: { type: 'string', pattern: '^t-' } },
    { name: 'X-Region', in: 'header', required: false, schema: { type: 'string', default: 'eu' } },
    { name: 'session', in: 'cookie', required: true, schema: { type: 'string' } },
  );
});
const validator = createRequestValidator(spec, createSchemaValidator(spec.document));
const op = spec.operations.find((o) => o.operationId === 'listScans')!;
const check = (query: string, headers: Record<string, string | string[]> = { 'x-trace': 't-1' }) => validator.parameters(op, {}, new URLSearchParams(query), headers);
const refusal = (query: string, headers?: Record<string, string | string[]>) => {
  try {
    check(query, headers);
  } catch (err) {
    return (err as { details: Record<string, unknown>; message: string });
  }
  throw new Error('no refusal');
};

describe('parameter coercion and checks', () => {
  it('coerces numbers, booleans and integers, and applies query defaults only', () => {
    const out = check('min_score=2.5&archived=true&limit=7');
    expect(out.query).toEqual({ min_score: 2.5, archived: true, limit: 7 });
    expect(check('archived=false').query.archived).toBe(false);
    // The spec's default limit, for the query; a header default is not invented.
    expect(check('').query).toEqual({ limit: 20 });
    expect(check('').headers).toEqual({ 'X-Trace': 't-1' });
  });

  it.each([
    ['min_score=', 'min_score'],
    ['min_score=%20', 'min_score'],
    ['min_score=abc', 'min_score'],
    ['min_score=-1', 'min_score'],
    ['archived=yes', 'archived'],
    ['archived=TRUE', 'archived'],
    ['limit=5x', 'limit'],
    ['limit=x5', 'limit'],
    ['limit=2.5', 'limit'],
  ])('refuses %s, naming the parameter', (query, parameter) => {
    expect(refusal(query).details).toMatchObject({ parameter, location: 'query' });
  });

  it('refuses a missing required header by name, and joins a repeated header', () => {
    const missing = refusal('', {});
    expect(missing.message).toBe('Header "X-Trace" is required');
    expect(missing.details).toEqual({ parameter: 'X-Trace', location: 'header', schema_path: expect.stringContaining('/schema'), reason: 'missing' });
    expect(check('', { 'x-trace': ['t-1', 't-2'] }).headers['X-Trace']).toBe('t-1, t-2');
    expect(refusal('', { 'x-trace': 'nope' }).details).toMatchObject({ parameter: 'X-Trace', location: 'header' });
  });

  it('refuses a repeated query parameter by name', () => {
    const repeated = refusal('limit=1&limit=2');
    expect(repeated.message).toBe('Query parameter "limit" must not be repeated');
    expect(repeated.details).toMatchObject({ parameter: 'limit', location: 'query' });
  });

  it('does not check cookies (the mock reads none)', () => {
    expect(() => check('')).not.toThrow();
  });

  it('names the body, not a field, when the body itself is the wrong type', async () => {
    const mock = testMock();
    const res = await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).send([1, 2]).expect(specStatus(400));
    expect(res.body.error.details).toMatchObject({ parameter: 'body', location: 'body' });
    expect(res.body.error.message).toMatch(/^The request body /);
  });
});
