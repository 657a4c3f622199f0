// The spec's types, as the mock's layers use them: aliases over the types generated from
// openapi/cortex-edr.yaml and openapi/control.yaml (mock/generated/, by npm run
// generate:types). The bottom of the mock's house: every layer may import it, it imports
// nothing of theirs.
import type { components, operations } from '../generated/api-types';
import type { components as controlComponents } from '../generated/control-types';

export type Schemas = components['schemas'];
export type Operations = operations;
export type OperationId = keyof operations;

/** Error codes: the spec's ErrorCode enum. */
export type ErrorCode = Schemas['ErrorCode'];
/** Why a credential was refused: the spec's UnauthorizedReason. */
export type UnauthorizedReason = Schemas['UnauthorizedReason'];

type ControlSchemas = controlComponents['schemas'];
type DetailsOf<E extends { error: { details: unknown } }> = E['error']['details'];
/** The `reason` of a details object, or of each member of a union of them. */
type ReasonIn<D> = D extends { reason?: infer R } ? Exclude<R, undefined> : never;

/**
 * The one catalog of error reasons, by error code: each is the enum (or const) of that
 * error's `details.reason` in the public spec or the control API's, and nothing else, so a
 * reason the specs do not document does not compile (test/typed-client/error-reasons.test.ts).
 */
export interface ErrorReasons {
  INVALID_REQUEST: ReasonIn<DetailsOf<Schemas['InvalidRequestError']>>;
  UNAUTHORIZED: ReasonIn<DetailsOf<Schemas['UnauthorizedError']>>;
  FORBIDDEN: ReasonIn<DetailsOf<Schemas['ForbiddenError']>> | ReasonIn<DetailsOf<ControlSchemas['RefusedError']>>;
  CONFLICT: ReasonIn<DetailsOf<Schemas['ConflictError']>> | ReasonIn<DetailsOf<ControlSchemas['ControlConflictError']>>;
  SERVICE_UNAVAILABLE: ReasonIn<DetailsOf<Schemas['ServiceUnavailableError']>>;
}

/** The reasons an error of `code` may give: none for a code whose details have no reason. */
export type ErrorReason<C extends ErrorCode> = C extends keyof ErrorReasons ? ErrorReasons[C] : never;
