// Spectral lints the document with zero findings, and fails on a broken copy of it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const spectral = join(root, 'node_modules', '.bin', 'spectral');

function lint(file: string) {
  const run = spawnSync(spectral, ['lint', '--fail-severity=warn', '-r', join(root, '.spectral.js'), file], {
    encoding: 'utf8',
    cwd: root,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('spectral lint', () => {
  it('finds nothing in the public document', () => {
    const result = lint(join(root, 'openapi', 'cortex-edr.yaml'));
    expect(result.output).toMatch(/No results with a severity of 'warn' or higher found/);
    expect(result.status).toBe(0);
  });

  it('fails a copy with an undeclared permission role and a response without a description', () => {
    const broken = readFileSync(join(root, 'openapi', 'cortex-edr.yaml'), 'utf8')
      .replace('bearerAuth: [read]', 'bearerAuth: [reed]')
      .replace("          description: A page of scans.\n", '');
    const dir = mkdtempSync(join(tmpdir(), 'spectral-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, broken);
    const result = lint(file);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/cortex-security-roles.*role "reed" is not a permission/);
    expect(result.output).toMatch(/oas3-schema/);
  });
});
