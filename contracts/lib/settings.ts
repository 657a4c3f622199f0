// What a contract run targets and may do: one settings object, made once by the runner
// (contracts/run.ts) from its flags, the environment and a .env file, and handed to every
// suite. Safe by default: read-only, no exhaustion, no live keys for anything that changes
// state.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SigningSettings } from './signing';

export type TargetKind = 'mock' | 'prism' | 'server';

export type KeyRole = 'read' | 'write' | 'admin' | 'noPerm' | 'expired' | 'revoked';

/** The environment variable of each key, as the README lists them. */
export const KEY_ENV: Record<KeyRole, string> = {
  read: 'CORTEX_API_KEY',
  write: 'CORTEX_WRITE_KEY',
  admin: 'CORTEX_ADMIN_KEY',
  noPerm: 'CORTEX_NOPERM_KEY',
  expired: 'CORTEX_EXPIRED_KEY',
  revoked: 'CORTEX_REVOKED_KEY',
};

export interface Settings {
  baseUrl: string;
  target: TargetKind;
  keys: Partial<Record<KeyRole, string>>;
  allowWrites: boolean;
  allowExhaust: boolean;
  allowLive: boolean;
  /** The server honours `Prefer: code=NNN` (the mock and Prism do). */
  preferCodes: boolean;
  /** Per request. */
  timeoutMs: number;
  /** The whole run ends by then (epoch ms). */
  deadline: number;
  maxResponseBytes: number;
  /** Response bodies nested deeper fail their check unparsed (default 1000). */
  maxJsonDepth?: number;
  /** Response bodies with more objects and arrays fail their check unparsed (default 100,000). */
  maxJsonContainers?: number;
  /** The generative phase (--generate): its seed and examples per operation. */
  generate?: { seed: number; examples: number };
  /** The mock's control API, when the run may move the mock's clock (--target mock). */
  controlUrl?: string;
  reportDir: string;
  /** Request signing (RFC 9421): the key that requires it and its secret (CORTEX_SIGNING_*, or the mock the runner starts; signing.ts). */
  signing?: SigningSettings;
}

/** Reads `.env` from `dir` without overriding the real environment. */
export function loadDotEnv(dir: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = join(dir, '.env');
  if (!existsSync(file)) return env;
  const out = { ...env };
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const value = m[2].replace(/^(['"])(.*)\1$/, '$2');
    if (out[m[1]] === undefined) out[m[1]] = value;
  }
  return out;
}

/** The keys the environment gives, by role. */
export function keysFrom(env: NodeJS.ProcessEnv): Settings['keys'] {
  const keys: Settings['keys'] = {};
  for (const [role, name] of Object.entries(KEY_ENV) as Array<[KeyRole, string]>) if (env[name]) keys[role] = env[name];
  return keys;
}

/**
 * What a target cannot do, by capability, with the reason the report prints. Prism's mock
 * checks only that a credential is present, and holds no state.
 */
export const CANNOT: Record<TargetKind, Partial<Record<Capability, string>>> = {
  mock: {},
  server: {},
  prism: {
    'key-validity': 'Prism checks only that a credential is present, not whether the key is valid, expired or revoked',
    'auth-details': 'Prism answers 401 with the spec example, so the reason and the RFC 6750 challenge are not the real ones',
    permissions: 'Prism does not check permissions (role lists in security requirements)',
    'rate-limits': 'Prism does not count requests: its rate-limit headers are static examples',
    state: 'Prism holds no state: created resources do not appear in later reads',
    'body-limits': 'Prism answers an oversized or non-JSON body with a 400 example, not the documented 413 or 415',
    validation: 'Prism answers a request that breaks the spec with 422 and a body of its own, not the documented 400 naming the parameter',
    signing: 'Prism does not check request signatures (RFC 9421): a key that requires them is a key like any other there',
    caching: 'Prism does not compute entity-tags: its ETag is the spec example and If-None-Match is ignored',
  },
};

export type Capability = 'key-validity' | 'auth-details' | 'permissions' | 'rate-limits' | 'state' | 'validation' | 'body-limits' | 'signing' | 'caching';
