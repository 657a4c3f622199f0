// @ts-nocheck
// Another generator: @hey-api/openapi-ts makes a fetch client from the spec, and that
// client compiles under strict tsc.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
jest.setTimeout(120_000);

it('generates a client with @hey-api/openapi-ts that compiles under strict tsc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hey-api-'));
  const gen = spawnSync(join(root, 'node_modules', '.bin', 'openapi-ts'), ['-i', join(root, 'openapi', 'cortex-edr.yaml'), '-o', join(dir, 'client')], { cwd: dir, encoding: 'utf8' });
  expect(gen.status).toBe(0);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ES2022', moduleResolution: 'bundler', noEmit: true, lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] }, include: ['client/**/*.ts'] }),
  );
  const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', dir], { cwd: dir, encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
});
