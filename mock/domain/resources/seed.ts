// The seeded data of start-up (and of every reset): per account, scans and users made by
// Faker from the config's seed. The plan holds ages, not times, so it is applied at the
// clock's current time. It is made at start-up, not cached by the build: a cache saved
// about 25 ms of start-up (measured 2026-11-27), under the 50 ms that would pay for a
// cache key to keep right.
import { createFaker, createIdGenerator } from './fake';
import { newScan, type ScanRecord } from './scans';
import type { LoadedSpec, SpecVocabulary } from '../../../lib/openapi/load-spec';
import type { Schemas } from '../../spec/types';

const DAY = 24 * 60 * 60 * 1000;
const SEEDED_SCANS = 14;
const SEEDED_USERS = 6;

export interface SeedInputs {
  seed: number;
  accountIds: string[];
  /** The spec's ScanType and UserRole enums. */
  scanTypes: Schemas['ScanType'][];
  roles: Schemas['UserRole'][];
  /** The spec's id and key prefixes. */
  words: Pick<SpecVocabulary, 'idPrefixes' | 'keyModes'>;
}

export interface SeedPlan {
  accounts: Array<{
    accountId: string;
    scans: Array<Omit<ScanRecord, 'createdAt'> & { ageMs: number }>;
    users: Array<{ id: string; email: string; name: string; role: Schemas['UserRole']; ageMs: number }>;
  }>;
}

/** What the plan of a mock depends on: the seed, the accounts and the spec's enums. */
export function seedInputs(spec: LoadedSpec, config: { seed: number; accounts: ReadonlyArray<{ id: string }> }): SeedInputs {
  const schemas = spec.document.components?.schemas as { ScanType: { enum: Schemas['ScanType'][] }; UserRole: { enum: Schemas['UserRole'][] } };
  const { idPrefixes, keyModes } = spec.vocabulary;
  return { seed: config.seed, accountIds: config.accounts.map((a) => a.id), scanTypes: schemas.ScanType.enum, roles: schemas.UserRole.enum, words: { idPrefixes, keyModes } };
}

/** Makes the plan with Faker. */
export function planSeed(inputs: SeedInputs): SeedPlan {
  const faker = createFaker(inputs.seed);
  const ids = createIdGenerator(createFaker(inputs.seed + 1), inputs.words);
  return {
    accounts: inputs.accountIds.map((accountId) => {
      // Finished scans over the last three days, then one running and one queued.
      const ages = [...Array.from({ length: SEEDED_SCANS - 2 }, () => faker.number.int({ min: DAY / 12, max: 3 * DAY })), 10_000, 2_000];
      const scans = ages.map((ageMs, i) => {
        const type: Schemas['ScanType'] = i >= SEEDED_SCANS - 2 ? 'full' : faker.helpers.arrayElement(inputs.scanTypes);
        const target = faker.helpers.arrayElement([
          `ws-${faker.string.numeric(4)}.corp.example`,
          `srv-${faker.word.noun().toLowerCase().replace(/[^a-z]/g, '')}-${faker.string.numeric(2)}.corp.example`,
          faker.internet.ipv4(),
        ]);
        const { createdAt: _at, ...scan } = newScan(faker, ids, accountId, target, type, 0);
        return { ...scan, ageMs };
      });
      const users = Array.from({ length: SEEDED_USERS }, (_, i) => {
        const first = faker.person.firstName();
        const last = faker.person.lastName();
        const ageMs = faker.number.int({ min: 30 * DAY, max: 365 * DAY });
        return {
          id: ids.next('user'),
          email: faker.internet.email({ firstName: first, lastName: last, provider: 'corp.example' }).toLowerCase(),
          name: `${first} ${last}`,
          role: inputs.roles[i % inputs.roles.length],
          ageMs,
        };
      });
      return { accountId, scans, users };
    }),
  };
}
