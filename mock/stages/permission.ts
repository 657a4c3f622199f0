// The permission stage (403): the operation's security alternatives decide for the caller's
// key (domain/auth/permissions.ts); a key sent by a scheme the operation does not take is no
// credential for it (401).
import { createPermissionCheck } from '../domain/auth/permissions';
import { ApiError } from '../errors/api-error';
import type { LoadedSpec } from '../../lib/openapi/load-spec';
import type { Reached, Stage } from './context';

/** Creates the permission stage from the spec's implications (admin implies read and write). */
export function createPermissionStage(spec: LoadedSpec): Stage<Reached> {
  const permissions = createPermissionCheck(spec.permissionImplications);
  const words = spec.vocabulary;
  return (ctx) => {
    const { principal } = ctx.caller;
    const decision = permissions.permit(ctx.routed.op.security, principal.scheme, principal.key.permissions);
    if (decision.allowed) return;
    if ('scheme' in decision) return ApiError.unauthorized('missing', words);
    return ApiError.forbidden(decision.required, decision.provided, words);
  };
}
