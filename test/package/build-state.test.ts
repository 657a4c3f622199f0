// `npm run contract` and `npm start` build only when a source is newer than the last build
// (scripts/build-state.js): nothing changed, no build, so the run starts at once.
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const { buildIsDue } = require('../../scripts/build-state.js') as { buildIsDue(root: string): boolean };
const BUILT = new Date('2026-11-01T09:00:00Z');

/** A project folder with `files` at the given times, and a build stamped at BUILT. */
function project(files: Record<string, Date>, built = true): string {
  const root = mkdtempSync(join(tmpdir(), 'build-state-'));
  const write = (path: string, at: Date) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), '');
    utimesSync(join(root, path), at, at);
  };
  if (built) {
    write('dist/mock/cli.js', BUILT);
    write('dist/.build-stamp', BUILT);
  }
  for (const [path, at] of Object.entries(files)) write(path, at);
  return root;
}

const before = new Date(BUILT.getTime() - 60_000);
const after = new Date(BUILT.getTime() + 60_000);

describe('buildIsDue', () => {
  it('needs no build when every source is older than the last build', () => {
    expect(buildIsDue(project({ 'mock/core.ts': before, 'openapi/cortex-edr.yaml': before, 'package.json': before }))).toBe(false);
  });

  it.each(['mock/core.ts', 'lib/openapi/load-spec.ts', 'contracts/run.ts', 'openapi/control.yaml', 'scripts/vendor.js', 'package.json', 'tsconfig.build.json'])(
    'needs a build when %s changed after it',
    (changed) => {
      expect(buildIsDue(project({ 'mock/core.ts': before, [changed]: after }))).toBe(true);
    },
  );

  it('needs a build when there is none', () => {
    expect(buildIsDue(project({ 'mock/core.ts': before }, false))).toBe(true);
  });

  it('ignores files that are not sources (tests, reports)', () => {
    expect(buildIsDue(project({ 'mock/core.ts': before, 'test/mock/x.test.ts': after, 'reports/contract/junit.xml': after }))).toBe(false);
  });
});
