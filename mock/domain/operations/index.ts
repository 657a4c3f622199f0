// The handlers, keyed by the spec's operationIds. Start-up fails when the two disagree
// (as openapi-backend's strict mode does): no operation without a handler, no handler
// without an operation. Binding gives each handler its stores, and wraps the handlers of
// operations that declare an idempotency key.
import type { LoadedSpec } from '../../../lib/openapi/load-spec';
import { idempotencyOf, idempotent } from './idempotent';
import type { MockState } from '../resources/state';
import * as apiKeys from './api-keys';
import * as scans from './scans';
import type { AnyHandler, BoundOperation, Handlers } from './types';
import * as users from './users';

export const HANDLERS: Handlers = {
  listScans: scans.listScans,
  createScan: scans.createScan,
  getScan: scans.getScan,
  cancelScan: scans.cancelScan,
  listReports: scans.listReports,
  getReport: scans.getReport,
  listUsers: users.listUsers,
  createUser: users.createUser,
  getUser: users.getUser,
  updateUser: users.updateUser,
  deleteUser: users.deleteUser,
  listApiKeys: apiKeys.listApiKeys,
  createApiKey: apiKeys.createApiKey,
  getApiKey: apiKeys.getApiKey,
  rotateApiKey: apiKeys.rotateApiKey,
  revokeApiKey: apiKeys.revokeApiKey,
  getWhoami: apiKeys.getWhoami,
};

/**
 * The operation of every operationId: its handler bound to the app's stores, with
 * Idempotency-Key replay where the spec declares one. Throws when the spec and the
 * handlers disagree.
 */
export function bindHandlers(spec: LoadedSpec, state: MockState, handlers: Record<string, AnyHandler> = HANDLERS as Record<string, AnyHandler>): Map<string, BoundOperation> {
  const ids = new Set(spec.operations.map((o) => o.operationId));
  const missing = [...ids].filter((id) => !handlers[id]);
  const extra = Object.keys(handlers).filter((id) => !ids.has(id));
  if (missing.length || extra.length) {
    throw new Error(
      `handlers and spec disagree: ${missing.length ? `no handler for ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `no operation for ${extra.join(', ')}` : ''}`,
    );
  }
  return new Map(
    spec.operations.map((op) => {
      const handler = handlers[op.operationId];
      // The state is the stores, read when a handler runs (a reset replaces the seeded
      // sources); a handler's type lets it see only the stores it uses.
      const bound: BoundOperation = (r) => ({
        // Field by field, not a spread: this runs on every request.
        body: handler({ op: r.op, principal: r.principal, params: r.params, query: r.query, headers: r.headers, body: r.body, now: r.now, rateLimit: r.rateLimit, plan: r.plan, stores: state }),
      });
      const declared = idempotencyOf(spec, op);
      return [op.operationId, declared ? idempotent(bound, op, declared, state.idempotency) : bound];
    }),
  );
}
