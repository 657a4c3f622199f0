// Fault rules in the config file: `faults:` and `faults_seed`, checked at start-up with the
// rule checks of POST /_mock/faults, each error naming the field; and `rate_limit_headers`.
import { buildConfig, ConfigError } from '../../mock/config/config';
import { SPEC } from '../helpers/fixtures';

const problemsOf = (raw: unknown) => {
  try {
    buildConfig(SPEC, raw, 'mock.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message.split('\n');
  }
  throw new Error('the config was accepted');
};

const RULE = { match: { operation: 'listScans' }, when: { first: 2 }, fault: { kind: 'status', status: 503 } };

describe('faults in the config', () => {
  it('keeps the rules and the seed, and has no rules and both rate-limit forms by default', () => {
    const config = buildConfig(SPEC, { faults: [RULE], faults_seed: 99 });
    expect(config.faults).toEqual([RULE]);
    expect(config.faults_seed).toBe(99);
    expect(Object.isFrozen(config.faults[0].when)).toBe(true);
    const plain = buildConfig(SPEC, {});
    expect(plain.faults).toEqual([]);
    expect(plain.faults_seed).toBeUndefined();
    expect(plain.rate_limit_headers).toEqual(['x', 'ietf']);
    expect(buildConfig(SPEC, { rate_limit_headers: ['ietf'] }).rate_limit_headers).toEqual(['ietf']);
  });

  it('stops start-up on a bad rule, naming the field under faults[i]', () => {
    expect(problemsOf({ faults: [RULE, { ...RULE, when: { first: 0 } }] })).toEqual(['mock.yaml: faults[1].when.first: must be >= 1']);
  });

  it('names every bad rule at once, in the order of the file, with the cross-field checks', () => {
    expect(
      problemsOf({
        faults: [
          { ...RULE, fault: { kind: 'latency', min_ms: 9, max_ms: 1 } },
          RULE,
          { ...RULE, match: { operation: 'listScanz' } },
          { ...RULE, fault: { kind: 'status', status: 418 } },
        ],
      }),
    ).toEqual([
      'mock.yaml: faults[0].fault.max_ms: must be >= min_ms (9)',
      'mock.yaml: faults[2].match.operation: is not an operation of the spec: listScanz',
      expect.stringMatching(/^mock\.yaml: faults\[3\]\.fault\.status: 418 is not documented for listScans \(it documents /),
    ]);
  });

  it.each([
    [{ faults: 'none' }, 'mock.yaml: faults: must be array'],
    [{ faults: [7] }, 'mock.yaml: faults[0]: must be object'],
    [{ faults: [{ ...RULE, fault: { kind: 'hang', ms: 0 } }] }, 'mock.yaml: faults[0].fault.ms: must be >= 1'],
    [{ faults_seed: -1 }, 'mock.yaml: faults_seed: must be >= 0'],
    [{ faults_seed: 1.5 }, 'mock.yaml: faults_seed: must be integer'],
    [{ rate_limit_headers: [] }, 'mock.yaml: rate_limit_headers: must NOT have fewer than 1 items'],
    [{ rate_limit_headers: ['x', 'draft-8'] }, 'mock.yaml: rate_limit_headers[1]: must be one of x, ietf'],
  ])('refuses %j, naming the field', (raw, message) => {
    expect(problemsOf(raw)).toEqual([message]);
  });
});
