// The committed types are what openapi-typescript makes of the document today.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

it.each([
  ['cortex-edr.yaml', 'api-types.ts'],
  ['control.yaml', 'control-types.ts'],
])('keeps the types of %s (mock/generated/%s) in step with it (run npm run generate:types)', (spec, types) => {
  const out = join(mkdtempSync(join(tmpdir(), 'types-')), types);
  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'openapi-typescript'),
    [join(root, 'openapi', spec), '-o', out],
    { encoding: 'utf8', cwd: root },
  );
  expect(run.status).toBe(0);
  expect(readFileSync(join(root, 'mock', 'generated', types), 'utf8')).toBe(readFileSync(out, 'utf8'));
}, 60_000);
