// contracts/lib/links.ts: ids for path parameters are found through the spec's links, and
// runtime expressions are evaluated as OpenAPI 3.1 section 4.8.20.4 writes them.
import { evaluate, evaluateEach, sourcesOf, throwawayBody } from '../../contracts/lib/links';
import { SPEC, specWith } from '../helpers/fixtures';

const op = (id: string) => SPEC.operations.find((o) => o.operationId === id)!;

describe('the sources of a path parameter', () => {
  it('reads an existing scan id from listScans and makes one with createScan', () => {
    const { read, create } = sourcesOf(SPEC, 'scan_id');
    expect([read?.operation.operationId, read?.expression]).toEqual(['listScans', '$response.body#/data/0/id']);
    expect([create?.operation.operationId, create?.expression]).toEqual(['createScan', '$response.body#/id']);
  });

  it('has no create for a report (a scan makes it) and none at all for a parameter no link names', () => {
    expect(sourcesOf(SPEC, 'report_id').read?.operation.operationId).toBe('listReports');
    expect(sourcesOf(SPEC, 'report_id').create).toBeUndefined();
    expect(sourcesOf(SPEC, 'no_such_id')).toEqual({});
  });

  it('takes a link parameter qualified by its location (path.user_id), and no link from an operation that needs an id itself', () => {
    const spec = specWith((doc) => {
      const links = doc.paths['/users'].get.responses['200'].links;
      links.GetUser.parameters = { 'path.user_id': '$response.body#/data/0/id' };
      // getScan links a report_id, but needs a scan_id first: not a source.
      delete doc.paths['/reports'].get.responses['200'].links;
    });
    expect(sourcesOf(spec, 'user_id').read?.operation.operationId).toBe('listUsers');
    expect(sourcesOf(spec, 'report_id').read).toBeUndefined();
  });
});

describe('runtime expressions', () => {
  const page = { data: [{ id: 'a' }, { id: 'b' }, { name: 'no id' }], has_more: false };

  it('evaluates a body pointer to the string there, and anything else to undefined', () => {
    expect(evaluate('$response.body#/data/1/id', page)).toBe('b');
    expect(evaluate('$response.body#/has_more', page)).toBeUndefined();
    expect(evaluate('$response.body#/data/9/id', page)).toBeUndefined();
    expect(evaluate('$request.path.id', page)).toBeUndefined();
    expect(evaluate('$response.body#/a~1b/c~0d', { 'a/b': { 'c~d': 'x' } })).toBe('x');
  });

  it('gives every item of the page for a pointer into its first item', () => {
    expect(evaluateEach('$response.body#/data/0/id', page)).toEqual(['a', 'b']);
    expect(evaluateEach('$response.body#/id', { id: 'one' })).toEqual(['one']);
    expect(evaluateEach('$response.body#/data/0/id', { data: 'not a list' })).toEqual([]);
    expect(evaluateEach('$url', page)).toEqual([]);
  });
});

describe('the body of a throwaway resource', () => {
  it('is the x-cortex-throwaway with {unique} filled in, wherever it stands', () => {
    expect(throwawayBody(SPEC, op('createUser'), 'q1')).toEqual({ email: 'generated-q1@example.com', name: 'Generated', role: 'viewer' });
    expect(throwawayBody(SPEC, op('createApiKey'), 'q2')).toEqual({ name: 'generated-q2', permissions: [] });
  });

  it('is the request example when the create has no x-cortex-throwaway', () => {
    const spec = specWith((doc) => delete doc.paths['/scans'].post.requestBody.content['application/json']['x-cortex-throwaway']);
    expect(throwawayBody(spec, spec.operations.find((o) => o.operationId === 'createScan')!, 'q3')).toEqual({ target: 'ws-0142.corp.example', scan_type: 'quick' });
  });
});
