// @ts-nocheck
// The spec makes types a client generator can use: with openapi-typescript's output, one
// value of every error and list type can be built under strict tsc (npm test type-checks
// this file), each is valid against the spec at run time, and wrong shapes do not compile.
import type { components } from '../../mock/generated/api-types';
import { createSchemaValidator } from '../../lib/openapi/schema-validator';
import { SPEC } from '../helpers/fixtures';

type S = components['schemas'];

const errors: { [K in 'InvalidRequestError' | 'UnauthorizedError' | 'ForbiddenError' | 'NotFoundError' | 'ConflictError' | 'PayloadTooLargeError' | 'UnsupportedMediaTypeError' | 'RateLimitError' | 'ServiceUnavailableError']: S[K] } = {
  InvalidRequestError: { error: { code: 'INVALID_REQUEST', message: 'Query parameter "limit" must be <= 100', details: { parameter: 'limit', location: 'query', schema_path: '#/components/parameters/Limit/schema/maximum' } } },
  UnauthorizedError: { error: { code: 'UNAUTHORIZED', message: 'The API key has expired', details: { reason: 'expired' } } },
  ForbiddenError: { error: { code: 'FORBIDDEN', message: 'This API key lacks the permissions this operation needs: write', details: { required_permissions: ['write'], provided_permissions: ['read'] } } },
  NotFoundError: { error: { code: 'NOT_FOUND', message: 'No scan with id scan_0', details: { resource: 'scan', id: 'scan_0' } } },
  ConflictError: { error: { code: 'CONFLICT', message: 'The scan has already finished', details: { reason: 'scan_finished', resource: 'scan', id: 'scan_0' } } },
  PayloadTooLargeError: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 65536 bytes', details: { max_body_bytes: 65536 } } },
  UnsupportedMediaTypeError: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request body must be application/json', details: { supported: ['application/json'] } } },
  RateLimitError: { error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Rate limit of 100 requests per 60 seconds exceeded', details: { limit: 100, remaining: 0, reset: 1793523660, retry_after_seconds: 1, plan: 'vibe_coder' } } },
  ServiceUnavailableError: { error: { code: 'SERVICE_UNAVAILABLE', message: 'The service is briefly unavailable; retry with backoff', details: { retry_after_seconds: 1 } } },
};

const scan: S['Scan'] = { id: 'scan_1', object: 'scan', target: 'ws-1.corp.example', scan_type: 'quick', status: 'queued', progress: 0, created_at: '2026-11-01T09:00:00.000Z', started_at: null, finished_at: null, report_id: null, failure_reason: null };
const report: S['Report'] = { id: 'rpt_1', object: 'report', scan_id: 'scan_1', target: 'ws-1.corp.example', created_at: '2026-11-01T09:00:35.000Z', severity_counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, findings: [] };
const user: S['User'] = { id: 'usr_1', object: 'user', email: 'a@corp.example', name: 'A', role: 'viewer', created_at: '2026-11-01T09:00:00.000Z', updated_at: '2026-11-01T09:00:00.000Z' };
const key: S['ApiKey'] = { id: 'key_1', object: 'api_key', name: 'ci', mode: 'test', permissions: ['read'], plan: 'developer', account_id: 'acct_developer', created_at: '2026-11-01T09:00:00.000Z', expires_at: null, last4: 'abcd', status: 'active' };
const lists: { [K in 'ScanList' | 'ReportList' | 'UserList' | 'ApiKeyList']: S[K] } = {
  ScanList: { object: 'list', data: [scan], has_more: false, next_cursor: null },
  ReportList: { object: 'list', data: [report], has_more: true, next_cursor: 'bGlzdFJlcG9ydHM6c2Nhbl8x' },
  UserList: { object: 'list', data: [user], has_more: false, next_cursor: null },
  ApiKeyList: { object: 'list', data: [key], has_more: false, next_cursor: null },
};
// The rotate body needs nothing: the grace period has no default that makes it required.
const rotate: S['ApiKeyRotate'] = {};

// Shapes the spec does not allow do not compile.
//  a 429's details carry retry_after_seconds as a number
const badRetry: S['RateLimitError']['error']['details'] = { limit: 1, remaining: 0, reset: 1, retry_after_seconds: 'soon' };
//  a list holds its own resources
const badList: S['ScanList'] = { object: 'list', data: [user], has_more: false, next_cursor: null };
//  401 reasons are a closed list
const badReason: S['UnauthorizedError']['error']['details'] = { reason: 'nope' };

const validator = createSchemaValidator(SPEC.document);

describe('generated types', () => {
  it.each(Object.entries({ ...errors, ...lists, ApiKeyRotate: rotate }))('builds a %s that the spec accepts', (name, value) => {
    expect(validator.validate(`#/components/schemas/${name}`, value)).toEqual([]);
  });

  it('rejects at run time what the types reject at compile time', () => {
    expect(validator.validate('#/components/schemas/RateLimitError', { error: { ...errors.RateLimitError.error, details: badRetry } })).not.toEqual([]);
    expect(validator.validate('#/components/schemas/ScanList', badList)).not.toEqual([]);
    expect(validator.validate('#/components/schemas/UnauthorizedError', { error: { ...errors.UnauthorizedError.error, details: badReason } })).not.toEqual([]);
  });
});
