// docs/configuration.md against the code it documents: a row for every field of the config
// schema (and none for a field that is gone) with the default the mock applies, every flag
// `cortex-mock --help` prints, and an example file the mock accepts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { PACKAGE_ROOT } from '../../lib/paths';
import { buildConfig, configSchema } from '../../mock/config/config';
import { SPEC } from '../helpers/fixtures';

const DOC = readFileSync(join(PACKAGE_ROOT, 'docs', 'configuration.md'), 'utf8');

/** The table under `### Every field`, by field name: its cells after the name. */
function fieldTable(): Map<string, string[]> {
  const start = DOC.indexOf('\n### Every field\n');
  expect(start).toBeGreaterThan(0);
  const lines = DOC.slice(start).split('\n').slice(2);
  const rows = lines.slice(0, lines.findIndex((l, i) => i > 0 && !l.startsWith('|'))).filter((l) => l.startsWith('|')).slice(2);
  return new Map(rows.map((row) => {
    const [name, ...rest] = row.slice(1, -1).split(' | ').map((c) => c.trim());
    return [name.replace(/`/g, ''), rest];
  }));
}

describe('docs/configuration.md', () => {
  const schemaFields = Object.keys((configSchema(SPEC) as { properties: Record<string, unknown> }).properties);

  it('has one row for each field of the config schema, and none for a field the schema lacks', () => {
    expect([...fieldTable().keys()].sort()).toEqual([...schemaFields].sort());
  });

  it('gives the default the mock applies for each field whose default is a number or a boolean', () => {
    const defaults = buildConfig(SPEC) as unknown as Record<string, unknown>;
    const table = fieldTable();
    const wrong = schemaFields
      .filter((f) => typeof defaults[f] === 'number' || typeof defaults[f] === 'boolean')
      .filter((f) => !new RegExp(`(^|[^\\d.])${String(defaults[f])}\\b`).test(table.get(f)![1].replace(/(\d),(?=\d{3})/g, '$1')))
      .map((f) => `${f}: ${String(defaults[f])} (the doc says "${table.get(f)![1]}")`);
    expect(wrong).toEqual([]);
  });

  it("names every flag of cortex-mock's --help", () => {
    const help = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist', 'mock', 'cli.js'), '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(help.status).toBe(0);
    const flags = [...new Set(help.stdout.match(/--[a-z][a-z-]*/g))];
    expect(flags.length).toBeGreaterThan(10);
    const prose = DOC.slice(0, DOC.indexOf('`npx cortex-mock --help` prints:')) + DOC.slice(DOC.indexOf('`npm start -- FLAGS`'));
    expect(flags.filter((f) => !prose.includes(f))).toEqual([]);
  });

  it('has an example config file that the mock accepts', () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(DOC);
    expect(block).not.toBeNull();
    const config = buildConfig(SPEC, yaml.load(block![1]), 'docs/configuration.md');
    expect(config.seed).toBe(7);
  });
});
