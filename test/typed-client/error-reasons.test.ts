// The reasons of every error come from one catalog derived from the specs (ErrorReasons in
// mock/spec/types.ts, over the generated types): a reason neither spec documents does not
// compile, whichever way the error is built. Each snippet is compiled with the project's
// compiler options; the good ones must compile clean, so the bad ones fail for the reason
// named, not for a broken setup.
import { join } from 'node:path';
import { typeErrors } from '../helpers/compile';

const API_ERROR = join(__dirname, '..', '..', 'mock', 'errors', 'api-error');
const WORDS = `{ realm: 'r', unauthorizedMessages: {} as never }`;
const AT = `{ parameter: 'p', location: 'query' as const, schema_path: '#' }`;

const diagnostics = (body: string) => typeErrors(`import { ApiError } from ${JSON.stringify(API_ERROR)};\n${body}\n`);

describe('error reasons typed from the specs', () => {
  it('compiles errors that give documented reasons', () => {
    expect(
      diagnostics(
        [
          `ApiError.conflict('m', { reason: 'limit_reached', resource: 'user' });`,
          `ApiError.conflict('m', { reason: 'already_exists', resource: 'account', id: 'a' });`,
          `ApiError.invalidRequest('m', { ...${AT}, reason: 'invalid_json' });`,
          `ApiError.invalidRequest('m', ${AT});`,
          `ApiError.unauthorized('live_key_in_query', ${WORDS});`,
          `ApiError.controlRefused('control_token', 'm');`,
          `new ApiError(403, 'FORBIDDEN', 'm', { reason: 'host_not_allowed', host: 'h' });`,
          `new ApiError(404, 'NOT_FOUND', 'm', { resource: 'scan' });`,
        ].join('\n'),
      ),
    ).toEqual([]);
  }, 60_000);

  it.each([
    ['a conflict reason no spec lists', `ApiError.conflict('m', { reason: 'quota_exceeded' });`, /"quota_exceeded"/],
    ['a 400 reason no spec lists', `ApiError.invalidRequest('m', { ...${AT}, reason: 'bad_vibes' });`, /"bad_vibes"/],
    ['a 401 reason no spec lists', `ApiError.unauthorized('stolen', ${WORDS});`, /"stolen"/],
    ['a control refusal no spec lists', `ApiError.controlRefused('too_late', 'm');`, /"too_late"/],
    ['a reason of another code', `new ApiError(409, 'CONFLICT', 'm', { reason: 'invalid_json' });`, /"invalid_json"/],
    ['a reason on a code whose details have none', `new ApiError(404, 'NOT_FOUND', 'm', { resource: 'scan', reason: 'gone' });`, /not assignable/],
    ['a reason that is any string', `const r: string = 'x'; ApiError.conflict('m', { reason: r });`, /string/],
  ])('does not compile %s', (_name, snippet, error) => {
    const found = diagnostics(snippet);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(error);
  }, 60_000);
});
