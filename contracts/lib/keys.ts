// Which key plays which role for an operation, and the ids of live resources to read.
import type { SpecOperation } from '../../lib/openapi/load-spec';
import { SPEC } from './checks';
import { call, operation, settings } from './client';

export type Role = 'read' | 'write' | 'admin' | 'noPerm';

const ENV_NAME: Record<Role, string> = { read: 'CORTEX_API_KEY', write: 'CORTEX_WRITE_KEY', admin: 'CORTEX_ADMIN_KEY', noPerm: 'CORTEX_NOPERM_KEY' };
/** What each role's key carries: the env variables are named for these permissions. */
export const ROLE_PERMISSIONS: Record<Role, string[]> = { read: ['read'], write: ['write'], admin: ['admin'], noPerm: [] };

export const keyOf = (role: Role) => settings.keys[role];
export const keyMissing = (role: Role): [boolean, string] => [keyOf(role) !== undefined, `${ENV_NAME[role]} is not set`];

/** The role whose key the operation should accept (admin implies read and write). */
export function rightRole(op: SpecOperation): Role {
  const needs = op.requiredPermissions;
  if (needs.length === 0 || needs.every((p) => p === 'read')) return 'read';
  if (needs.every((p) => p === 'write')) return 'write';
  return 'admin';
}

/** Roles whose key must be refused with 403 for the operation. */
export function lackingRoles(op: SpecOperation): Role[] {
  if (op.requiredPermissions.length === 0) return [];
  return (['read', 'write', 'noPerm'] as Role[]).filter((r) => !op.requiredPermissions.every((p) => ROLE_PERMISSIONS[r].includes(p)));
}

const LISTS: Record<string, { list: string; role: Role; field?: string }> = {
  scan_id: { list: 'listScans', role: 'read' },
  report_id: { list: 'listReports', role: 'read' },
  user_id: { list: 'listUsers', role: 'admin' },
  key_id: { list: 'listApiKeys', role: 'admin' },
};

/** An existing id for each path parameter of `op`, read from the list operations. */
export async function existingIds(op: SpecOperation): Promise<Record<string, string> | string> {
  const params: Record<string, string> = {};
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    const source = LISTS[p.name];
    if (!source) return `no list operation gives a ${p.name}`;
    const key = keyOf(source.role);
    if (!key) return `${source.list} needs the ${source.role} key`;
    const res = await call(operation(source.list), { key, auth: 'valid', query: { limit: '1' } });
    const first = (res.body as { data?: Array<{ id: string }> }).data?.[0];
    if (!first) return `${source.list} returned no item to read`;
    params[p.name] = first.id;
  }
  return params;
}

/** A request body for `op`: the spec's own request example. */
export function exampleBody(op: SpecOperation): unknown {
  const doc = SPEC.document as unknown as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>> };
  return doc.paths[op.path][op.method].requestBody?.content['application/json'].example;
}
