// @ts-nocheck
// Seeded fake data. Each app (and each report) gets its own Faker instance, so two mocks in
// one process never share random state, and the same seed gives the same bytes.
/**
 * The part of Faker the mock uses. Declared here, not imported: Faker ships as an ES module
 * only, and a CommonJS project that compiles against this package's types (moduleResolution
 * node16) cannot import its types without a resolution-mode attribute.
 */function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
export interface FakeSource {
  number: {
    int(options: {
      min: number;
      max: number;
    }): number;
  };
  helpers: {
    arrayElement<T>(items: readonly T[]): T;
  };
  string: {
    alphanumeric(options: {
      length: number;
      casing?: 'lower' | 'upper' | 'mixed';
    }): string;
    numeric(length: number): string;
  };
  word: {
    noun(): string;
  };
  internet: {
    ipv4(): string;
    email(options: {
      firstName: string;
      lastName: string;
      provider: string;
    }): string;
  };
  person: {
    firstName(): string;
    lastName(): string;
  };
}
type FakerConstructor = new (options: {
  locale: unknown;
  seed?: number;
}) => FakeSource;

/** A Faker instance of its own, seeded. */
export function createFaker(seed: number): FakeSource {
  if (stryMutAct_9fa48("787")) {
    {}
  } else {
    stryCov_9fa48("787");
    // Built from the English locale's definitions: loading the full package would cost more
    // start-up time than every other module together. Loaded on first use: start-up reads
    // the build's seed plan (seed.ts) and needs no Faker.
    const {
      faker: englishFaker
    } = require('@faker-js/faker/locale/en') as typeof import('@faker-js/faker/locale/en');
    const Ctor = englishFaker.constructor as FakerConstructor;
    return new Ctor(stryMutAct_9fa48("788") ? {} : (stryCov_9fa48("788"), {
      locale: englishFaker.rawDefinitions,
      seed
    }));
  }
}

/** A 31-bit seed derived from a base seed and a string (FNV-1a). */
export function deriveSeed(seed: number, text: string): number {
  if (stryMutAct_9fa48("789")) {
    {}
  } else {
    stryCov_9fa48("789");
    let h = 0x811c9dc5 ^ seed;
    for (let i = 0; stryMutAct_9fa48("792") ? i >= text.length : stryMutAct_9fa48("791") ? i <= text.length : stryMutAct_9fa48("790") ? false : (stryCov_9fa48("790", "791", "792"), i < text.length); stryMutAct_9fa48("793") ? i-- : (stryCov_9fa48("793"), i++)) {
      if (stryMutAct_9fa48("794")) {
        {}
      } else {
        stryCov_9fa48("794");
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
      }
    }
    return h >>> 0 & 0x7fffffff;
  }
}

/** Ids and secrets from a seeded source, so the same run of requests gives the same ids. */
export interface IdGenerator {
  next(prefix: string): string;
  secret(mode: 'test' | 'live'): string;
}
export function createIdGenerator(faker: FakeSource): IdGenerator {
  if (stryMutAct_9fa48("795")) {
    {}
  } else {
    stryCov_9fa48("795");
    return stryMutAct_9fa48("796") ? {} : (stryCov_9fa48("796"), {
      next: stryMutAct_9fa48("797") ? () => undefined : (stryCov_9fa48("797"), prefix => stryMutAct_9fa48("798") ? `` : (stryCov_9fa48("798"), `${prefix}_${faker.string.alphanumeric(stryMutAct_9fa48("799") ? {} : (stryCov_9fa48("799"), {
        length: 16,
        casing: stryMutAct_9fa48("800") ? "" : (stryCov_9fa48("800"), 'lower')
      }))}`)),
      secret: stryMutAct_9fa48("801") ? () => undefined : (stryCov_9fa48("801"), mode => stryMutAct_9fa48("802") ? `` : (stryCov_9fa48("802"), `sk_${mode}_${faker.string.alphanumeric(stryMutAct_9fa48("803") ? {} : (stryCov_9fa48("803"), {
        length: 32
      }))}`))
    });
  }
}