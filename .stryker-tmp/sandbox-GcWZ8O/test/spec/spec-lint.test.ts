// @ts-nocheck
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

describe("Redocly's recommended ruleset", () => {
  const redocly = join(root, 'node_modules', '.bin', 'redocly');
  const run = (file: string) => {
    const out = spawnSync(redocly, ['lint', '--config', join(root, '.redocly.yaml'), '--format', 'json', file], { encoding: 'utf8', cwd: root });
    return JSON.parse(out.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; location: Array<{ pointer: string }> }> };
  };

  it('finds no errors in either document, and only the warning .redocly.yaml justifies', () => {
    const justified = readFileSync(join(root, '.redocly.yaml'), 'utf8');
    for (const file of ['cortex-edr.yaml', 'control.yaml']) {
      const result = run(join(root, 'openapi', file));
      expect(result.totals.errors).toBe(0);
      for (const p of result.problems) expect(justified).toContain(`${p.ruleId}, ${p.location[0].pointer} (${file})`);
    }
  });

  it('fails a copy with an example that breaks its schema', () => {
    const broken = readFileSync(join(root, 'openapi', 'cortex-edr.yaml'), 'utf8').replace('progress: 42', 'progress: 420');
    const dir = mkdtempSync(join(tmpdir(), 'redocly-'));
    writeFileSync(join(dir, 'broken.yaml'), broken);
    expect(run(join(dir, 'broken.yaml')).problems.map((p) => p.ruleId)).toContain('no-invalid-media-type-examples');
  });
});
