// @ts-nocheck
// The committed types are what openapi-typescript makes of the document today.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

it('keeps mock/generated/api-types.ts in step with the spec (run npm run generate:types)', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'types-')), 'api-types.ts');
  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'openapi-typescript'),
    [join(root, 'openapi', 'cortex-edr.yaml'), '-o', out],
    { encoding: 'utf8', cwd: root },
  );
  expect(run.status).toBe(0);
  expect(readFileSync(join(root, 'mock', 'generated', 'api-types.ts'), 'utf8')).toBe(readFileSync(out, 'utf8'));
});
