// What a contract run targets and may do, from the environment (and a .env file), as the
// runner (contracts/run.ts) sets it. Safe by default: read-only, no exhaustion, no live keys
// for anything that changes state.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

export type TargetKind = 'mock' | 'prism' | 'server';

export interface Settings {
  baseUrl: string;
  target: TargetKind;
  keys: {
    read?: string;
    write?: string;
    admin?: string;
    noPerm?: string;
    expired?: string;
    revoked?: string;
  };
  allowWrites: boolean;
  allowExhaust: boolean;
  allowLive: boolean;
  /** The server honours `Prefer: code=NNN` (the mock and Prism do). */
  preferCodes: boolean;
  timeoutMs: number;
  reportDir: string;
}

/** Reads `.env` from the working directory without overriding the real environment. */
export function loadDotEnv(dir = process.cwd(), env: NodeJS.ProcessEnv = process.env): void {
  const file = join(dir, '.env');
  if (!existsSync(file)) return;
  const parsed = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  for (const [k, v] of Object.entries(parsed)) if (env[k] === undefined) env[k] = v;
}

const flag = (v: string | undefined) => v === '1' || v === 'true';

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  loadDotEnv(process.cwd(), env);
  const baseUrl = (env.CORTEX_BASE_URL ?? '').replace(/\/$/, '');
  if (!baseUrl) throw new Error('CORTEX_BASE_URL is not set: pass --base-url or set it in the environment or .env');
  const target = (env.CONTRACT_TARGET as TargetKind | undefined) ?? 'server';
  return {
    baseUrl,
    target,
    keys: {
      read: env.CORTEX_API_KEY || undefined,
      write: env.CORTEX_WRITE_KEY || undefined,
      admin: env.CORTEX_ADMIN_KEY || undefined,
      noPerm: env.CORTEX_NOPERM_KEY || undefined,
      expired: env.CORTEX_EXPIRED_KEY || undefined,
      revoked: env.CORTEX_REVOKED_KEY || undefined,
    },
    allowWrites: flag(env.CONTRACT_ALLOW_WRITES),
    allowExhaust: flag(env.CONTRACT_ALLOW_EXHAUST),
    allowLive: flag(env.CONTRACT_ALLOW_LIVE),
    preferCodes: flag(env.CONTRACT_PREFER_CODES) || target === 'mock' || target === 'prism',
    timeoutMs: Number(env.CONTRACT_TIMEOUT_MS ?? 10_000),
    reportDir: env.CONTRACT_REPORT_DIR ?? join(process.cwd(), 'reports', 'contract'),
  };
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
  },
};

export type Capability = 'key-validity' | 'auth-details' | 'permissions' | 'rate-limits' | 'state';
