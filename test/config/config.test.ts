// Config files are checked against a schema at start-up; a bad one names the field.
import { buildConfig, ConfigError, parseConfigText } from '../../mock/config/config';
import { configProblem as problem, SPEC, testMock } from '../helpers/fixtures';

describe('config', () => {
  it.each([
    [{ plans: { developer: { requests_per_window: 'ten' } } }, 'mock.yaml: plans.developer.requests_per_window: must be integer'],
    [{ plans: { developer: { requests_per_window: 0 } } }, 'mock.yaml: plans.developer.requests_per_window: must be >= 1'],
    [{ plans: { platinum: { requests_per_window: 5 } } }, 'mock.yaml: plans.platinum: is not a known name; must be one of vibe_coder, developer, enterprise'],
    [{ plans: { developer: { burst: 5 } } }, 'mock.yaml: plans.developer.burst: is not a known field'],
    [{ allow_live_key: true }, 'mock.yaml: allow_live_key: is not a known field'],
    [{ seed: -1 }, 'mock.yaml: seed: must be >= 0'],
    [{ clock: 'noon' }, 'mock.yaml: clock: must be an RFC 3339 date-time'],
    [{ clock: '2026-12-31T23:59:60Z' }, 'mock.yaml: clock: must be an RFC 3339 date-time that JavaScript can hold'],
    [{ clock: '0000-06-01T00:00:00Z' }, 'mock.yaml: clock: must be between 0001-01-01 and 9998-12-31'],
    [{ keys: [{ id: 'key_x', name: 'x', secret: 'sk_test_000000000000000000000000x', account_id: 'acct_developer', permissions: [], expires_at: '2026-02-29T00:00:00Z' }] }, 'mock.yaml: keys[0].expires_at: must be an RFC 3339 date-time'],
    [{ auth_failure_limit: { max_failures: 0 } }, 'mock.yaml: auth_failure_limit.max_failures: must be >= 1'],
    [{ allowed_hosts: ['bad host'] }, 'mock.yaml: allowed_hosts[0]: must match pattern'],
    [{ control_token: 'short' }, 'mock.yaml: control_token: must NOT have fewer than 16 characters'],
    [{ cors: { origins: ['not a url'] } }, 'mock.yaml: cors.origins[0]: must match pattern'],
    [{ journal_max_bytes: -1 }, 'mock.yaml: journal_max_bytes: must be >= 0'],
    [{ accounts: [{ id: 'acct_x', name: 'X', plan: 'gold' }] }, 'mock.yaml: accounts[0].plan: must be one of vibe_coder, developer, enterprise'],
    [{ keys: [{ id: 'key_x', name: 'x', secret: 'nope', account_id: 'acct_developer', permissions: [] }] }, 'mock.yaml: keys[0].secret: must match pattern'],
    [{ keys: [{ id: 'key_x', name: 'x', secret: 'sk_test_000000000000000000000000x', account_id: 'acct_nobody', permissions: [] }] }, 'mock.yaml: keys[0].account_id: no account acct_nobody'],
    [{ keys: [{ id: 'key_x', name: 'x', secret: 'sk_test_000000000000000000000000x', account_id: 'acct_developer', permissions: ['root'] }] }, 'mock.yaml: keys[0].permissions[0]: must be one of read, write, admin'],
    [{ keys: [{ id: 'key_x', name: 'x', account_id: 'acct_developer', permissions: [] }] }, 'mock.yaml: keys[0].secret: is required'],
    [['a list'], 'mock.yaml: must be a mapping of settings'],
  ])('names the field of a bad setting: %j', (raw, message) => {
    expect(problem(raw)).toContain(message);
  });

  it('reports every problem at once, in the order of the file', () => {
    const text = [
      'seed: -1',
      'plans:',
      '  developer: { requests_per_window: ten, burst: 5 }',
      'clok: 2026-01-01T00:00:00Z',
      'auth_failure_limit: { max_failures: 0 }',
      'keys:',
      '  - { id: key_x, name: x, secret: nope, account_id: acct_developer, permissions: [root] }',
      'log_level: loud',
      '',
    ].join('\n');
    let error: ConfigError | undefined;
    try {
      buildConfig(SPEC, parseConfigText(text, 'mock.yaml'), 'mock.yaml');
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message.split('\n')).toEqual([
      'mock.yaml: seed: must be >= 0',
      'mock.yaml: plans.developer.requests_per_window: must be integer',
      'mock.yaml: plans.developer.burst: is not a known field',
      'mock.yaml: clok: is not a known field',
      'mock.yaml: auth_failure_limit.max_failures: must be >= 1',
      'mock.yaml: keys[0].secret: must match pattern "^sk_(test|live)_[A-Za-z0-9_]{24,96}$"',
      'mock.yaml: keys[0].permissions[0]: must be one of read, write, admin',
      'mock.yaml: log_level: must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(error!.problems[0]).toEqual({ field: 'seed', reason: 'must be >= 0' });
  });

  it('reports every breach of the rules across fields at once, in the order of the file', () => {
    const key = (id: string, secret: string, account: string) => ({ id, name: id, secret, account_id: account, permissions: [] });
    expect(problem({
      keys: [key('key_a', 'sk_test_000000000000000000000000a', 'acct_nobody'), key('key_a', 'sk_test_000000000000000000000000a', 'acct_developer')],
      clock: '0000-06-01T00:00:00Z',
      accounts: [{ id: 'acct_x', name: 'X', plan: 'developer' }, { id: 'acct_x', name: 'X', plan: 'developer' }],
    }).split('\n')).toEqual([
      'mock.yaml: keys[0].account_id: no account acct_nobody',
      'mock.yaml: keys[1].id: duplicate key id key_a',
      'mock.yaml: keys[1].secret: duplicate secret',
      'mock.yaml: clock: must be between 0001-01-01 and 9998-12-31',
      'mock.yaml: accounts[1].id: duplicate account id acct_x',
    ]);
  });

  it('reports the schema\'s problems and the rules across fields together, in the order of the file', () => {
    const key = (id: string, secret: string, account: string) => ({ id, name: id, secret, account_id: account, permissions: [] });
    expect(problem({
      keys: [key('key_ci', 'sk_test_000000000000000000000000c', 'acct_nope'), key('key_ci', 'sk_test_000000000000000000000000d', 'acct_developer')],
      clock: '2026-02-30T00:00:00Z',
      seed: 'x',
    }).split('\n')).toEqual([
      'mock.yaml: keys[0].account_id: no account acct_nope',
      'mock.yaml: keys[1].id: duplicate key id key_ci',
      expect.stringMatching(/^mock\.yaml: clock: must be /),
      'mock.yaml: seed: must be integer',
    ]);
  });

  it('takes unquoted YAML timestamps where a date-time is expected, as written', () => {
    const raw = parseConfigText('clock: 2026-01-01T00:00:00Z\nkeys:\n  - { id: key_t, name: t, secret: sk_test_timestamp000000000000000000001, account_id: acct_developer, permissions: [read], expires_at: 2027-06-01T12:30:00+02:00 }\n', 'mock.yaml');
    const config = buildConfig(SPEC, raw, 'mock.yaml');
    expect(config.clock).toBe('2026-01-01T00:00:00Z');
    expect(config.keys.find((k) => k.id === 'key_t')!.expires_at).toBe('2027-06-01T12:30:00+02:00');
    // A date alone is still not a date-time.
    expect(problem(parseConfigText('clock: 2026-01-01\n', 'mock.yaml'))).toContain('mock.yaml: clock: must be an RFC 3339 date-time');
  });

  it('names the line of a YAML syntax error', () => {
    expect(() => parseConfigText('plans:\n  developer: [1, 2\n', 'mock.yaml')).toThrow(/mock\.yaml: not valid YAML or JSON \(line \d+, column \d+\)/);
    expect(() => parseConfigText('seed: 1\nseed: 2\n', 'mock.yaml')).toThrow(ConfigError);
  });

  it('keeps only a hash of the secrets of keys from a config file', () => {
    const config = buildConfig(SPEC, {
      keys: [{ id: 'key_own', name: 'own', secret: 'sk_test_own00000000000000000000000000001', account_id: 'acct_developer', permissions: ['read'] }],
    });
    expect(JSON.stringify(config)).not.toContain('sk_test_own00000000000000000000000000001');
    expect(config.keys.find((k) => k.id === 'key_own')).toMatchObject({ last4: '0001', mode: 'test', secret_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('is frozen once checked', () => {
    const config = buildConfig(SPEC, {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.keys[0])).toBe(true);
  });

  it('can replace the default keys with the file\'s own accounts and keys', async () => {
    const mock = testMock({
      config: {
        include_default_keys: false,
        accounts: [{ id: 'acct_solo', name: 'Solo', plan: 'enterprise' }],
        keys: [{ id: 'key_solo', name: 'solo', secret: 'sk_test_solo0000000000000000000000001', account_id: 'acct_solo', permissions: ['read'] }],
      },
    });
    expect(mock.state.keys.accounts().map((a) => a.id)).toEqual(['acct_solo']);
    expect(mock.state.keys.lookup('sk_test_readonly_00000000000000000001', mock.clock.now()).ok).toBe(false);
    expect(mock.state.keys.lookup('sk_test_solo0000000000000000000000001', mock.clock.now()).ok).toBe(true);
  });
});

describe('a key signing requirement in the config', () => {
  const KEY = { id: 'key_s', name: 's', secret: 'sk_test_signedconfig_000000000000001', account_id: 'acct_developer', permissions: ['read'] };
  const SECRET = 'c2lnbmluZy1zZWNyZXQtb2YtdGhlLWNvbmZpZw==';

  it.each([
    [{ alg: 'rsa', secret: 'short' }, 'mock.yaml: keys[0].signing.alg: must be one of hmac-sha256, ed25519'],
    [{ alg: 'HMAC-SHA256', secret: SECRET }, 'mock.yaml: keys[0].signing.alg: must be one of hmac-sha256, ed25519'],
    [{ secret: SECRET }, 'mock.yaml: keys[0].signing.alg: is required: one of hmac-sha256, ed25519'],
    [{ alg: 'ed25519', secret: SECRET }, 'mock.yaml: keys[0].signing.public_key: is required'],
    [{ alg: 'ed25519', public_key: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----' }, /^mock\.yaml: keys\[0\]\.signing\.public_key: must match pattern .*: an Ed25519 public key as SPKI PEM/],
    [{ alg: 'hmac-sha256', secret: 'c2hvcnQ=' }, 'mock.yaml: keys[0].signing.secret: must NOT have fewer than 24 characters'],
  ])('names the field of the algorithm meant: %j', (signing, expected) => {
    const message = problem({ keys: [{ ...KEY, signing }] });
    if (typeof expected === 'string') expect(message).toBe(expected);
    else expect(message).toMatch(expected);
    expect(message).not.toContain('MC4CAQAwBQYDK2VwBCIEI');
  });
});
