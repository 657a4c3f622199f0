// @ts-nocheck
// The seeded data of start-up (and of every reset): per account, scans and users made by
// Faker from the config's seed. The plan holds ages, not times, so it is applied at the
// clock's current time. It is a pure function of its inputs, so the build computes the
// default config's plan once (mock/build/precompile.ts) and start-up reads it without
// loading Faker, which took a fifth of the mock's start-up.
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
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFaker, createIdGenerator } from './fake';
import { newScan, type ScanRecord } from './scans';
import type { MockConfig } from '../config/config';
import type { LoadedSpec } from '../../lib/openapi/load-spec';
import { PRECOMPILED_DIR, contentKey } from '../../lib/openapi/precompiled';
const DAY = stryMutAct_9fa48("1186") ? 24 * 60 * 60 / 1000 : (stryCov_9fa48("1186"), (stryMutAct_9fa48("1187") ? 24 * 60 / 60 : (stryCov_9fa48("1187"), (stryMutAct_9fa48("1188") ? 24 / 60 : (stryCov_9fa48("1188"), 24 * 60)) * 60)) * 1000);
const SEEDED_SCANS = 14;
const SEEDED_USERS = 6;
/** Raise when planSeed changes what it makes: a cached plan of another version is ignored. */
const PLAN_VERSION = 1;
export interface SeedInputs {
  seed: number;
  accountIds: string[];
  /** The spec's ScanType and UserRole enums. */
  scanTypes: string[];
  roles: string[];
}
export interface SeedPlan {
  accounts: Array<{
    accountId: string;
    scans: Array<Omit<ScanRecord, 'createdAt'> & {
      ageMs: number;
    }>;
    users: Array<{
      id: string;
      email: string;
      name: string;
      role: string;
      ageMs: number;
    }>;
  }>;
}

/** What the plan of a mock depends on: the seed, the accounts and the spec's enums. */
export function seedInputs(spec: LoadedSpec, config: MockConfig): SeedInputs {
  if (stryMutAct_9fa48("1189")) {
    {}
  } else {
    stryCov_9fa48("1189");
    const schemas = spec.document.components?.schemas as Record<string, {
      enum: string[];
    }>;
    return stryMutAct_9fa48("1190") ? {} : (stryCov_9fa48("1190"), {
      seed: config.seed,
      accountIds: config.accounts.map(stryMutAct_9fa48("1191") ? () => undefined : (stryCov_9fa48("1191"), a => a.id)),
      scanTypes: schemas.ScanType.enum,
      roles: schemas.UserRole.enum
    });
  }
}

/** Makes the plan with Faker. */
export function planSeed(inputs: SeedInputs): SeedPlan {
  if (stryMutAct_9fa48("1192")) {
    {}
  } else {
    stryCov_9fa48("1192");
    const faker = createFaker(inputs.seed);
    const ids = createIdGenerator(createFaker(stryMutAct_9fa48("1193") ? inputs.seed - 1 : (stryCov_9fa48("1193"), inputs.seed + 1)));
    return stryMutAct_9fa48("1194") ? {} : (stryCov_9fa48("1194"), {
      accounts: inputs.accountIds.map(accountId => {
        if (stryMutAct_9fa48("1195")) {
          {}
        } else {
          stryCov_9fa48("1195");
          // Finished scans over the last three days, then one running and one queued.
          const ages = stryMutAct_9fa48("1196") ? [] : (stryCov_9fa48("1196"), [...Array.from(stryMutAct_9fa48("1197") ? {} : (stryCov_9fa48("1197"), {
            length: stryMutAct_9fa48("1198") ? SEEDED_SCANS + 2 : (stryCov_9fa48("1198"), SEEDED_SCANS - 2)
          }), stryMutAct_9fa48("1199") ? () => undefined : (stryCov_9fa48("1199"), () => faker.number.int(stryMutAct_9fa48("1200") ? {} : (stryCov_9fa48("1200"), {
            min: stryMutAct_9fa48("1201") ? DAY * 12 : (stryCov_9fa48("1201"), DAY / 12),
            max: stryMutAct_9fa48("1202") ? 3 / DAY : (stryCov_9fa48("1202"), 3 * DAY)
          })))), 10_000, 2_000]);
          const scans = ages.map((ageMs, i) => {
            if (stryMutAct_9fa48("1203")) {
              {}
            } else {
              stryCov_9fa48("1203");
              const type = (stryMutAct_9fa48("1207") ? i < SEEDED_SCANS - 2 : stryMutAct_9fa48("1206") ? i > SEEDED_SCANS - 2 : stryMutAct_9fa48("1205") ? false : stryMutAct_9fa48("1204") ? true : (stryCov_9fa48("1204", "1205", "1206", "1207"), i >= (stryMutAct_9fa48("1208") ? SEEDED_SCANS + 2 : (stryCov_9fa48("1208"), SEEDED_SCANS - 2)))) ? stryMutAct_9fa48("1209") ? "" : (stryCov_9fa48("1209"), 'full') : faker.helpers.arrayElement(inputs.scanTypes);
              const target = faker.helpers.arrayElement(stryMutAct_9fa48("1210") ? [] : (stryCov_9fa48("1210"), [stryMutAct_9fa48("1211") ? `` : (stryCov_9fa48("1211"), `ws-${faker.string.numeric(4)}.corp.example`), stryMutAct_9fa48("1212") ? `` : (stryCov_9fa48("1212"), `srv-${stryMutAct_9fa48("1213") ? faker.word.noun().toUpperCase().replace(/[^a-z]/g, '') : (stryCov_9fa48("1213"), faker.word.noun().toLowerCase().replace(stryMutAct_9fa48("1214") ? /[a-z]/g : (stryCov_9fa48("1214"), /[^a-z]/g), stryMutAct_9fa48("1215") ? "Stryker was here!" : (stryCov_9fa48("1215"), '')))}-${faker.string.numeric(2)}.corp.example`), faker.internet.ipv4()]));
              const {
                createdAt: _at,
                ...scan
              } = newScan(faker, ids, accountId, target, type, 0);
              return stryMutAct_9fa48("1216") ? {} : (stryCov_9fa48("1216"), {
                ...scan,
                ageMs
              });
            }
          });
          const users = Array.from(stryMutAct_9fa48("1217") ? {} : (stryCov_9fa48("1217"), {
            length: SEEDED_USERS
          }), (_, i) => {
            if (stryMutAct_9fa48("1218")) {
              {}
            } else {
              stryCov_9fa48("1218");
              const first = faker.person.firstName();
              const last = faker.person.lastName();
              const ageMs = faker.number.int(stryMutAct_9fa48("1219") ? {} : (stryCov_9fa48("1219"), {
                min: stryMutAct_9fa48("1220") ? 30 / DAY : (stryCov_9fa48("1220"), 30 * DAY),
                max: stryMutAct_9fa48("1221") ? 365 / DAY : (stryCov_9fa48("1221"), 365 * DAY)
              }));
              return stryMutAct_9fa48("1222") ? {} : (stryCov_9fa48("1222"), {
                id: ids.next(stryMutAct_9fa48("1223") ? "" : (stryCov_9fa48("1223"), 'usr')),
                email: stryMutAct_9fa48("1224") ? faker.internet.email({
                  firstName: first,
                  lastName: last,
                  provider: 'corp.example'
                }).toUpperCase() : (stryCov_9fa48("1224"), faker.internet.email(stryMutAct_9fa48("1225") ? {} : (stryCov_9fa48("1225"), {
                  firstName: first,
                  lastName: last,
                  provider: stryMutAct_9fa48("1226") ? "" : (stryCov_9fa48("1226"), 'corp.example')
                })).toLowerCase()),
                name: stryMutAct_9fa48("1227") ? `` : (stryCov_9fa48("1227"), `${first} ${last}`),
                role: inputs.roles[stryMutAct_9fa48("1228") ? i * inputs.roles.length : (stryCov_9fa48("1228"), i % inputs.roles.length)],
                ageMs
              });
            }
          });
          return stryMutAct_9fa48("1229") ? {} : (stryCov_9fa48("1229"), {
            accountId,
            scans,
            users
          });
        }
      })
    });
  }
}

/** The cache file of the plan for `inputs` (written by each build, with its Faker). */
export function seedPlanFile(inputs: SeedInputs): string {
  if (stryMutAct_9fa48("1230")) {
    {}
  } else {
    stryCov_9fa48("1230");
    return join(PRECOMPILED_DIR, stryMutAct_9fa48("1231") ? `` : (stryCov_9fa48("1231"), `seed-${contentKey(JSON.stringify(stryMutAct_9fa48("1232") ? {} : (stryCov_9fa48("1232"), {
      PLAN_VERSION,
      inputs
    })))}.json`));
  }
}

/** The plan for `inputs`: the build's, when it planned for these inputs. */
export function seedPlan(inputs: SeedInputs): SeedPlan {
  if (stryMutAct_9fa48("1233")) {
    {}
  } else {
    stryCov_9fa48("1233");
    const file = seedPlanFile(inputs);
    if (stryMutAct_9fa48("1235") ? false : stryMutAct_9fa48("1234") ? true : (stryCov_9fa48("1234", "1235"), existsSync(file))) return JSON.parse(readFileSync(file, 'utf8')) as SeedPlan;
    return planSeed(inputs);
  }
}