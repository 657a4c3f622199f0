// The store settings (store, store_prefix, store_timeout_ms): memory by default, a Redis URL
// checked at start-up, and a bad value named by its field, never echoed (a URL may carry a
// password).
import { buildConfig } from '../../mock/config/config';
import { configProblem as problem, SPEC } from '../helpers/fixtures';

describe('the store settings', () => {
  it('default to the memory store, the cortex-mock: prefix and a 1000 ms timeout', () => {
    expect(buildConfig(SPEC, {})).toMatchObject({ store: 'memory', store_prefix: 'cortex-mock:', store_timeout_ms: 1000 });
  });

  it.each(['redis://127.0.0.1:6379/0', 'redis://localhost', 'rediss://:pw@cache.internal:6380/3', 'redis://[::1]:6379/', 'memory'])('take %s as the store', (store) => {
    expect(buildConfig(SPEC, { store, store_prefix: 'ci-run-7:', store_timeout_ms: 200 })).toMatchObject({ store, store_prefix: 'ci-run-7:', store_timeout_ms: 200 });
  });

  it.each([
    [{ store: 'redis' }, 'mock.yaml: store: must be "memory" or a Redis URL'],
    [{ store: 'http://127.0.0.1:6379/0' }, 'mock.yaml: store: must be "memory" or a Redis URL'],
    [{ store: 'redis://127.0.0.1:6379/zero' }, 'mock.yaml: store: must be "memory" or a Redis URL, redis://HOST:PORT/DB or rediss://HOST:PORT/DB: DB is a whole number'],
    [{ store: 'redis://127.0.0.1:6379/0?db=1' }, 'mock.yaml: store: must be "memory" or a Redis URL, redis://HOST:PORT/DB or rediss://HOST:PORT/DB: no query or fragment'],
    [{ store: 'redis://:6379/0' }, 'mock.yaml: store: must be "memory" or a Redis URL'],
    [{ store: 'redis://:pass%zzword@127.0.0.1:6379/0' }, 'mock.yaml: store: must be "memory" or a Redis URL, redis://HOST:PORT/DB or rediss://HOST:PORT/DB: the user name and password are percent-encoded (%XX)'],
    [{ store: 'redis://us%e0er:pw@127.0.0.1:6379/0' }, 'mock.yaml: store: must be "memory" or a Redis URL, redis://HOST:PORT/DB or rediss://HOST:PORT/DB: the user name and password are percent-encoded (%XX)'],
    [{ store: '' }, 'mock.yaml: store: must NOT have fewer than 1 characters'],
    [{ store: 6379 }, 'mock.yaml: store: must be string'],
    [{ store_prefix: 'has space' }, 'mock.yaml: store_prefix: must match pattern'],
    [{ store_prefix: 'a{b}' }, 'mock.yaml: store_prefix: must match pattern'],
    [{ store_prefix: '' }, 'mock.yaml: store_prefix: must match pattern'],
    [{ store_timeout_ms: 0 }, 'mock.yaml: store_timeout_ms: must be >= 1'],
    [{ store_timeout_ms: 1.5 }, 'mock.yaml: store_timeout_ms: must be integer'],
  ])('name the field of a bad setting: %j', (raw, message) => {
    expect(problem(raw)).toContain(message);
  });

  it('never echo a bad store URL, whose password would reach the terminal', () => {
    expect(problem({ store: 'redis://:hunter2-secret@cache.internal:6379/x' })).not.toContain('hunter2');
    expect(problem({ store: 'redis://:hunter2%zz@cache.internal:6379/0' })).not.toContain('hunter2');
  });
});
