// Fixed fixture values shared by the project's tests: the well-known keys of the default
// configuration, a fixed clock, and a mock built on them; a changed copy of the spec, and a
// logger whose lines a test can read.
import { Writable } from 'node:stream';
import pino from 'pino';
import { createClock } from '../../mock/clock';
import { createMock, type Mock, type MockOptions } from '../../mock/app';
import { PUBLIC_SPEC_PATH, indexSpec, loadPublicSpec, readSpecFile } from '../../lib/openapi/load-spec';
import { buildConfig, ConfigError } from '../../mock/config/config';
import { T0 } from './start-time';

export const SPEC = loadPublicSpec();

export { T0, T0_ISO } from './start-time';

export const KEYS = {
  read: 'sk_test_readonly_00000000000000000001',
  write: 'sk_test_writeonly_0000000000000000002',
  readWrite: 'sk_test_readwrite_0000000000000000003',
  admin: 'sk_test_admin_000000000000000000000004',
  noPerms: 'sk_test_noperms_00000000000000000005',
  expired: 'sk_test_expired_00000000000000000006',
  revoked: 'sk_test_revoked_00000000000000000007',
  live: 'sk_live_MOCK_fixture_not_a_real_key_08',
  vibeCoderAdmin: 'sk_test_vibecoder_0000000000000000009',
  enterpriseAdmin: 'sk_test_enterprise_000000000000000010',
} as const;

/** Well-formed but unknown to the mock. */
export const UNKNOWN_KEY = 'sk_test_unknown_0000000000000000000099';

/** Declared permissions of each well-known key with an active state. */
export const ACTIVE_KEYS: Array<{ name: string; secret: string; permissions: string[] }> = [
  { name: 'read', secret: KEYS.read, permissions: ['read'] },
  { name: 'write', secret: KEYS.write, permissions: ['write'] },
  { name: 'read+write', secret: KEYS.readWrite, permissions: ['read', 'write'] },
  { name: 'admin', secret: KEYS.admin, permissions: ['admin'] },
  { name: 'no permissions', secret: KEYS.noPerms, permissions: [] },
];

/** A mock on a frozen clock at T0 with the default keys; silent, as a mock is when given no logger. */
export function testMock(options: MockOptions = {}): Mock {
  return createMock({
    spec: SPEC,
    clock: createClock({ start: T0 }),
    ...options,
  });
}

/** The ConfigError a config file (as parsed, named mock.yaml) gets at start-up; fails the test when it is accepted. */
export function configProblem(raw: unknown): string {
  try {
    buildConfig(SPEC, raw, 'mock.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the config was accepted');
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** A fresh copy of the public document, changed by `edit`, indexed as the mock reads it. */
export function specWith(edit: (doc: Record<string, any>) => void) {
  const doc = structuredClone(readSpecFile(PUBLIC_SPEC_PATH)) as Record<string, any>;
  edit(doc);
  return indexSpec(doc as never);
}

/** A logger at `level` (info unless told) whose lines (as written) collect in `lines`. */
export function captureLogs(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: pino({ level }, stream) };
}
