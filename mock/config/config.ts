// The mock's configuration: defaults from default-config.yaml, overridden by a config file
// and the command line, checked against a JSON Schema at the boundary and then frozen. A
// bad file stops start-up with a message that names the field.
import { SIGNING_REQUIREMENT_SCHEMA, type SigningRequirement } from '../domain/auth/signing/policy';
import { isEd25519PublicKey } from '../domain/auth/signing/crypto';
import { signingRequirementProblem, type SigningRequirementProblem, type SigningRequirementSchema } from '../domain/auth/signing/requirement-problem';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { YAMLException } from 'js-yaml';
import { CONTROL_SPEC_PATH, PUBLIC_SPEC_PATH, readSpecFile, type LoadedSpec } from '../../lib/openapi/load-spec';
import { createSchemaValidator, describeFailure } from '../../lib/openapi/schema-validator';
import { checkFaultRule, createFaultRuleChecks, type FaultRuleInput } from '../domain/faults';
import { loadValidatorModule, newAjv, validatorCacheFile, yamlCacheFile, type AjvOptions } from '../../lib/openapi/precompiled';

import { PACKAGE_ROOT } from '../../lib/paths';
import { hashSecret, modeOf } from '../domain/auth/secrets';
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
  signing?: SigningRequirement;
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
  /** Its requests must be signed (RFC 9421). */
  signing?: SigningRequirement;
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
  /** Fault rules (control.yaml FaultRuleInput), checked; a reset restores them. */
  faults: readonly FaultRuleInput[];
  /** The seed of the fault rules' draws; the registry's default when absent. */
  faults_seed?: number;
  /** Whether the conduct watch observes requests (docs/conduct.md); false skips it entirely. */
  conduct: boolean;
  /** Which rate-limit fields responses carry: X-RateLimit-* (`x`), RateLimit-Policy and RateLimit (`ietf`). */
  rate_limit_headers: ReadonlyArray<'x' | 'ietf'>;
  /** The tolerance of a signature's `created`, when the config overrides the spec's x-cortex-signing. */
  signing_tolerance_seconds?: number;
  /** `memory` (one instance) or `redis://HOST:PORT/DB` / `rediss://...`, shared by every instance (docs/scaling.md). */
  store: string;
  /** What every Redis key of this mock starts with, so mocks can share one Redis. */
  store_prefix: string;
  /** How long a Redis reply may take before the request gets 503 store_unavailable. */
  store_timeout_ms: number;
}

/** One problem of a config: the field (`plans.developer.window_seconds`) and the reason. */
export interface ConfigProblem {
  field: string;
  reason: string;
}

/**
 * A config's problems, every one of them, in the order of the file: one line each, naming
 * the field and the reason. `field` and `reason` are the first one's.
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(
    readonly field: string,
    readonly reason: string,
    readonly source: string,
    more: readonly ConfigProblem[] = [],
  ) {
    const problems = [{ field, reason }, ...more];
    super(problems.map((p) => `${source}: ${p.field ? `${p.field}: ` : ''}${p.reason}`).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }

  /** The error for `problems` (at least one). */
  static of(problems: readonly ConfigProblem[], source: string): ConfigError {
    return new ConfigError(problems[0].field, problems[0].reason, source, problems.slice(1));
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
      signing_tolerance_seconds: { type: 'integer', minimum: 1, maximum: 86_400 },
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
      // Each rule is checked against control.yaml's FaultRuleInput by buildConfig (faultProblems).
      faults: { type: 'array', maxItems: 1000, items: { type: 'object' } },
      faults_seed: { type: 'integer', minimum: 0, maximum: 4_294_967_295 },
      conduct: { type: 'boolean' },
      rate_limit_headers: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['x', 'ietf'] } },
      // A redis URL is checked further by storeProblem.
      store: { type: 'string', minLength: 1, maxLength: 2048 },
      store_prefix: { type: 'string', pattern: STORE_PREFIX_PATTERN },
      store_timeout_ms: { type: 'integer', minimum: 1, maximum: 60_000 },
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
            signing: SIGNING_REQUIREMENT_SCHEMA,
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
const fieldName = (path: readonly string[]) => path.reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');

/**
 * Every failure worth naming, once each: a oneOf's branches count as one failure (the
 * branch closest to what was written, mainError), everything else as itself.
 */
function failuresToName(errors: ErrorObject[]): ErrorObject[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  const taken = new Set<ErrorObject>();
  const named: ErrorObject[] = [];
  for (const oneOf of oneOfs) {
    if (taken.has(oneOf)) continue;
    const branches = errors.filter((e) => e.schemaPath.startsWith(`${oneOf.schemaPath}/`));
    for (const e of [oneOf, ...branches]) taken.add(e);
    named.push(mainError([oneOf, ...branches]));
  }
  return [...named, ...errors.filter((e) => !taken.has(e))];
}

/** Where a path falls in the file: the position of each segment among its parent's keys (a missing one last). */
function fileOrder(raw: unknown, path: readonly string[]): number[] {
  const order: number[] = [];
  let node = raw;
  for (const seg of path) {
    const keys = node !== null && typeof node === 'object' ? Object.keys(node) : [];
    const at = keys.indexOf(seg);
    order.push(at === -1 ? keys.length : at);
    node = at === -1 ? undefined : (node as Record<string, unknown>)[seg];
  }
  return order;
}

const byFileOrder = (a: number[], b: number[]) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
};

/** The schema's failures for `raw` as config problems, each with its place in the file. */
function schemaProblems(raw: unknown, errors: ErrorObject[]): PlacedProblem[] {
  const seen = new Set<string>();
  return failuresToName(errors)
    .map((e) => describeFailure({ ...e, params: e.params as Record<string, unknown> }))
    .map(({ path, reason }) => ({ field: fieldName(path), reason, order: fileOrder(raw, path) }))
    .filter((p) => !seen.has(`${p.field}\u0000${p.reason}`) && seen.add(`${p.field}\u0000${p.reason}`));
}

/** A config problem and where it falls in the file, to sort by. */
type PlacedProblem = ConfigProblem & { order: number[] };

/** Every problem, in the order of the file. */
const inFileOrder = (problems: PlacedProblem[]): ConfigProblem[] => [...problems].sort((a, b) => byFileOrder(a.order, b.order)).map(({ field, reason }) => ({ field, reason }));

/**
 * Parses YAML text as a config: timestamps stay the text they were written as (the core
 * schema, plus merge keys), so an unquoted `clock: 2026-01-01T00:00:00Z` is the date-time
 * as written, not a Date that "must be string".
 */
function loadConfigYaml(text: string): unknown {
  const cached = yamlCacheFile(text);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8'));
  const yaml = require('js-yaml') as typeof import('js-yaml');
  const { merge } = (yaml as unknown as { types: { merge: import('js-yaml').Type } }).types;
  return yaml.load(text, { schema: yaml.CORE_SCHEMA.extend({ implicit: [merge] }) });
}

/** Parses YAML or JSON text, naming the line of a syntax error. */
export function parseConfigText(text: string, source: string): unknown {
  try {
    // js-yaml refuses duplicate keys, so a setting cannot silently be given twice.
    const value = loadConfigYaml(text);
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
  const isMapping = (value: unknown, from: string): value is RawConfig => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError('', 'must be a mapping of settings (YAML or JSON object)', from);
    }
    return true;
  };
  const validateRaw = (value: unknown, from: string): RawConfig => {
    if (isMapping(value, from) && !check!(value)) throw ConfigError.of(inFileOrder(schemaProblems(value, check!.errors!)), from);
    return value as RawConfig;
  };

  // Read each time (from the build's parsed copy): a cache here would be keyed by nothing.
  const defaults = validateRaw(readConfigFile(DEFAULT_CONFIG_PATH), DEFAULT_CONFIG_PATH);
  if (!isMapping(raw, source)) throw new ConfigError('', 'must be a mapping of settings (YAML or JSON object)', source);
  const file = raw;
  // Every problem of the file at once, in its order: the schema's, then the rules across
  // fields, which look only at the entries whose fields have the shape they read.
  const problems: PlacedProblem[] = check(file) ? [] : schemaProblems(file, check.errors!);
  const includeDefaults = file.include_default_keys === false ? false : true;
  const listOf = <T>(value: unknown, shaped: (item: Record<string, unknown>) => boolean): T[] =>
    Array.isArray(value) ? (value.filter((item) => item !== null && typeof item === 'object' && shaped(item as Record<string, unknown>)) as T[]) : [];
  const isString = (v: unknown) => typeof v === 'string';

  const fileAccounts = listOf<AccountConfig>(file.accounts, (a) => isString(a.id));
  const accounts = [...(includeDefaults ? (defaults.accounts as AccountConfig[]) : []), ...fileAccounts];
  const defaultKeys = includeDefaults ? (defaults.keys as RawKeyConfig[]) : [];
  const fileKeys = Array.isArray(file.keys) ? (file.keys as unknown[]) : [];
  const rawKeys = [...defaultKeys, ...(fileKeys as RawKeyConfig[])];

  const note = (path: string[], reason: string) => problems.push({ field: fieldName(path), reason, order: fileOrder(file, path) });
  const seenAccounts = new Set<string>();
  const fileAccountOffset = accounts.length - fileAccounts.length;
  accounts.forEach((a, i) => {
    if (seenAccounts.has(a.id)) note(['accounts', String(i - fileAccountOffset), 'id'], `duplicate account id ${a.id}`);
    seenAccounts.add(a.id);
  });
  const seenIds = new Set<string>();
  const seenSecrets = new Set<string>();
  const fileKeyOffset = defaultKeys.length;
  rawKeys.forEach((k, i) => {
    if (k === null || typeof k !== 'object') return;
    const at = ['keys', String(i - fileKeyOffset)];
    if (isString(k.account_id) && !seenAccounts.has(k.account_id)) note([...at, 'account_id'], `no account ${k.account_id}`);
    if (isString(k.id) && seenIds.has(k.id)) note([...at, 'id'], `duplicate key id ${k.id}`);
    if (isString(k.secret) && seenSecrets.has(k.secret)) note([...at, 'secret'], 'duplicate secret');
    seenIds.add(k.id);
    seenSecrets.add(k.secret);
    const signing = k.signing as { alg?: unknown; public_key?: unknown } | undefined;
    if (signing?.alg === 'ed25519' && typeof signing.public_key === 'string' && !isEd25519PublicKey(signing.public_key)) note([...at, 'signing', 'public_key'], 'is not an Ed25519 public key (SPKI PEM)');
  });

  renameSigningProblems(fileKeys, problems, note);

  if (Array.isArray(file.faults)) {
    for (const p of faultProblems(spec, file.faults)) note(['faults', ...p.path], p.reason);
  }

  const pick = <T>(name: string, fallback: T): T => (file[name] ?? defaults[name] ?? fallback) as T;
  const clock = pick<string | undefined>('clock', undefined);
  const at = typeof clock === 'string' ? parseDateTime(clock) : undefined;
  if (at !== undefined && (at < CLOCK_RANGE.min || at > CLOCK_RANGE.max)) note(['clock'], 'must be between 0001-01-01 and 9998-12-31');
  const store = pick<unknown>('store', 'memory');
  const badStore = typeof store === 'string' ? storeProblem(store) : undefined;
  if (badStore) note(['store'], badStore);
  if (problems.length > 0) throw ConfigError.of(inFileOrder(problems), source);

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
    ...(k.signing ? { signing: { ...k.signing } } : {}),
  }));

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
    faults: pick<FaultRuleInput[]>('faults', []),
    ...(file.faults_seed !== undefined ? { faults_seed: file.faults_seed as number } : {}),
    conduct: pick('conduct', true),
    rate_limit_headers: pick<Array<'x' | 'ietf'>>('rate_limit_headers', ['x', 'ietf']),
    ...(file.signing_tolerance_seconds !== undefined ? { signing_tolerance_seconds: file.signing_tolerance_seconds as number } : {}),
    store: store as string,
    store_prefix: pick('store_prefix', 'cortex-mock:'),
    store_timeout_ms: pick('store_timeout_ms', 1000),
  };
  return deepFreeze(config);
}

/** What a store_prefix may hold: letters, digits and `_ . : -`, so it is safe in any Redis key and log line. */
export const STORE_PREFIX_PATTERN = '^[A-Za-z0-9_.:-]{1,100}$';

/** Whether `store` is a store the mock can use; undefined when it is, else the reason. */
export function storeProblem(store: string): string | undefined {
  if (store === 'memory') return undefined;
  const why = 'must be "memory" or a Redis URL, redis://HOST:PORT/DB or rediss://HOST:PORT/DB';
  let url: URL;
  try {
    url = new URL(store);
  } catch {
    return why;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return why;
  if (!url.hostname) return `${why}: the URL names no host`;
  if (url.search || url.hash) return `${why}: no query or fragment`;
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d{1,5}$/.test(url.pathname)) return `${why}: DB is a whole number`;
  // The Redis client decodes them when it connects: a bad escape would stop start-up there, unnamed.
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return `${why}: the user name and password are percent-encoded (%XX)`;
  }
  return undefined;
}

/**
 * The problems of a config's fault rules, each under its index (`['0', 'when', 'first']`):
 * checkFaultRule over control.yaml, read only when there are rules to check.
 */
function faultProblems(spec: LoadedSpec, rules: unknown[]): Array<{ path: string[]; reason: string }> {
  const shaped = rules.map((rule, i) => [rule, i] as const).filter(([rule]) => rule !== null && typeof rule === 'object' && !Array.isArray(rule));
  if (shaped.length === 0) return [];
  const controlDoc = readSpecFile(CONTROL_SPEC_PATH);
  const checks = createFaultRuleChecks(createSchemaValidator(controlDoc, { 'cortex-edr.yaml': readSpecFile(PUBLIC_SPEC_PATH) }), controlDoc, spec);
  return shaped.flatMap(([rule, i]) => {
    const problem = checkFaultRule(rule, checks);
    return problem ? [{ path: [String(i), ...problem.path], reason: problem.reason }] : [];
  });
}

/**
 * A schema failure inside a file key's `signing` names the field of the branch its alg means:
 * the key's schema problems under signing are replaced by that one.
 */
function renameSigningProblems(fileKeys: unknown[], problems: PlacedProblem[], note: (path: string[], reason: string) => void): void {
  fileKeys.forEach((k, i) => {
    const under = fieldName(['keys', String(i), 'signing']);
    const inside = (p: PlacedProblem) => p.field === under || p.field.startsWith(`${under}.`);
    if (!problems.some(inside)) return;
    const problem = signingProblem((k as { signing?: unknown } | null)?.signing);
    if (!problem) return;
    problems.splice(0, problems.length, ...problems.filter((p) => !inside(p)));
    note(['keys', String(i), 'signing', ...problem.path], problem.reason);
  });
}

/** A signing requirement's problem, re-read against control.yaml's SigningRequirement branch its alg means. */
function signingProblem(signing: unknown): SigningRequirementProblem | undefined {
  const controlDoc = readSpecFile(CONTROL_SPEC_PATH);
  const validator = createSchemaValidator(controlDoc, { 'cortex-edr.yaml': readSpecFile(PUBLIC_SPEC_PATH) });
  const pointer = '#/components/schemas/SigningRequirement';
  const schema = (controlDoc.components as { schemas: Record<string, unknown> }).schemas.SigningRequirement as SigningRequirementSchema;
  return signingRequirementProblem(signing, schema, (i, v) => validator.validate(`${pointer}/oneOf/${i}`, v), pointer);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
