// The roles a run holds a key for, and which of them an operation must accept or refuse,
// from the permissions its security requirements name.
import type { SpecOperation } from '../../lib/openapi/load-spec';

export type Role = 'read' | 'write' | 'admin' | 'noPerm';

/** What each role's key carries: the env variables are named for these permissions. */
export const ROLE_PERMISSIONS: Record<Role, string[]> = { read: ['read'], write: ['write'], admin: ['admin'], noPerm: [] };

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
