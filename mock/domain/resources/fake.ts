// Seeded fake data. Each app (and each report) gets its own Faker instance, so two mocks in
// one process never share random state, and the same seed gives the same bytes.
import { randomBytes } from 'node:crypto';
import type { SpecVocabulary } from '../../../lib/openapi/load-spec';
import type { SecretSource } from '../auth/secrets';
import { loadFaker } from './faker-module';

/**
 * The part of Faker the mock uses. Declared here, not imported: Faker ships as an ES module
 * only, and a CommonJS project that compiles against this package's types (moduleResolution
 * node16) cannot import its types without a resolution-mode attribute.
 */
export interface FakeSource {
  number: { int(options: { min: number; max: number }): number };
  helpers: { arrayElement<T>(items: readonly T[]): T };
  string: { alphanumeric(options: { length: number; casing?: 'lower' | 'upper' | 'mixed' }): string; numeric(length: number): string };
  word: { noun(): string };
  internet: { ipv4(): string; email(options: { firstName: string; lastName: string; provider: string }): string };
  person: { firstName(): string; lastName(): string };
}

type FakerConstructor = new (options: { locale: unknown; seed?: number }) => FakeSource;

/** A Faker instance of its own, seeded. */
export function createFaker(seed: number): FakeSource {
  // Built from the English locale's definitions only (dist/vendor/faker.cjs, which
  // faker-module.ts loads): the full package would cost more start-up time than every other
  // module together. It is loaded at start-up: the first reset plans the seeded data with it
  // (seed.ts).
  const { faker: englishFaker } = loadFaker();
  const Ctor = englishFaker.constructor as FakerConstructor;
  return new Ctor({ locale: englishFaker.rawDefinitions, seed });
}

/** A 31-bit seed derived from a base seed and a string (FNV-1a). */
export function deriveSeed(seed: number, text: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x7fffffff;
}

/**
 * Ids from a seeded source, so the same run of requests gives the same ids; secrets from
 * the operating system's CSPRNG, never from the seed (STYLE.md 5: "the seed drives data,
 * never secrets"): whoever knows the seed, 42 by default, must not be able to compute the
 * keys a create or a rotation hands out.
 */
export interface IdGenerator extends SecretSource {
  /** A new id of this kind, under the spec's prefix for it. */
  next(kind: 'scan' | 'user' | 'api_key'): string;
  /** A new secret of this mode, under the spec's prefix for it: 32 random letters and digits. */
  secret(mode: 'test' | 'live'): string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` letters and digits from crypto.randomBytes, each equally likely (bytes of 248 and above are redrawn). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

/** `words`: the spec's id prefixes and key-mode prefixes. */
export function createIdGenerator(faker: FakeSource, words: Pick<SpecVocabulary, 'idPrefixes' | 'keyModes'>): IdGenerator {
  return {
    next: (kind) => `${words.idPrefixes[kind]}${faker.string.alphanumeric({ length: 16, casing: 'lower' })}`,
    secret: (mode) => `${words.keyModes[mode]}${randomAlphanumeric(32)}`,
  };
}
