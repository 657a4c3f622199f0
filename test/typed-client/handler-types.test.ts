// Handlers are typed from the spec's generated types: a handler that returns an
// undocumented shape, or reads a body field the operation does not take, does not compile.
// (TypeScript does not check excess properties of an inferred return, so an extra field is
// left to the response validators and the contract suites, which do.)
// Each snippet is compiled with the project's compiler options; the good one must compile
// clean, so the bad ones fail for the reason named, not for a broken setup.
import { join } from 'node:path';
import { typeErrors } from '../helpers/compile';

const TYPES = join(__dirname, '..', '..', 'mock', 'domain', 'operations', 'types');

const diagnostics = (body: string) => typeErrors(`import type { Handler } from ${JSON.stringify(TYPES)};\n${body}\n`);

const SCAN = `{ id: 'scan_x', object: 'scan', target: 't', scan_type: 'quick', status: 'queued', progress: 0, created_at: 'x', started_at: null, finished_at: null, report_id: null, failure_reason: null }`;

describe('handlers typed from the spec', () => {
  it('compiles a handler that returns the documented success body', () => {
    expect(diagnostics(`export const ok: Handler<'getScan'> = (ctx) => { void ctx.params.scan_id; return ${SCAN}; };`)).toEqual([]);
  }, 60_000);

  it.each([
    ['a scan status the spec does not list', `export const h: Handler<'getScan'> = () => ({ ...${SCAN}, status: 'paused' });`, /"paused"/],
    ['a Scan without the fields the schema requires', `export const h: Handler<'getScan'> = () => ({ id: 'scan_x', object: 'scan' });`, /missing the following properties.*target/s],
    ['a user where a scan is documented', `export const h: Handler<'getScan'> = () => ({ id: 'usr_x', object: 'user', email: 'a@b.c', name: 'n', role: 'viewer', created_at: 'x', updated_at: 'x' });`, /"user".*"scan"|"scan".*"user"/s],
    ['a status and body wrapper instead of the body', `export const h: Handler<'getScan'> = () => ({ status: 200, body: ${SCAN} });`, /not assignable/],
    ['a body for a 204 operation', `export const h: Handler<'deleteUser'> = () => ({ deleted: true });`, /undefined/],
    ['a request body field the operation does not take', `export const h: Handler<'createScan'> = (ctx) => { void ctx.body.priority; return ${SCAN}; };`, /priority/],
    ['a path parameter of another operation', `export const h: Handler<'getScan'> = (ctx) => { void ctx.params.user_id; return ${SCAN}; };`, /user_id/],
  ])('does not compile %s', (_name, code, message) => {
    const errors = diagnostics(code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(message);
  }, 60_000);
});
