#!/usr/bin/env node
// A build step (`npm run build`): writes dist/vendor/, the third-party code the package
// ships instead of depending on it at install time.
//   - faker.cjs: @faker-js/faker with the part of its English locale the mock uses, bundled
//     to CommonJS with esbuild. Faker 10 is an ES module only, and a CommonJS require() of it
//     fails before Node 20.19 and under Jest's default transform (issue 19). Same code and
//     data, same seeds, same bytes out.
//   - swagger-ui/: the three Swagger UI assets /docs serves, copied from swagger-ui-dist, so
//     installing the package pulls in neither the rest of it nor its @scarf/scarf install
//     analytics.
// Each output records the version and the script it was made by; a current output is left
// alone, so an incremental build (`npm run contract`) skips this step's work.
// Plain JavaScript: it runs next to tsc, not from its output.
'use strict';
const { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');

const root = join(__dirname, '..');
const out = join(root, 'dist', 'vendor');
const MANIFEST = join(out, 'manifest.json');

/** A dependency's folder and version, from this project's node_modules. */
function dependency(name) {
  const manifest = require.resolve(`${name}/package.json`, { paths: [root] });
  return { dir: dirname(manifest), version: JSON.parse(readFileSync(manifest, 'utf8')).version };
}

/** Swagger UI's files that /docs links to (mock/surfaces/docs.ts), with their notices. */
const SWAGGER_UI_FILES = [
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-bundle.js.LICENSE.txt',
  'swagger-ui-standalone-preset.js',
  'swagger-ui-standalone-preset.js.LICENSE.txt',
  'LICENSE',
  'NOTICE',
];

/** The English locale's definitions the mock's data draws on (mock/domain/resources/fake.ts). */
const FAKER_MODULES = ['person', 'internet', 'word', 'metadata'];

async function vendorFaker(faker) {
  const licence = readFileSync(join(faker.dir, 'LICENSE'), 'utf8').trim();
  // Only the definitions the mock uses: the locale's other three quarters (animals, music,
  // places...) would ship for nothing. Same data for these, so the same seed gives the same
  // bytes (test/resources/seeded-golden.test.ts); a method reaching for a dropped definition
  // throws, and the tests would say so.
  const { faker: english } = await import(pathToFileURL(require.resolve('@faker-js/faker/locale/en', { paths: [root] })).href);
  const definitions = Object.fromEntries(FAKER_MODULES.map((name) => [name, english.rawDefinitions[name]]));
  require('esbuild').buildSync({
    stdin: {
      contents: `import { Faker } from '@faker-js/faker';\nexport const faker = new Faker({ locale: ${JSON.stringify(definitions)} });\n`,
      resolveDir: root,
      sourcefile: 'faker-en.js',
    },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    legalComments: 'none',
    banner: { js: `/*! @faker-js/faker ${faker.version}: the Faker class and the English locale's ${FAKER_MODULES.join(', ')} definitions, bundled to CommonJS for cortex-edr-mock.\n${licence}\n*/` },
    outfile: join(out, 'faker.cjs'),
    logLevel: 'warning',
  });
  copyFileSync(join(faker.dir, 'LICENSE'), join(out, 'faker.LICENSE'));
}

function vendorSwaggerUi(swaggerUi) {
  const dir = join(out, 'swagger-ui');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of SWAGGER_UI_FILES) copyFileSync(join(swaggerUi.dir, file), join(dir, file));
}

async function main() {
  mkdirSync(out, { recursive: true });
  const wanted = { '@faker-js/faker': dependency('@faker-js/faker'), 'swagger-ui-dist': dependency('swagger-ui-dist') };
  const made = existsSync(MANIFEST) ? JSON.parse(readFileSync(MANIFEST, 'utf8')) : {};
  // An output is current when made from this version by this script.
  const script = createHash('sha256').update(readFileSync(__filename)).digest('hex').slice(0, 12);
  for (const dep of Object.values(wanted)) dep.made = `${dep.version} by vendor.js ${script}`;
  const steps = { '@faker-js/faker': [vendorFaker, 'faker.cjs'], 'swagger-ui-dist': [vendorSwaggerUi, 'swagger-ui'] };
  const done = [];
  for (const [name, [step, output]] of Object.entries(steps)) {
    if (made[name] === wanted[name].made && existsSync(join(out, output))) continue;
    delete made[name];
    await step(wanted[name]);
    made[name] = wanted[name].made;
    done.push(`${output} (${name} ${wanted[name].version})`);
  }
  writeFileSync(MANIFEST, `${JSON.stringify(made, null, 2)}\n`);
  if (done.length) process.stdout.write(`vendor: ${done.join(', ')} in ${out}\n`);
}

main().catch((err) => {
  process.stderr.write(`vendor: ${err.stack}\n`);
  process.exit(1);
});
