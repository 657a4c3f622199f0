// Every relative link of the README and docs/ leads somewhere: to a file of the repository
// and, when it names an anchor, to a heading of that file (GitHub's anchors). And every
// path of the repository they name in code (`mock/http/render.ts`, `test/browser/`) is
// there, as is every test file they name by its name alone, so a move leaves no stale path.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { PACKAGE_ROOT } from '../../lib/paths';

/** The text outside fenced code blocks and code spans, where a link is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings, repeats numbered as GitHub numbers them. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, text] of markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Every relative link target of a file's prose (`[text](target)` and images). */
function relativeLinks(markdown: string): string[] {
  const targets: string[] = [];
  for (const [, target] of prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) targets.push(target);
  }
  return targets;
}

/** What is wrong with each relative link of `file`: a file that is not there, or an anchor it lacks. */
function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const problems: string[] = [];
  for (const target of relativeLinks(text)) {
    const [path, anchor] = target.split('#', 2) as [string, string | undefined];
    const to = path === '' ? file : join(dirname(file), decodeURI(path));
    const name = `${relative(PACKAGE_ROOT, file)} -> ${target}`;
    if (!existsSync(to)) problems.push(`${name}: no such file`);
    else if (anchor !== undefined && to.endsWith('.md') && !anchors(readFileSync(to, 'utf8')).has(anchor)) problems.push(`${name}: no heading with that anchor`);
  }
  return problems;
}

/** The repository's top folders that a path named in the docs can start with. */
const TOP = ['openapi', 'lib', 'mock', 'contracts', 'test', 'bench', 'scripts', 'examples', 'docs'];

/** The test files of the repository, by file name. */
function testFileNames(dir = join(PACKAGE_ROOT, 'test')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? testFileNames(join(dir, e.name)) : [e.name]));
}

/** Paths of the repository named in code spans that are not there; a path may leave out `.ts` or `.test.ts`. */
function missingPaths(file: string, testFiles: readonly string[]): string[] {
  const spans = [...readFileSync(file, 'utf8').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  const paths = spans.filter((s) => TOP.some((top) => s.startsWith(`${top}/`)) && !/[\s*{}<>]/.test(s));
  const missing = paths.filter((p) => !['', '.ts', '.test.ts'].some((ext) => existsSync(join(PACKAGE_ROOT, p + ext))));
  const tests = spans.filter((s) => /^[\w.-]+\.test\.ts$/.test(s) && !testFiles.includes(s));
  return [...missing, ...tests].map((p) => `${relative(PACKAGE_ROOT, file)}: ${p}`);
}

const DOCS = [join(PACKAGE_ROOT, 'README.md'), ...readdirSync(join(PACKAGE_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(PACKAGE_ROOT, 'docs', f))];

describe('relative links in the README and docs/', () => {
  it.each(DOCS.map((f) => [relative(PACKAGE_ROOT, f), f]))('every relative link of %s resolves to a file and, with an anchor, to a heading', (_name, file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  it.each(DOCS.map((f) => [relative(PACKAGE_ROOT, f), f]))('every repository path and test file %s names in code exists', (_name, file) => {
    expect(missingPaths(file, testFileNames())).toEqual([]);
  });

  it('reports a named path or test file that is not there, and takes one without its .ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paths-'));
    writeFileSync(join(dir, 'a.md'), 'See `mock/core`, `mock/http/`, `mock/nowhere.ts`, `render.test.ts`, `gone.test.ts`, `mock/*.ts` and `npm test`.\n');
    expect(missingPaths(join(dir, 'a.md'), ['render.test.ts']).map((p) => p.replace(/^.*: /, ''))).toEqual(['mock/nowhere.ts', 'gone.test.ts']);
  });

  it('makes anchors as GitHub does', () => {
    expect(slug("The stages, in the spec's order")).toBe('the-stages-in-the-specs-order');
    expect(slug('`contracts/`: the harness')).toBe('contracts-the-harness');
    expect([...anchors('# A\n## A\n```\n# not a heading\n```\n### B c\n')]).toEqual(['a', 'a-1', 'b-c']);
  });

  it('finds relative links and images outside code, and leaves absolute ones alone', () => {
    const text = 'See [a](docs/a.md#x), ![img](pic.png) and [web](https://example.com).\n`[code](nowhere.md)`\n```\n[block](nowhere.md)\n```\n';
    expect(relativeLinks(text)).toEqual(['docs/a.md#x', 'pic.png']);
  });

  it('reports a link to a missing file and one to a missing anchor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'links-'));
    writeFileSync(join(dir, 'b.md'), '# Here\n');
    writeFileSync(join(dir, 'a.md'), '[ok](b.md#here) [gone](c.md) [nowhere](b.md#there) [self](#missing)\n# Top\n');
    expect(brokenLinks(join(dir, 'a.md')).map((p) => p.replace(/^.*-> /, ''))).toEqual([
      'c.md: no such file',
      'b.md#there: no heading with that anchor',
      '#missing: no heading with that anchor',
    ]);
  });
});
