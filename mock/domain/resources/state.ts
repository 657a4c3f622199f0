// All mutable state of one mock instance, behind one object with reset(). No module
// singletons: two mocks in one process never share anything.
import type { Clock } from '../../clock';
import { createKeyStore, type Account, type KeyMode, type KeyStore } from '../auth/key-store';
import { createReplayCache, type ReplayCache } from '../auth/signing/replay-cache';
import { signingPolicyOf, type SigningRequirement } from '../auth/signing/policy';
import type { LoadedSpec } from '../../../lib/openapi/load-spec';
import { parseDateTime } from '../../../lib/date-time';
import { createFaker, createIdGenerator, deriveSeed, type FakeSource, type IdGenerator } from './fake';
import type { SecretSource } from '../auth/secrets';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency';
import { createScanStore, type ScanStore, type ScanTiming } from './scans';
import { planSeed, seedInputs, type SeedPlan } from './seed';
import { createUserStore, type UserStore } from './users';

export interface MockState {
  keys: KeyStore;
  scans: ScanStore;
  users: UserStore;
  idempotency: IdempotencyStore;
  /** The nonces of verified request signatures (RFC 9421), within their tolerance. */
  nonces: ReplayCache;
  /** How many users and keys an account may have (config max_users_per_account, max_keys_per_account). */
  readonly limits: { usersPerAccount: number; keysPerAccount: number };
  /** The seeded source for data made at run time (new scans' outcomes). */
  readonly faker: FakeSource;
  readonly ids: IdGenerator;
  /** Back to the seeded data of start-up, relative to the clock's current time (or `now`, a replayed reset's). */
  reset(now?: number): void;
}

/** A key the config gives: its secret only as a hash. */
export interface ConfiguredKey {
  id: string;
  name: string;
  account_id: string;
  permissions: readonly string[];
  mode: KeyMode;
  /** ISO time, or null for a key that does not expire. */
  expires_at: string | null;
  status: 'active' | 'revoked';
  last4: string;
  secret_sha256: string;
  signing?: SigningRequirement;
}

/** What the state reads of the mock's checked config (config/config.ts's MockConfig is one). */
export interface StateConfig {
  seed: number;
  accounts: readonly Account[];
  keys: readonly ConfiguredKey[];
  max_scans_per_account: number;
  max_users_per_account: number;
  max_keys_per_account: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** Reads scan timing from the spec's ScanType schema. */
export function scanTiming(spec: LoadedSpec): ScanTiming {
  const scanType = spec.document.components?.schemas?.ScanType as Record<string, unknown>;
  return {
    queueSeconds: (scanType['x-cortex-queue-seconds'] as number | undefined) ?? 0,
    durationSeconds: (scanType['x-cortex-duration-seconds'] as Record<string, number> | undefined) ?? {},
  };
}

/** How the state is made. */
export interface StateOptions {
  /**
   * Where new secrets come from while a mutation is replayed from a shared log (mock/store/):
   * the secret its instance drew, or a sealed stand-in for it. Undefined: the run's ids (crypto).
   */
  replaySecrets?: () => SecretSource | undefined;
}

/** The state of one mock, seeded (a first reset) at the clock's time. */
export function createState(spec: LoadedSpec, config: StateConfig, clock: Clock, options: StateOptions = {}): MockState {
  const keys = createKeyStore();
  const scans = createScanStore(scanTiming(spec), config.seed, spec.vocabulary.idPrefixes, config.max_scans_per_account);
  const users = createUserStore();
  const idempotency = createIdempotencyStore();
  const nonces = createReplayCache(signingPolicyOf(spec).replayCacheSize);

  // The plan is fixed for this config; every reset applies it again at the clock's time.
  let plan: SeedPlan | undefined;
  // Data made at run time (new scans, ids, secrets) comes from sources of their own, seeded
  // apart from the plan's and made again on first use after each reset, so the same requests
  // after a reset get the same ids. Faker itself is loaded by then: the plan ran it at
  // start-up (seed.ts, through faker-module.ts).
  let faker: FakeSource | undefined;
  let ids: IdGenerator | undefined;

  const state: MockState = {
    keys,
    scans,
    users,
    idempotency,
    nonces,
    limits: { usersPerAccount: config.max_users_per_account, keysPerAccount: config.max_keys_per_account },
    get faker() {
      faker ??= createFaker(deriveSeed(config.seed, 'run-time data'));
      return faker;
    },
    get ids() {
      ids ??= replayable(createIdGenerator(createFaker(deriveSeed(config.seed, 'run-time ids')), spec.vocabulary), options.replaySecrets);
      return ids;
    },
    reset(at?: number) {
      keys.clear();
      scans.clear();
      users.clear();
      idempotency.clear();
      nonces.clear();
      faker = undefined;
      ids = undefined;
      const now = at ?? clock.now();

      for (const account of config.accounts) keys.addAccount({ ...account });
      for (const k of config.keys) {
        keys.addKeyByHash(
          {
            id: k.id,
            name: k.name,
            accountId: k.account_id,
            permissions: [...k.permissions],
            mode: k.mode,
            createdAt: now - 30 * DAY,
            expiresAt: k.expires_at === null ? null : parseDateTime(k.expires_at)!,
            revoked: k.status === 'revoked',
            last4: k.last4,
            ...(k.signing ? { signing: k.signing } : {}),
          },
          k.secret_sha256,
        );
      }

      plan ??= planSeed(seedInputs(spec, config));
      for (const planned of plan.accounts) {
        for (const { ageMs, ...scan } of planned.scans) scans.add({ ...scan, createdAt: now - ageMs });
        for (const { ageMs, ...user } of planned.users) {
          users.add({ ...user, accountId: planned.accountId, createdAt: now - ageMs, updatedAt: now - ageMs });
        }
      }
    },
  };
  state.reset();
  return state;
}

/** The run's ids, whose secrets come from the replay's source while one is given. */
function replayable(ids: IdGenerator, replaySecrets: StateOptions['replaySecrets']): IdGenerator {
  if (!replaySecrets) return ids;
  return { next: (kind) => ids.next(kind), secret: (mode) => (replaySecrets() ?? ids).secret(mode) };
}
