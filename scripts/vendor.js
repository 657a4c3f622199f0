#!/usr/bin/env node
// A build step (`npm run build`): writes dist/vendor/, the third-party code the package
// ships instead of depending on it at install time.
//   - faker.cjs: @faker-js/faker's English locale bundled to CommonJS with esbuild. Faker 10
//     is an ES module only, and a CommonJS require() of it fails before Node 20.19 and under
//     Jest's default transform (issue 19). Same code, same seeds, same bytes out.
//   - swagger-ui/: the three Swagger UI assets /docs serves, copied from swagger-ui-dist, so
//     installing the package pulls in neither the rest of it nor its @scarf/scarf install
//     analytics.
// Each output records the version it was made from; an up-to-date output is left alone, so
// an incremental build (`npm run contract`) skips this step's work.
// Plain JavaScript: it runs next to tsc, not from its output.
'use strict';
const { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

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

function vendorFaker(faker) {
  const licence = readFileSync(join(faker.dir, 'LICENSE'), 'utf8').trim();
  require('esbuild').buildSync({
    entryPoints: [join(faker.dir, 'dist', 'locale', 'en.js')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    legalComments: 'none',
    banner: { js: `/*! @faker-js/faker ${faker.version}, English locale, bundled to CommonJS for cortex-edr-mock.\n${licence}\n*/` },
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

function main() {
  mkdirSync(out, { recursive: true });
  const wanted = { '@faker-js/faker': dependency('@faker-js/faker'), 'swagger-ui-dist': dependency('swagger-ui-dist') };
  const made = existsSync(MANIFEST) ? JSON.parse(readFileSync(MANIFEST, 'utf8')) : {};
  const steps = { '@faker-js/faker': [vendorFaker, 'faker.cjs'], 'swagger-ui-dist': [vendorSwaggerUi, 'swagger-ui'] };
  const done = [];
  for (const [name, [step, output]] of Object.entries(steps)) {
    if (made[name] === wanted[name].version && existsSync(join(out, output))) continue;
    delete made[name];
    step(wanted[name]);
    made[name] = wanted[name].version;
    done.push(`${output} (${name} ${wanted[name].version})`);
  }
  writeFileSync(MANIFEST, `${JSON.stringify(made, null, 2)}\n`);
  if (done.length) process.stdout.write(`vendor: ${done.join(', ')} in ${out}\n`);
}

main();
