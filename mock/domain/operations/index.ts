// The handlers, keyed by the spec's operationIds. Start-up fails when the two disagree
// (as openapi-backend's strict mode does): no operation without a handler, no handler
// without an operation.
import type { LoadedSpec } from '../../../lib/openapi/load-spec';
import * as apiKeys from './api-keys';
import * as scans from './scans';
import type { AnyHandler, Handlers } from './types';
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

/** The handler of every operation; throws when the spec and the handlers disagree. */
export function bindHandlers(spec: LoadedSpec, handlers: Record<string, AnyHandler> = HANDLERS as Record<string, AnyHandler>): Map<string, AnyHandler> {
  const ids = new Set(spec.operations.map((o) => o.operationId));
  const missing = [...ids].filter((id) => !handlers[id]);
  const extra = Object.keys(handlers).filter((id) => !ids.has(id));
  if (missing.length || extra.length) {
    throw new Error(
      `handlers and spec disagree: ${missing.length ? `no handler for ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `no operation for ${extra.join(', ')}` : ''}`,
    );
  }
  return new Map([...ids].map((id) => [id, handlers[id]]));
}
