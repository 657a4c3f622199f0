#!/usr/bin/env node
// Run by `npm run build` after tsc: writes the start-up caches of lib/openapi/precompiled.ts.
//   - openapi/*.yaml and the default config, parsed to JSON;
//   - the request validators of the public spec (every operation's parameters and body) and
//     the config schema's validator, compiled to code with ajv/dist/standalone;
// Every file is named by a hash of its input; an edited input simply misses the cache.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { AnySchema } from 'ajv';
import { load } from 'js-yaml';
import { CONFIG_AJV_OPTIONS, DEFAULT_CONFIG_PATH, configSchema } from '../config/config';
import { CONTROL_SPEC_PATH, PUBLIC_SPEC_PATH, indexSpec } from '../../lib/openapi/load-spec';
import { PRECOMPILED_DIR, newAjv, validatorCacheFile, yamlCacheFile, type AjvOptions } from '../../lib/openapi/precompiled';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../lib/paths';

const BUILD_STAMP = join(PACKAGE_ROOT, 'dist', '.build-stamp');
import { SPEC_AJV_OPTIONS, prepareDocuments, schemaRef, specValidatorFile } from '../../lib/openapi/schema-validator';

/** Compiles `refs` (export name to Ajv reference) of `schemas` into one CommonJS module. */
function standaloneModule(options: AjvOptions, schemas: AnySchema[], refs: Record<string, string>): string {
  const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
  const ajv = newAjv(options, true);
  for (const schema of schemas) ajv.addSchema(schema);
  return standaloneCode(ajv, refs);
}

function main(): void {
  rmSync(PRECOMPILED_DIR, { recursive: true, force: true });
  mkdirSync(PRECOMPILED_DIR, { recursive: true });
  const written: string[] = [];
  const write = (file: string, text: string) => {
    writeFileSync(file, text);
    written.push(file);
  };

  for (const path of [PUBLIC_SPEC_PATH, CONTROL_SPEC_PATH, DEFAULT_CONFIG_PATH]) {
    const text = readFileSync(path, 'utf8');
    const value = load(text);
    // Only what JSON keeps exactly (no YAML dates or the like) is cached.
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)) write(yamlCacheFile(text), JSON.stringify(value));
    else process.stderr.write(`precompile: ${path} does not round-trip through JSON; it will be parsed at start-up\n`);
  }

  const spec = indexSpec(load(readFileSync(PUBLIC_SPEC_PATH, 'utf8')) as Parameters<typeof indexSpec>[0]);
  const pointers = [
    ...new Set(spec.operations.flatMap((op) => [...op.parameters.map((p) => p.schemaPointer), ...(op.requestBody ? [op.requestBody.schemaPointer] : [])])),
  ];
  const docs = prepareDocuments(spec.document);
  const names = Object.fromEntries(pointers.map((p, i) => [p, `v${i}`]));
  const code = standaloneModule(SPEC_AJV_OPTIONS, docs, Object.fromEntries(pointers.map((p) => [names[p], schemaRef(p)])));
  write(specValidatorFile(spec.document), `${code}\nexports.pointers = ${JSON.stringify(names)};\n`);

  const config = configSchema(spec);
  write(validatorCacheFile('config', CONFIG_AJV_OPTIONS, config), standaloneModule(CONFIG_AJV_OPTIONS, [{ ...config, $id: 'urn:cortex-edr:config' }], { validate: 'urn:cortex-edr:config' }));

  const left = readdirSync(PRECOMPILED_DIR).length;
  process.stdout.write(`precompile: ${written.length} files in ${PRECOMPILED_DIR} (${pointers.length} request validators)\n`);
  if (left !== written.length) throw new Error('precompile: a cache file name collided');
  // The last step of a build: `npm start` (scripts/start.js) builds again only when a
  // source is newer than this.
  writeFileSync(BUILD_STAMP, `${new Date().toISOString()}\n`);
}

main();
