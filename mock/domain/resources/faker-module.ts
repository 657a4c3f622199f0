// Where Faker comes from. A file of its own so that the browser build (scripts/
// build-browser.mjs) can put mock/browser/faker-module.ts in its place.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../lib/paths';

/** What the mock reads of Faker's English locale module. */
export interface FakerLocaleModule {
  faker: { constructor: unknown; rawDefinitions: unknown };
}

let fakerPath: string | undefined;

/**
 * The build's CommonJS bundle of Faker with the English definitions used here (scripts/
 * vendor.js): Faker ships as an ES module only, which require() cannot load before Node 20.19
 * nor under Jest's default transform. The package itself only before a build (its tests,
 * run from source), with the same data.
 */
export function loadFaker(): FakerLocaleModule {
  const bundled = join(PACKAGE_ROOT, 'dist', 'vendor', 'faker.cjs');
  fakerPath ??= existsSync(bundled) ? bundled : '@faker-js/faker/locale/en';
  return require(fakerPath) as FakerLocaleModule;
}
