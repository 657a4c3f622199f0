// The configuration as a user writes it (a config file, or `config` of startMockServer and
// createMock): every field optional, typed so that a misspelt or mistyped setting does not
// compile. The run-time check is still the config's JSON Schema (configSchema); the test of
// this type keeps its fields and the schema's the same.
import type { SigningRequirement } from '../domain/auth/signing/policy';
import type { components } from '../generated/api-types';
import type { MockConfig, PlanOverride } from './config';
import type { FaultRuleInput } from '../domain/faults/rule';

type PlanId = components['schemas']['PlanId'];
type Permission = components['schemas']['Permission'];

/** An account, as in `accounts:`. */
export interface AccountConfigInput {
  id: string;
  name: string;
  plan: PlanId;
}

/** A key, as in `keys:`: the secret in full (`sk_test_...`); the mock keeps only its hash. */
export interface KeyConfigInput {
  id: string;
  name: string;
  secret: string;
  account_id: string;
  permissions: readonly Permission[];
  /** ISO date-time; null or absent for a key that never expires. */
  expires_at?: string | null;
  status?: 'active' | 'revoked';
  /** Its requests must be signed (RFC 9421, docs/signing.md). */
  signing?: SigningRequirement;
}

/** The mock's settings as a config file writes them; defaults apply to what is left out. */
export interface MockConfigInput {
  seed?: number;
  /** ISO date-time the clock starts at; the real time when absent. */
  clock?: string;
  /** With `clock`, let time run on instead of freezing it. */
  clock_running?: boolean;
  allow_live_keys?: boolean;
  allow_live_keys_in_query?: boolean;
  /** Keep the well-known accounts and keys of the defaults next to these (true by default). */
  include_default_keys?: boolean;
  journal_size?: number;
  journal_max_bytes?: number;
  max_scans_per_account?: number;
  max_users_per_account?: number;
  max_keys_per_account?: number;
  /** How many accounts the mock keeps (config and control API together). */
  max_accounts?: number;
  /** The spec's x-cortex-auth-failure-limit, overridden; false switches it off. */
  auth_failure_limit?: false | { max_failures?: number; window_seconds?: number };
  allowed_hosts?: 'all' | readonly string[];
  control_token?: string;
  /** CORS on /v1; true (every origin) by default. */
  cors?: boolean | { enabled?: boolean; origins?: '*' | readonly string[] };
  log_level?: MockConfig['log_level'];
  /** A plan's limit and window, overridden (tests use tiny limits). */
  plans?: { [id in PlanId]?: PlanOverride };
  accounts?: readonly AccountConfigInput[];
  keys?: readonly KeyConfigInput[];
  /** Fault rules (docs/faults.md): `match`, `when` and `fault`, as POST /_mock/faults takes them. */
  faults?: readonly FaultRuleInput[];
  /** The seed of the fault rules' draws (a rule's own `when.seed` wins). */
  faults_seed?: number;
  /** The conduct watch (docs/conduct.md); false skips it. True by default. */
  conduct?: boolean;
  /** Which rate-limit fields responses carry; both by default. */
  rate_limit_headers?: ReadonlyArray<'x' | 'ietf'>;
  /** How far a signature's `created` may be from the mock's clock; the spec's x-cortex-signing tolerance (300) by default. */
  signing_tolerance_seconds?: number;
  /** `memory` (the default) or `redis://HOST:PORT/DB` / `rediss://...`: the store every instance shares (docs/scaling.md). */
  store?: 'memory' | `redis://${string}` | `rediss://${string}`;
  /** What every Redis key of this mock starts with (`cortex-mock:` by default). */
  store_prefix?: string;
  /** How long a Redis reply may take before a 503 store_unavailable (1000 by default). */
  store_timeout_ms?: number;
}
