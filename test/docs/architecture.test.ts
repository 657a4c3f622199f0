// docs/architecture.md names every folder a newcomer meets: each folder of the repository
// and each of mock/ down to mock/domain/auth, so a folder added without a word in the doc
// fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../lib/paths';

const DOC = readFileSync(join(PACKAGE_ROOT, 'docs', 'architecture.md'), 'utf8');

/** The folders below `dir` (relative to the package root), `depth` levels down. */
function folders(dir: string, depth: number): string[] {
  return readdirSync(join(PACKAGE_ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const path = `${dir}/${e.name}`;
      return depth > 1 ? [path, ...folders(path, depth - 1)] : [path];
    });
}

/** The rows of the doc's folder tables, by their first cell. */
const rows = DOC.split('\n').filter((l) => l.startsWith('| `')).map((l) => l.slice(1, l.indexOf(' |', 2)));

describe('docs/architecture.md', () => {
  const tracked = ['openapi', 'lib', 'mock', 'contracts', 'test', 'bench', 'scripts', 'examples', 'docs'];

  it('has a row for each folder of the repository that holds the project', () => {
    const top = readdirSync(PACKAGE_ROOT, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.') && !['node_modules', 'dist', 'reports'].includes(e.name)).map((e) => e.name);
    expect(top.filter((name) => !tracked.includes(name))).toEqual([]);
    expect(tracked.filter((name) => !rows.some((r) => r.includes(`\`${name}/\``) || r.includes(`\`${name}/`)))).toEqual([]);
  });

  it('says what each folder of mock/ is for, two levels down', () => {
    const named = (folder: string) => DOC.includes(`\`${folder}/\``) || DOC.includes(`\`${folder.split('/').pop()}/\``);
    expect(folders('mock', 2).filter((f) => !named(f))).toEqual([]);
  });

  it("quotes the spec's check order as the spec says it", () => {
    const spec = readFileSync(join(PACKAGE_ROOT, 'openapi', 'cortex-edr.yaml'), 'utf8');
    const order = /^x-cortex-check-order: .*$/m.exec(spec)![0];
    expect(DOC).toContain(order);
  });
});
