// node:fs as the browser build of the MSW handlers has it: the package's own documents (the
// spec files and the default config), embedded as they are in the package at build time
// (scripts/build-browser.mjs), read by the same code that reads them from disk under Node.
// Nothing else exists: the start-up caches are absent, so the core compiles what it needs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { documents } = require('cortex-edr-mock:documents') as { documents: Record<string, string> };

const PREFIX = '/cortex-edr-mock/';

const documentOf = (path: string) => (path.startsWith(PREFIX) ? documents[path.slice(PREFIX.length)] : undefined);

export function existsSync(path: string): boolean {
  return documentOf(String(path)) !== undefined;
}

export function readFileSync(path: string): string {
  const text = documentOf(String(path));
  if (text === undefined) throw Object.assign(new Error(`ENOENT: the browser build has no file ${path}`), { code: 'ENOENT' });
  return text;
}
