// The mock's configuration: defaults from default-config.yaml, overridden by a config file
// and the command line, checked against a JSON Schema at the boundary and then frozen. A
// bad file stops start-up with a message that names the field.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { YAMLException } from 'js-yaml';
import type { LoadedSpec } from '../../lib/openapi/load-spec';
import { describeFailure } from '../../lib/openapi/schema-validator';
import { loadValidatorModule, newAjv, parseYaml, validatorCacheFile, type AjvOptions } from '../../lib/openapi/precompiled';

import { PACKAGE_ROOT } from '../../lib/paths';
import { hashSecret, modeOf } from './secrets';
import { CLOCK_RANGE } from '../clock';
import { parseDateTime } from '../../lib/date-time';

export const DEFAULT_CONFIG_PATH = join(PACKAGE_ROOT, 'mock', 'config', 'default-config.yaml');

export interface AccountConfig {
  id: string;
  name: string;
  plan: string;
}

/** A key as a config file writes it. */
interface RawKeyConfig {
  id: string;
  name: string;
  secret: string;
  account_id: string;
  permissions: string[];
  expires_at?: string | null;
  status?: 'active' | 'revoked';
}

/**
 * A checked key. Its secret is kept only as a SHA-256 hash, except for the well-known keys
 * of the default configuration: those are public fixtures, printed and listed on purpose.
 */
export interface KeyConfig {
  id: string;
  name: string;
  account_id: string;
  permissions: string[];
  expires_at: string | null;
  status: 'active' | 'revoked';
  mode: 'test' | 'live';
  last4: string;
  secret_sha256: string;
  /** Only for the well-known keys of the default configuration. */
  well_known_secret?: string;
}

export interface PlanOverride {
  requests_per_window?: number;
  window_seconds?: number;
}

/** The checked, frozen configuration the app runs on. */
export interface MockConfig {
  seed: number;
  /** ISO time the clock starts at; absent for the real time. */
  clock?: string;
  /** With `clock`, let time run on instead of freezing it. */
  clock_running: boolean;
  allow_live_keys: boolean;
  allow_live_keys_in_query: boolean;
  plans: Record<string, PlanOverride>;
  accounts: AccountConfig[];
  keys: KeyConfig[];
  /** Keep the well-known accounts and keys of the defaults next to the file's own. */
  include_default_keys: boolean;
  journal_size: number;
  /** The journal's budget in bytes (long URLs are cut to fit); the oldest entries go first. */
  journal_max_bytes: number;
  /** Scans kept per account; past it the oldest finished scans go first. */
  max_scans_per_account: number;
  /** Users and API keys per account; past it a create is a 409. */
  max_users_per_account: number;
  max_keys_per_account: number;
  /** Accounts the mock keeps, the configured ones included; past it POST /_mock/accounts is a 409. */
  max_accounts: number;
  /** The spec's x-cortex-auth-failure-limit, overridden; false switches it off. */
  auth_failure_limit: { max_failures: number; window_seconds: number } | false;
  /** Host names (besides loopback names, IP literals and the bound host) requests may name; 'all' turns the check off. */
  allowed_hosts: string[] | 'all';
  /** Required as X-Mock-Control-Token on /_mock when set (generated when bound to a non-loopback address). */
  control_token?: string;
  /** CORS on /v1: on for every origin by default, as Prism does. */
  cors: { enabled: boolean; origins: string[] | '*' };
  log_level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** A config problem, naming the field (`plans.developer.window_seconds`) and the reason. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly source: string,
  ) {
    super(`${source}: ${field ? `${field}: ` : ''}${reason}`);
    this.name = 'ConfigError';
  }
}

/** The JSON Schema of a config file; plan ids come from the spec's x-cortex-plans. */
export function configSchema(spec: LoadedSpec): object {
  const planIds = spec.plans.map((p) => p.id);
  const permissions = Object.keys(spec.permissionImplications);
  const keySecret = (spec.document.components?.schemas?.ApiKeySecret as { pattern: string }).pattern;
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      seed: { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1 },
      clock: { type: 'string', format: 'date-time' },
      clock_running: { type: 'boolean' },
      allow_live_keys: { type: 'boolean' },
      allow_live_keys_in_query: { type: 'boolean' },
      include_default_keys: { type: 'boolean' },
      journal_size: { type: 'integer', minimum: 0, maximum: 1_000_000 },
      journal_max_bytes: { type: 'integer', minimum: 0, maximum: 1_073_741_824 },
      max_scans_per_account: { type: 'integer', minimum: 1, maximum: 1_000_000 },
      max_users_per_account: { type: 'integer', minimum: 1, maximum: 1_000_000 },
      max_keys_per_account: { type: 'integer', minimum: 1, maximum: 1_000_000 },
      max_accounts: { type: 'integer', minimum: 1, maximum: 1_000_000 },
      auth_failure_limit: {
        oneOf: [
          { const: false },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              max_failures: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
              window_seconds: { type: 'integer', minimum: 1, maximum: 86_400 },
            },
          },
        ],
      },
      allowed_hosts: {
        oneOf: [
          { const: 'all' },
          { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 253, pattern: '^(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$' } },
        ],
      },
      control_token: { type: 'string', minLength: 16, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' },
      cors: {
        oneOf: [
          { type: 'boolean' },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              enabled: { type: 'boolean' },
              origins: {
                oneOf: [
                  { const: '*' },
                  { type: 'array', maxItems: 1000, items: { type: 'string', pattern: '^https?://[^/\\s]+$' } },
                ],
              },
            },
          },
        ],
      },
      log_level: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
      plans: {
        type: 'object',
        propertyNames: { enum: planIds },
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          properties: {
            requests_per_window: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
            window_seconds: { type: 'integer', minimum: 1, maximum: 86_400 },
          },
        },
      },
      accounts: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name', 'plan'],
          properties: {
            id: { type: 'string', pattern: spec.vocabulary.idPatterns.account },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            plan: { enum: planIds },
          },
        },
      },
      keys: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name', 'secret', 'account_id', 'permissions'],
          properties: {
            id: { type: 'string', pattern: spec.vocabulary.idPatterns.api_key },
            name: { type: 'string', minLength: 1, maxLength: 100 },
            secret: { type: 'string', pattern: keySecret },
            account_id: { type: 'string' },
            permissions: { type: 'array', uniqueItems: true, items: { enum: permissions } },
            expires_at: { type: ['string', 'null'], format: 'date-time' },
            status: { enum: ['active', 'revoked'] },
          },
        },
      },
    },
  };
}

/** The first failure worth naming: under a oneOf, the branch closest to what was written. */
function mainError(errors: ErrorObject[]): ErrorObject {
  const deepest = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length || (a.keyword === 'oneOf' ? 1 : 0) - (b.keyword === 'oneOf' ? 1 : 0));
  return deepest[0];
}

/** A config error's field, spelled as YAML users read it: `keys[0].expires_at`. */
function describeAjvError(e: ErrorObject): { field: string; reason: string } {
  const { path, reason } = describeFailure({ ...e, params: e.params as Record<string, unknown> });
  const field = path.reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
  return { field, reason };
}

/** Parses YAML or JSON text, naming the line of a syntax error. */
export function parseConfigText(text: string, source: string): unknown {
  try {
    // js-yaml refuses duplicate keys, so a setting cannot silently be given twice.
    const value = parseYaml(text);
    return value ?? {};
  } catch (err) {
    if ((err as Error).name === 'YAMLException') {
      const { mark, reason } = err as YAMLException;
      throw new ConfigError('', `not valid YAML or JSON${mark ? ` (line ${mark.line + 1}, column ${mark.column + 1})` : ''}: ${reason}`, source);
    }
    throw new ConfigError('', `cannot be parsed: ${(err as Error).message}`, source);
  }
}

/** Reads a config file; a missing or unreadable file is a ConfigError. */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('', `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, path);
  }
  return parseConfigText(text, path);
}

type RawConfig = Record<string, unknown>;

// allErrors, so a oneOf failure can be traced to the branch that was meant (mainError).
export const CONFIG_AJV_OPTIONS: AjvOptions = { allErrors: true, strict: false, validateSchema: false };

/** The config schema's validator: the build's, when it compiled this exact schema. */
export function compileConfigSchema(schema: object): ValidateFunction {
  const built = loadValidatorModule<{ validate: ValidateFunction }>(validatorCacheFile('config', CONFIG_AJV_OPTIONS, schema));
  return built?.validate ?? newAjv(CONFIG_AJV_OPTIONS).compile(schema);
}

// Compiled once per spec: the schema is a function of the spec alone.
const compiledSchemas = new WeakMap<LoadedSpec, ValidateFunction>();

/**
 * Checks raw config against the schema and the cross-field rules, merges it over the
 * defaults, and returns it frozen.
 */
export function buildConfig(spec: LoadedSpec, raw: unknown = {}, source = 'config'): MockConfig {
  let check = compiledSchemas.get(spec);
  if (!check) {
    check = compileConfigSchema(configSchema(spec));
    compiledSchemas.set(spec, check);
  }
  const validateRaw = (value: unknown, from: string): RawConfig => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError('', 'must be a mapping of settings (YAML or JSON object)', from);
    }
    if (!check!(value)) {
      const { field, reason } = describeAjvError(mainError(check!.errors!));
      throw new ConfigError(field, reason, from);
    }
    return value as RawConfig;
  };

  // Read each time (from the build's parsed copy): a cache here would be keyed by nothing.
  const defaults = validateRaw(readConfigFile(DEFAULT_CONFIG_PATH), DEFAULT_CONFIG_PATH);
  const file = validateRaw(raw, source);
  const includeDefaults = (file.include_default_keys as boolean | undefined) ?? true;

  const accounts = [
    ...(includeDefaults ? (defaults.accounts as AccountConfig[]) : []),
    ...((file.accounts as AccountConfig[] | undefined) ?? []),
  ];
  const defaultKeys = includeDefaults ? (defaults.keys as RawKeyConfig[]) : [];
  const rawKeys = [...defaultKeys, ...((file.keys as RawKeyConfig[] | undefined) ?? [])];

  const seenAccounts = new Set<string>();
  accounts.forEach((a, i) => {
    if (seenAccounts.has(a.id)) throw new ConfigError(`accounts[${i}].id`, `duplicate account id ${a.id}`, source);
    seenAccounts.add(a.id);
  });
  const seenIds = new Set<string>();
  const seenSecrets = new Set<string>();
  const fileKeyOffset = defaultKeys.length;
  rawKeys.forEach((k, i) => {
    const field = `keys[${i - fileKeyOffset}]`;
    if (!seenAccounts.has(k.account_id)) throw new ConfigError(`${field}.account_id`, `no account ${k.account_id}`, source);
    if (seenIds.has(k.id)) throw new ConfigError(`${field}.id`, `duplicate key id ${k.id}`, source);
    if (seenSecrets.has(k.secret)) throw new ConfigError(`${field}.secret`, 'duplicate secret', source);
    seenIds.add(k.id);
    seenSecrets.add(k.secret);
  });

  const keys: KeyConfig[] = rawKeys.map((k, i) => ({
    id: k.id,
    name: k.name,
    account_id: k.account_id,
    permissions: [...k.permissions],
    expires_at: k.expires_at ?? null,
    status: k.status ?? 'active',
    mode: modeOf(k.secret, spec.vocabulary.keyModes),
    last4: k.secret.slice(-4),
    secret_sha256: hashSecret(k.secret),
    ...(i < fileKeyOffset ? { well_known_secret: k.secret } : {}),
  }));

  const pick = <T>(name: string, fallback: T): T => (file[name] ?? defaults[name] ?? fallback) as T;
  const clock = pick<string | undefined>('clock', undefined);
  if (clock !== undefined) {
    const at = parseDateTime(clock)!;
    if (at < CLOCK_RANGE.min || at > CLOCK_RANGE.max) throw new ConfigError('clock', 'must be between 0001-01-01 and 9998-12-31', source);
  }
  const failureLimit = pick<object | false>('auth_failure_limit', {});
  const cors = pick<boolean | { enabled?: boolean; origins?: string[] | '*' }>('cors', true);
  const config: MockConfig = {
    seed: pick('seed', 42),
    clock,
    clock_running: pick('clock_running', false),
    allow_live_keys: pick('allow_live_keys', false),
    allow_live_keys_in_query: pick('allow_live_keys_in_query', false),
    plans: pick('plans', {}),
    accounts,
    keys,
    include_default_keys: includeDefaults,
    journal_size: pick('journal_size', 1000),
    journal_max_bytes: pick('journal_max_bytes', 8 * 1024 * 1024),
    max_scans_per_account: pick('max_scans_per_account', 1000),
    max_users_per_account: pick('max_users_per_account', 1000),
    max_keys_per_account: pick('max_keys_per_account', 1000),
    max_accounts: pick('max_accounts', 1000),
    auth_failure_limit: failureLimit === false ? false : { ...spec.authFailureLimit, ...failureLimit },
    allowed_hosts: pick<string[] | 'all'>('allowed_hosts', []),
    ...(file.control_token !== undefined ? { control_token: file.control_token as string } : {}),
    cors: typeof cors === 'boolean' ? { enabled: cors, origins: '*' } : { enabled: cors.enabled ?? true, origins: cors.origins ?? '*' },
    log_level: pick('log_level', 'info'),
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
