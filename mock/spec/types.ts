// The spec's types, as the mock's layers use them: aliases over the types generated from
// openapi/cortex-edr.yaml (mock/generated/api-types.ts, by npm run generate:types). The
// bottom of the mock's house: every layer may import it, it imports nothing of theirs.
import type { components, operations } from '../generated/api-types';

export type Schemas = components['schemas'];
export type Operations = operations;
export type OperationId = keyof operations;

/** Error codes: the spec's ErrorCode enum. */
export type ErrorCode = Schemas['ErrorCode'];
/** Why a credential was refused: the spec's UnauthorizedReason. */
export type UnauthorizedReason = Schemas['UnauthorizedReason'];
