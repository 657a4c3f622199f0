// Names what is wrong with a signing requirement (control.yaml SigningRequirement, a oneOf
// by `alg`). A validator reports a oneOf's failure as its first branch's (`signing.secret is
// required` for an Ed25519 key), so the failure is re-read against the branch the `alg`
// means, as the fault rule checker does with Fault's kinds (domain/faults/check-rule.ts). The
// algorithms are the branches' `alg` consts: no list of them lives here.
import { describeFailure, type SchemaFailure } from '../../../../lib/openapi/schema-validator';

/** What is wrong with a requirement: the field inside it (`['alg']`), why, and the schema keyword, if one. */
export interface SigningRequirementProblem {
  path: string[];
  reason: string;
  schemaPath?: string;
}

/** SigningRequirement as far as this reads it: a oneOf whose branches fix `alg`. */
export interface SigningRequirementSchema {
  oneOf: ReadonlyArray<{ properties?: Record<string, { const?: unknown; description?: string }> }>;
}

/** The algorithms the requirement's branches name (their `alg` consts), in the spec's order. */
export function signingAlgorithms(schema: SigningRequirementSchema): string[] {
  return schema.oneOf.map((branch, i) => {
    const alg = branch.properties?.alg?.const;
    if (typeof alg !== 'string') throw new Error(`SigningRequirement: oneOf/${i} fixes no alg (properties.alg.const)`);
    return alg;
  });
}

/**
 * The problem of a requirement, or undefined when its branch takes it (or it is not an object,
 * which the generic failure names). `validateBranch(i, value)` validates against oneOf/i;
 * `pointer` is where SigningRequirement is, for the schema path of an unknown alg.
 */
export function signingRequirementProblem(
  value: unknown,
  schema: SigningRequirementSchema,
  validateBranch: (index: number, value: unknown) => SchemaFailure[],
  pointer: string,
): SigningRequirementProblem | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const algs = signingAlgorithms(schema);
  const { alg } = value as Record<string, unknown>;
  if (alg === undefined) return { path: ['alg'], reason: `is required: one of ${algs.join(', ')}`, schemaPath: `${pointer}/oneOf` };
  const branch = typeof alg === 'string' ? algs.indexOf(alg) : -1;
  if (branch === -1) return { path: ['alg'], reason: `must be one of ${algs.join(', ')}`, schemaPath: `${pointer}/oneOf` };
  const failure = validateBranch(branch, value)[0];
  if (!failure) return undefined;
  const { path, reason } = describeFailure(failure);
  // A pattern says little by itself: the field's description says what it must be.
  const described = failure.keyword === 'pattern' && path.length === 1 ? schema.oneOf[branch].properties?.[path[0]]?.description : undefined;
  return { path, reason: described ? `${reason}: ${described}` : reason, schemaPath: failure.schemaPath };
}
