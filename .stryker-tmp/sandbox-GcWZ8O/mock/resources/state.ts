// @ts-nocheck
// All mutable state of one mock instance, behind one object with reset(). No module
// singletons: two mocks in one process never share anything.
function stryNS_9fa48() {
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
import type { Clock } from '../clock';
import type { MockConfig } from '../config/config';
import { createKeyStore, type KeyStore } from '../auth/key-store';
import type { LoadedSpec } from '../../lib/openapi/load-spec';
import { parseDateTime } from '../../lib/date-time';
import { createFaker, createIdGenerator, deriveSeed, type FakeSource, type IdGenerator } from './fake';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency';
import { createScanStore, type ScanStore, type ScanTiming } from './scans';
import { seedInputs, seedPlan, type SeedPlan } from './seed';
import { createUserStore, type UserStore } from './users';
export interface MockState {
  keys: KeyStore;
  scans: ScanStore;
  users: UserStore;
  idempotency: IdempotencyStore;
  /** How many users and keys an account may have (config max_users_per_account, max_keys_per_account). */
  readonly limits: {
    usersPerAccount: number;
    keysPerAccount: number;
  };
  /** The seeded source for data made at run time (new scans' outcomes). */
  readonly faker: FakeSource;
  readonly ids: IdGenerator;
  /** Back to the seeded data of start-up, relative to the clock's current time. */
  reset(): void;
}
const DAY = stryMutAct_9fa48("1236") ? 24 * 60 * 60 / 1000 : (stryCov_9fa48("1236"), (stryMutAct_9fa48("1237") ? 24 * 60 / 60 : (stryCov_9fa48("1237"), (stryMutAct_9fa48("1238") ? 24 / 60 : (stryCov_9fa48("1238"), 24 * 60)) * 60)) * 1000);

/** Reads scan timing from the spec's ScanType schema. */
export function scanTiming(spec: LoadedSpec): ScanTiming {
  if (stryMutAct_9fa48("1239")) {
    {}
  } else {
    stryCov_9fa48("1239");
    const scanType = spec.document.components?.schemas?.ScanType as Record<string, unknown>;
    return stryMutAct_9fa48("1240") ? {} : (stryCov_9fa48("1240"), {
      queueSeconds: stryMutAct_9fa48("1241") ? scanType['x-cortex-queue-seconds'] as number | undefined && 0 : (stryCov_9fa48("1241"), scanType['x-cortex-queue-seconds'] as number | undefined ?? 0),
      durationSeconds: stryMutAct_9fa48("1242") ? scanType['x-cortex-duration-seconds'] as Record<string, number> | undefined && {} : (stryCov_9fa48("1242"), scanType['x-cortex-duration-seconds'] as Record<string, number> | undefined ?? {})
    });
  }
}
export function createState(spec: LoadedSpec, config: MockConfig, clock: Clock): MockState {
  if (stryMutAct_9fa48("1243")) {
    {}
  } else {
    stryCov_9fa48("1243");
    const keys = createKeyStore();
    const scans = createScanStore(scanTiming(spec), config.seed, config.max_scans_per_account);
    const users = createUserStore();
    const idempotency = createIdempotencyStore();

    // The plan is fixed for this config; every reset applies it again at the clock's time.
    let plan: SeedPlan | undefined;
    // Data made at run time (new scans, ids, secrets) comes from sources of its own, made on
    // first use: a mock that only reads never loads Faker.
    let faker: FakeSource | undefined;
    let ids: IdGenerator | undefined;
    const state: MockState = stryMutAct_9fa48("1244") ? {} : (stryCov_9fa48("1244"), {
      keys,
      scans,
      users,
      idempotency,
      limits: stryMutAct_9fa48("1245") ? {} : (stryCov_9fa48("1245"), {
        usersPerAccount: config.max_users_per_account,
        keysPerAccount: config.max_keys_per_account
      }),
      get faker() {
        if (stryMutAct_9fa48("1246")) {
          {}
        } else {
          stryCov_9fa48("1246");
          stryMutAct_9fa48("1247") ? faker &&= createFaker(deriveSeed(config.seed, 'run-time data')) : (stryCov_9fa48("1247"), faker ??= createFaker(deriveSeed(config.seed, stryMutAct_9fa48("1248") ? "" : (stryCov_9fa48("1248"), 'run-time data'))));
          return faker;
        }
      },
      get ids() {
        if (stryMutAct_9fa48("1249")) {
          {}
        } else {
          stryCov_9fa48("1249");
          stryMutAct_9fa48("1250") ? ids &&= createIdGenerator(createFaker(deriveSeed(config.seed, 'run-time ids'))) : (stryCov_9fa48("1250"), ids ??= createIdGenerator(createFaker(deriveSeed(config.seed, stryMutAct_9fa48("1251") ? "" : (stryCov_9fa48("1251"), 'run-time ids')))));
          return ids;
        }
      },
      reset() {
        if (stryMutAct_9fa48("1252")) {
          {}
        } else {
          stryCov_9fa48("1252");
          keys.clear();
          scans.clear();
          users.clear();
          idempotency.clear();
          faker = undefined;
          ids = undefined;
          const now = clock.now();
          for (const account of config.accounts) keys.addAccount(stryMutAct_9fa48("1253") ? {} : (stryCov_9fa48("1253"), {
            ...account
          }));
          for (const k of config.keys) {
            if (stryMutAct_9fa48("1254")) {
              {}
            } else {
              stryCov_9fa48("1254");
              keys.addKeyByHash(stryMutAct_9fa48("1255") ? {} : (stryCov_9fa48("1255"), {
                id: k.id,
                name: k.name,
                accountId: k.account_id,
                permissions: stryMutAct_9fa48("1256") ? [] : (stryCov_9fa48("1256"), [...k.permissions]),
                mode: k.mode,
                createdAt: stryMutAct_9fa48("1257") ? now + 30 * DAY : (stryCov_9fa48("1257"), now - (stryMutAct_9fa48("1258") ? 30 / DAY : (stryCov_9fa48("1258"), 30 * DAY))),
                expiresAt: (stryMutAct_9fa48("1261") ? k.expires_at !== null : stryMutAct_9fa48("1260") ? false : stryMutAct_9fa48("1259") ? true : (stryCov_9fa48("1259", "1260", "1261"), k.expires_at === null)) ? null : parseDateTime(k.expires_at)!,
                revoked: stryMutAct_9fa48("1264") ? k.status !== 'revoked' : stryMutAct_9fa48("1263") ? false : stryMutAct_9fa48("1262") ? true : (stryCov_9fa48("1262", "1263", "1264"), k.status === (stryMutAct_9fa48("1265") ? "" : (stryCov_9fa48("1265"), 'revoked'))),
                last4: k.last4
              }), k.secret_sha256);
            }
          }
          stryMutAct_9fa48("1266") ? plan &&= seedPlan(seedInputs(spec, config)) : (stryCov_9fa48("1266"), plan ??= seedPlan(seedInputs(spec, config)));
          for (const planned of plan.accounts) {
            if (stryMutAct_9fa48("1267")) {
              {}
            } else {
              stryCov_9fa48("1267");
              for (const {
                ageMs,
                ...scan
              } of planned.scans) scans.add(stryMutAct_9fa48("1268") ? {} : (stryCov_9fa48("1268"), {
                ...scan,
                createdAt: stryMutAct_9fa48("1269") ? now + ageMs : (stryCov_9fa48("1269"), now - ageMs)
              }));
              for (const {
                ageMs,
                ...user
              } of planned.users) {
                if (stryMutAct_9fa48("1270")) {
                  {}
                } else {
                  stryCov_9fa48("1270");
                  users.add(stryMutAct_9fa48("1271") ? {} : (stryCov_9fa48("1271"), {
                    ...user,
                    accountId: planned.accountId,
                    createdAt: stryMutAct_9fa48("1272") ? now + ageMs : (stryCov_9fa48("1272"), now - ageMs),
                    updatedAt: stryMutAct_9fa48("1273") ? now + ageMs : (stryCov_9fa48("1273"), now - ageMs)
                  }));
                }
              }
            }
          }
        }
      }
    });
    state.reset();
    return state;
  }
}