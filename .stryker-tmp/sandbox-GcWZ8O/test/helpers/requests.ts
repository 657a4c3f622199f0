// @ts-nocheck
// Builds a valid request for any operation of the spec: real ids from the mock's seeded
// state for path parameters, and the spec's own request example for the body.
import type { Mock } from '../../mock/app';
import type { SpecOperation } from '../../lib/openapi/load-spec';
import { SPEC } from './fixtures';

const ACCOUNT = 'acct_developer';

export interface BuiltRequest {
  method: string;
  path: string;
  body?: unknown;
}

/** An id of a live resource of the developer account for each path parameter name. */
export function pathIds(mock: Mock): Record<string, string> {
  const now = mock.clock.now();
  const scans = mock.state.scans.listOf(ACCOUNT);
  const active = scans.find((s) => ['queued', 'running'].includes(mock.state.scans.view(s, now).status))!;
  const completed = scans.find((s) => mock.state.scans.view(s, now).status === 'completed')!;
  return {
    scan_id: active.id,
    report_id: mock.state.scans.view(completed, now).report_id!,
    user_id: mock.state.users.listOf(ACCOUNT)[0].id,
    key_id: 'key_read_write',
  };
}

export function buildRequest(mock: Mock, op: SpecOperation): BuiltRequest {
  const ids = pathIds(mock);
  const path = SPEC.basePath + op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => ids[name]);
  const raw = (SPEC.document.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>>)[op.path][op.method];
  return { method: op.method, path, body: raw.requestBody?.content['application/json'].example };
}
