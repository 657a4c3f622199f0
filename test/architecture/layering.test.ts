// The layout's promises, read from the source with the TypeScript compiler: the folders of
// mock/, lib/ and contracts/ import each other in one direction only (no two folders import
// each other, through any chain; nothing below imports what sits above it), and no function
// is longer than a reader can hold. Derived from the tree as it is: no list of files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const PACKAGES = ['mock', 'lib', 'contracts'];
const LONGEST_FUNCTION_LINES = 120;
/** Code generated from the spec is not written by hand. */
const GENERATED = 'mock/generated/';

/** A file's path from the repository's root, with forward slashes. */
const repoPath = (file: string) => relative(ROOT, file).split(sep).join('/');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const FILES = PACKAGES.flatMap((p) => sourceFiles(join(ROOT, p))).map((file) => ({
  path: repoPath(file),
  source: ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
}));

interface ImportLine {
  from: string;
  to: string;
  line: number;
  text: string;
  /** An import() expression: loaded when that line runs, not with the file. */
  dynamic: boolean;
}

/** The relative specifiers a file names: imports, re-exports, `import type`, require(), import() and `typeof import()`. */
function specifiersOf(source: ts.SourceFile): Array<{ specifier: string; node: ts.Node; dynamic: boolean }> {
  const found: Array<{ specifier: string; node: ts.Node; dynamic: boolean }> = [];
  const visit = (node: ts.Node) => {
    let target: ts.Expression | undefined;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) target = node.moduleSpecifier;
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) target = node.moduleReference.expression;
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) target = node.arguments[0];
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) target = node.argument.literal as ts.Expression;
    const dynamic = ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword;
    if (target && ts.isStringLiteralLike(target) && target.text.startsWith('.')) found.push({ specifier: target.text, node, dynamic });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const KNOWN = new Set(FILES.map((f) => f.path));

/** The file a relative specifier names (TypeScript's resolution of a CommonJS project), or its bare path when it is no source here. */
function resolved(fromFile: string, specifier: string): string {
  const base = repoPath(resolve(ROOT, dirname(fromFile), specifier));
  const stem = base.replace(/\.(js|mjs|cjs)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.mts`, `${stem}.cts`, `${stem}/index.ts`]) if (KNOWN.has(candidate)) return candidate;
  return base;
}

const IMPORTS: ImportLine[] = FILES.flatMap(({ path, source }) =>
  specifiersOf(source).map(({ specifier, node, dynamic }) => ({
    from: path,
    to: resolved(path, specifier),
    line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
    text: node.getText().split('\n')[0].slice(0, 160),
    dynamic,
  })),
);

/**
 * The unit of layering: a file's folder. The files at a package's root (mock/core.ts,
 * mock/clock.ts, lib/cli.ts) are each a unit of their own: the root holds the entry points
 * that compose the folders, and small modules every layer reads, not one layer.
 */
function unitOf(path: string): string {
  const dir = dirname(path);
  return PACKAGES.includes(dir) ? path : dir;
}

const within = (path: string) => PACKAGES.some((p) => path.startsWith(`${p}/`));

const shown = (i: ImportLine) => `  ${i.from}:${i.line}  ${i.text}`;

/**
 * The cycles of the import graph between units (`unit` maps a file to its unit), each with
 * the import lines that make it: Tarjan's strongly connected components, where a component
 * of two or more units is a cycle.
 */
function cyclesAmong(unit: (path: string) => string): string[] {
  const edges = new Map<string, Map<string, ImportLine[]>>();
  for (const i of IMPORTS) {
    if (!within(i.to)) continue;
    const [a, b] = [unit(i.from), unit(i.to)];
    if (a === b) continue;
    const out = edges.get(a) ?? new Map<string, ImportLine[]>();
    out.set(b, [...(out.get(b) ?? []), i]);
    edges.set(a, out);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const u of new Set(IMPORTS.map((i) => unit(i.from)))) if (!index.has(u)) connect(u);
  return components.map((units) => {
    const members = new Set(units);
    const lines = units.flatMap((a) => [...(edges.get(a) ?? [])].filter(([b]) => members.has(b)).flatMap(([, imports]) => imports.map(shown)));
    return `import each other: ${units.join(', ')}\n${lines.join('\n')}`;
  });
}

describe('layering', () => {
  it('finds the imports it judges (the graph is not empty)', () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect(IMPORTS.filter((i) => i.from.startsWith('mock/') && i.to.startsWith('mock/')).length).toBeGreaterThan(100);
    // Type-only imports and require() are edges too.
    expect(IMPORTS.some((i) => i.text.startsWith('import type'))).toBe(true);
    expect(IMPORTS.some((i) => i.text.startsWith('require('))).toBe(true);
  });

  it('has no two folders that import each other, directly or through others', () => {
    expect(cyclesAmong(unitOf).join('\n\n')).toBe('');
  });

  it('has no two files that import each other, directly or through others', () => {
    expect(cyclesAmong((path) => path).join('\n\n')).toBe('');
  });

  // Arrows that would run back up: what sits below must not know what sits above it.
  // One is meant: the contract runner's `--target mock` starts the mock in process (DESIGN:
  // "Targets: the mock in-process"), by an import() in an entry point at contracts/' root
  // that loads it only for that target; the harness's own modules never import it.
  /** The mock's entry points, which compose the folders: nothing below imports them. */
  const ENTRY_POINTS = ['mock/core.ts', 'mock/app.ts', 'mock/server.ts', 'mock/cli.ts', 'mock/index.ts'];
  const UPWARD: Array<{ below: string; above: string[]; why: string; entryPointMayLoad?: boolean }> = [
    { below: 'mock/domain/', above: ['mock/surfaces/', 'mock/http/', 'mock/config/', 'mock/stages/', ...ENTRY_POINTS], why: 'the domain knows no surface, transport, config file or stage' },
    { below: 'mock/stages/', above: ['mock/surfaces/', ...ENTRY_POINTS], why: 'the stages run under every surface, which compose them' },
    { below: 'mock/http/', above: ['mock/surfaces/', 'mock/stages/', ...ENTRY_POINTS], why: 'the request and response model sits under the stages and the surfaces' },
    { below: 'lib/', above: ['mock/', 'contracts/'], why: 'lib is shared by the mock and the harness' },
    { below: 'contracts/', above: ['mock/'], why: 'the harness is a black box: it speaks HTTP to the mock, never imports it', entryPointMayLoad: true },
  ];

  it.each(UPWARD)('has no import from $below into what sits above it ($why)', ({ below, above, entryPointMayLoad }) => {
    const loadedByEntryPoint = (i: ImportLine) => entryPointMayLoad === true && unitOf(i.from) === i.from && i.dynamic;
    const upward = IMPORTS.filter((i) => i.from.startsWith(below) && above.some((a) => (a.endsWith('/') ? i.to.startsWith(a) : i.to === a)) && !loadedByEntryPoint(i));
    expect(upward.map(shown).join('\n')).toBe('');
  });

  it(`has no function over ${LONGEST_FUNCTION_LINES} lines in ${PACKAGES.join('/, ')}/ (generated code aside)`, () => {
    const long: string[] = [];
    for (const { path, source } of FILES) {
      if (path.startsWith(GENERATED)) continue;
      const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const first = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          const last = source.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
          const lines = last - first + 1;
          if (lines > LONGEST_FUNCTION_LINES) long.push(`  ${functionName(node)} (${path}:${first}): ${lines} lines`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long.join('\n')).toBe('');
  });
});

/** A function's name, or what it is assigned to. */
function functionName(node: ts.Node): string {
  const named = (node as { name?: ts.Node }).name;
  if (named) return named.getText();
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) return parent.name.getText();
  return '(anonymous)';
}
