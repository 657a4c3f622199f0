// The committed types are what openapi-typescript makes of each document today.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

it.each([
  ['cortex-edr.yaml', 'api-types.ts', []],
  // A default is not a requirement on what a client sends to the control API.
  ['control.yaml', 'control-types.ts', ['--default-non-nullable', 'false']],
])('keeps the types of openapi/%s, mock/generated/%s, in step with it (run npm run generate:types)', (spec, types, flags) => {
  const out = join(mkdtempSync(join(tmpdir(), 'types-')), types);
  const run = spawnSync(join(root, 'node_modules', '.bin', 'openapi-typescript'), [join(root, 'openapi', spec), ...flags, '-o', out], {
    encoding: 'utf8',
    cwd: root,
  });
  expect(run.status).toBe(0);
  expect(readFileSync(join(root, 'mock', 'generated', types), 'utf8')).toBe(readFileSync(out, 'utf8'));
}, 60_000);
