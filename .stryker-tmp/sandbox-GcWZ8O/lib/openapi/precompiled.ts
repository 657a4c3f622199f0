// @ts-nocheck
// Start-up caches written by the build (mock/build/precompile.ts): YAML files parsed to
// JSON, and Ajv validators compiled to code. Each file is named by a hash of its input, so
// an edited spec or schema misses the cache and is parsed or compiled at run time as
// before. A stale or missing cache costs start-up time, never correctness. Code and
// dependency versions are not in the names: every build (and so every `npm ci` or
// `npm install`, through `prepare`) empties the folder and writes it again.
//
// Ajv and js-yaml are loaded here only when the cache misses: together they were a third
// of the mock's start-up.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from 'ajv';
import type Ajv2020 from 'ajv/dist/2020';
import { PACKAGE_ROOT } from '../paths';

export const PRECOMPILED_DIR = join(PACKAGE_ROOT, 'dist', 'precompiled');

export type AjvOptions = Pick<Options, 'strict' | 'allErrors' | 'verbose' | 'validateSchema'>;

export const contentKey = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** The cache file for YAML text. */
export const yamlCacheFile = (text: string) => join(PRECOMPILED_DIR, `yaml-${contentKey(text)}.json`);

/** Parses YAML (or JSON) text: from the build's JSON copy when the text is unchanged. */
export function parseYaml(text: string): unknown {
  const cached = yamlCacheFile(text);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8'));
  return (require('js-yaml') as typeof import('js-yaml')).load(text);
}

/** The cache file for validators of `schemas` compiled with `options`, named by `kind`. */
export function validatorCacheFile(kind: string, options: AjvOptions, schemas: unknown): string {
  return join(PRECOMPILED_DIR, `${kind}-${contentKey(`${JSON.stringify(options)}\n${JSON.stringify(schemas)}`)}.js`);
}

/** The exports of a compiled validator module, or undefined when the build made none. */
export function loadValidatorModule<T>(file: string): T | undefined {
  return existsSync(file) ? (require(file) as T) : undefined;
}

/**
 * A new Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect) with the project's formats
 * (formats.ts). With `forCode`, it keeps the source for ajv/dist/standalone and names the
 * formats by require.
 */
export function newAjv(options: AjvOptions, forCode = false): Ajv2020 {
  const { default: Ajv } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
  const { formats } = require('./formats') as typeof import('./formats');
  const { _ } = require('ajv') as typeof import('ajv');
  const ajv = new Ajv({
    ...options,
    formats,
    // Compiled code lives in dist/precompiled and requires the formats from dist/lib.
    ...(forCode ? { code: { source: true, formats: _`require("../lib/openapi/formats").formats` } } : {}),
  });
  return ajv;
}
