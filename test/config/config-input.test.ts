// MockConfigInput, the config as a user writes it, has the config schema's fields at every
// level, and a value of it passes the run-time check. A misspelt field does not compile
// (`npm run typecheck` holds the @ts-expect-error below; test/package/pack.test.ts checks
// the same from an installed package).
import { buildConfig, configSchema } from '../../mock/config/config';
import type { AccountConfigInput, KeyConfigInput, MockConfigInput } from '../../mock/config/config-input';
import { createMock, startMockServer } from '../../mock';
import { SPEC } from '../helpers/fixtures';

type Schema = { properties?: Record<string, Schema>; items?: Schema; additionalProperties?: Schema | boolean; oneOf?: Schema[] };
const schema = configSchema(SPEC) as Schema;
const fields = (s: Schema | undefined) => Object.keys(s?.properties ?? {}).sort();
const objectBranch = (s: Schema | undefined) => s?.oneOf?.find((b) => b.properties);

// Every field once: the compiler makes these lists complete and exact.
const EVERY_FIELD: MockConfigInput = {
  seed: 7,
  clock: '2026-01-01T00:00:00Z',
  clock_running: true,
  allow_live_keys: false,
  allow_live_keys_in_query: false,
  include_default_keys: true,
  journal_size: 10,
  journal_max_bytes: 65_536,
  max_scans_per_account: 5,
  max_users_per_account: 5,
  max_keys_per_account: 5,
  max_accounts: 50,
  auth_failure_limit: { max_failures: 3, window_seconds: 60 },
  allowed_hosts: ['mock.internal'],
  control_token: 'a-control-token-of-24-ch',
  cors: { enabled: true, origins: ['http://localhost:5173'] },
  log_level: 'silent',
  plans: { developer: { requests_per_window: 5, window_seconds: 10 } },
  accounts: [{ id: 'acct_sdk', name: 'SDK', plan: 'enterprise' }],
  keys: [{ id: 'key_sdk', name: 'sdk', secret: 'sk_test_sdk_000000000000000000000001', account_id: 'acct_sdk', permissions: ['read'], expires_at: null, status: 'active', signing: { alg: 'hmac-sha256', secret: 'c2lnbmluZy1zZWNyZXQtb2YtdGhlLXNkaw==' } }],
  faults: [{ match: { operation: 'listScans', key_id: 'key_sdk' }, when: { first: 2 }, fault: { kind: 'status', status: 503 } }],
  faults_seed: 7,
  conduct: true,
  rate_limit_headers: ['x', 'ietf'],
  signing_tolerance_seconds: 60,
  store: 'redis://127.0.0.1:6379/0',
  store_prefix: 'ci-run:',
  store_timeout_ms: 500,
};
const TOP: Record<keyof MockConfigInput, true> = Object.fromEntries(Object.keys(EVERY_FIELD).map((k) => [k, true])) as Record<keyof MockConfigInput, true>;
const ACCOUNT: Record<keyof AccountConfigInput, true> = { id: true, name: true, plan: true };
const KEY: Record<keyof KeyConfigInput, true> = { id: true, name: true, secret: true, account_id: true, permissions: true, expires_at: true, status: true, signing: true };
type Branch<T> = Exclude<T, boolean | undefined>;
const CORS: Record<keyof Branch<MockConfigInput['cors']>, true> = { enabled: true, origins: true };
const FAILURE_LIMIT: Record<keyof Branch<MockConfigInput['auth_failure_limit']>, true> = { max_failures: true, window_seconds: true };
const PLAN: Record<keyof NonNullable<NonNullable<MockConfigInput['plans']>['developer']>, true> = { requests_per_window: true, window_seconds: true };

describe('MockConfigInput', () => {
  it.each([
    ['the top level', TOP, schema],
    ['accounts[]', ACCOUNT, schema.properties!.accounts.items],
    ['keys[]', KEY, schema.properties!.keys.items],
    ['plans.<id>', PLAN, schema.properties!.plans.additionalProperties as Schema],
    ['cors', CORS, objectBranch(schema.properties!.cors)],
    ['auth_failure_limit', FAILURE_LIMIT, objectBranch(schema.properties!.auth_failure_limit)],
  ])('has the fields of the config schema at %s', (_where, typed, level) => {
    expect(Object.keys(typed).sort()).toEqual(fields(level));
  });

  it('types a config that the run-time check accepts, every field given', () => {
    expect(buildConfig(SPEC, EVERY_FIELD).seed).toBe(7);
  });

  it('is what startMockServer and createMock take as config; a misspelt field does not compile', () => {
    // Never called: the compiler is the test.
    const misspelt = () => {
      // @ts-expect-error 'clok' is not a config field ('clock' is)
      void startMockServer({ config: { clok: '2026-01-01T00:00:00Z' } });
      // @ts-expect-error 'clok' is not a config field ('clock' is)
      createMock({ config: { clok: '2026-01-01T00:00:00Z' } });
      // @ts-expect-error a plan the spec does not have
      createMock({ config: { plans: { platinum: { requests_per_window: 5 } } } });
      createMock({ config: EVERY_FIELD });
    };
    expect(typeof misspelt).toBe('function');
  });
});
