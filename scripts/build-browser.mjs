#!/usr/bin/env node
// Run by `npm run build` after tsc: bundles the browser entry of `cortex-edr-mock/msw`
// (dist/mock/browser/msw.js) into one ES module, dist/browser/msw.mjs, with Vite (library
// mode). A page has no node:fs, node:path, node:crypto, Buffer or pino, so the bundle takes
// the files of dist/mock/browser/ in their place, and the package's own documents (the spec
// files and the default config) are embedded as they are. msw stays outside (the page's
// bundler resolves it, a peer of the package); Faker (from dist/vendor/faker.cjs), Ajv and
// js-yaml, CommonJS, are bundled in.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createLogger } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const DOCUMENTS = ['openapi/cortex-edr.yaml', 'openapi/control.yaml', 'mock/config/default-config.yaml'];
const DOCUMENTS_ID = 'cortex-edr-mock:documents';
// Left to the page's bundler: msw (the page's own runs the handlers). Faker is bundled in from
// dist/vendor/faker.cjs (scripts/vendor.js runs first): it is only a devDependency.
const EXTERNAL = new Set(['msw']);
const BRIDGE = 'cortex-edr-mock:external:';
// An ES module over the compiled (CommonJS) entry, so the bundle has named exports.
const ENTRY_ID = 'cortex-edr-mock:entry';
const ENTRY = `import browser from ${JSON.stringify(join(dist, 'mock/browser/msw.js'))};\nexport const createMswHandlers = browser.createMswHandlers;\n`;

/** Node's modules and the package's Node-only files, to the browser's stand-ins. */
const SWAPS = new Map([
  ['node:fs', join(dist, 'mock/browser/fs.js')],
  ['node:path', join(dist, 'mock/browser/path.js')],
  ['node:crypto', join(dist, 'mock/browser/crypto.js')],
  ['node:net', join(dist, 'mock/browser/net.js')],
  [join(dist, 'lib/paths.js'), join(dist, 'mock/browser/paths.js')],
  [join(dist, 'mock/observability/logger.js'), join(dist, 'mock/browser/logger.js')],
  [join(dist, 'mock/domain/resources/faker-module.js'), join(dist, 'mock/browser/faker-module.js')],
  [join(dist, 'mock/store/redis.js'), join(dist, 'mock/browser/store.js')],
]);

const swap = {
  name: 'cortex-edr-mock-browser',
  enforce: 'pre',
  resolveId(source, importer) {
    if (source === DOCUMENTS_ID) return `\0${source}`;
    // The compiled code require()s them; a bundled ES module has no require for an external,
    // so it reaches each through an ES module that imports it.
    if (EXTERNAL.has(source)) return importer === `\0${BRIDGE}${source}` ? { id: source, external: true } : `\0${BRIDGE}${source}`;
    // Vite names a library entry by its path under the root.
    if (source === ENTRY_ID || source.endsWith(`/${ENTRY_ID}`)) return `\0${ENTRY_ID}`;
    if (SWAPS.has(source)) return SWAPS.get(source);
    if (importer && source.startsWith('.')) {
      const target = join(dirname(importer), source);
      for (const candidate of [target, `${target}.js`]) if (SWAPS.has(candidate)) return SWAPS.get(candidate);
    }
    return null;
  },
  load(id) {
    if (id === `\0${ENTRY_ID}`) return ENTRY;
    if (id.startsWith(`\0${BRIDGE}`)) return `export * from ${JSON.stringify(id.slice(BRIDGE.length + 1))};\n`;
    if (id !== `\0${DOCUMENTS_ID}`) return null;
    const documents = Object.fromEntries(DOCUMENTS.map((file) => [file, readFileSync(join(root, file), 'utf8')]));
    return `export const documents = ${JSON.stringify(documents)};`;
  },
};

// A Node module with no stand-in above would become an empty object whose functions are
// undefined in the page: Vite only warns of it, so the build fails instead.
const logger = createLogger('warn');
const externalised = [];
const warn = logger.warn;
logger.warn = (message, options) => {
  if (/externalized for browser compatibility/.test(message)) externalised.push(message);
  warn(message, options);
};

const started = Date.now();
await build({
  configFile: false,
  customLogger: logger,
  logLevel: 'warn',
  root,
  plugins: [swap],
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: join(dist, 'browser'),
    emptyOutDir: true,
    minify: false,
    target: 'es2022',
    sourcemap: false,
    lib: { entry: ENTRY_ID, formats: ['es'], fileName: () => 'msw.mjs' },
  },
});
if (externalised.length > 0) {
  process.stderr.write(`build-browser: ${externalised.length} Node module(s) without a browser stand-in (add one to SWAPS)\n`);
  process.exit(1);
}
process.stdout.write(`build-browser: dist/browser/msw.mjs in ${Date.now() - started} ms\n`);
