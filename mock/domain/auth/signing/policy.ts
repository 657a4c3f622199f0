// What request signing (RFC 9421) asks of a key that requires it: read once from the spec's
// x-cortex-signing (on the bearerAuth scheme), the tolerance overridden by the config's
// signing_tolerance_seconds. No table of components or algorithms lives in code.
import type { LoadedSpec } from '../../../../lib/openapi/load-spec';

/** A key's signing requirement (config keys[].signing, POST /_mock/keys `signing`). */
export type SigningRequirement =
  | { alg: 'hmac-sha256'; /** base64 */ secret: string }
  | { alg: 'ed25519'; /** SPKI PEM */ public_key: string };

/** What every signed request must satisfy (RFC 9421 section 3.2.1: the application's requirements). */
export interface SigningPolicy {
  algorithms: readonly string[];
  requiredComponents: readonly string[];
  /** Also required when the request has a body. */
  bodyComponents: readonly string[];
  requiredParameters: readonly string[];
  digestAlgorithms: readonly string[];
  toleranceSeconds: number;
  replayCacheSize: number;
}

/** The spec's x-cortex-signing, with the config's tolerance when it gives one. */
export function signingPolicyOf(spec: LoadedSpec, toleranceSeconds?: number): SigningPolicy {
  const schemes = spec.document.components?.securitySchemes as Record<string, Record<string, unknown>> | undefined;
  const found = Object.values(schemes ?? {}).find((s) => s['x-cortex-signing'] !== undefined)?.['x-cortex-signing'] as Record<string, unknown> | undefined;
  if (!found) throw new Error('the spec has no x-cortex-signing on a security scheme');
  const list = (name: string) => {
    const v = found[name];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`x-cortex-signing.${name} must be a list of strings`);
    return v as string[];
  };
  const int = (name: string) => {
    const v = found[name];
    if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`x-cortex-signing.${name} must be a positive integer`);
    return v as number;
  };
  return {
    algorithms: list('algorithms'),
    requiredComponents: list('required_components'),
    bodyComponents: list('body_components'),
    requiredParameters: list('required_parameters'),
    digestAlgorithms: list('digest_algorithms'),
    toleranceSeconds: toleranceSeconds ?? int('tolerance_seconds'),
    replayCacheSize: int('replay_cache_size'),
  };
}

/** The JSON Schema of a signing requirement, as config keys[].signing and control.yaml's SigningRequirement write it. */
export const SIGNING_REQUIREMENT_SCHEMA = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['alg', 'secret'],
      properties: { alg: { const: 'hmac-sha256' }, secret: { type: 'string', minLength: 24, maxLength: 1024, pattern: '^[A-Za-z0-9+/]+={0,2}$' } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['alg', 'public_key'],
      properties: {
        alg: { const: 'ed25519' },
        public_key: { type: 'string', maxLength: 4096, pattern: '^-----BEGIN PUBLIC KEY-----', description: 'an Ed25519 public key as SPKI PEM (-----BEGIN PUBLIC KEY-----), never the private key' },
      },
    },
  ],
} as const;
