// The browser's Faker, in place of mock/domain/resources/faker-module.ts: the build's
// CommonJS bundle of Faker's English definitions (dist/vendor/faker.cjs, made by
// scripts/vendor.js), bundled into dist/browser/msw.mjs, so a page needs no Faker of its own
// (it is only a devDependency of the package).
import type { FakerLocaleModule } from '../domain/resources/faker-module';

// A literal path the page's bundle resolves at build time: dist/mock/browser -> dist/vendor.
const bundled = require('../../vendor/faker.cjs') as FakerLocaleModule;

/** Faker's English locale module. */
export function loadFaker(): FakerLocaleModule {
  return bundled;
}
