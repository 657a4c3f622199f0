// The seeded data of start-up (and of every reset): per account, scans and users made by
// Faker from the config's seed. The plan holds ages, not times, so it is applied at the
// clock's current time. It is a pure function of its inputs, so the build computes the
// default config's plan once (mock/build/precompile.ts) and start-up reads it without
// loading Faker, which took a fifth of the mock's start-up.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFaker, createIdGenerator } from './fake';
import { newScan, type ScanRecord } from './scans';
import type { MockConfig } from '../config/config';
import type { LoadedSpec } from '../../lib/openapi/load-spec';
import { PRECOMPILED_DIR, contentKey } from '../../lib/openapi/precompiled';

const DAY = 24 * 60 * 60 * 1000;
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
    scans: Array<Omit<ScanRecord, 'createdAt'> & { ageMs: number }>;
    users: Array<{ id: string; email: string; name: string; role: string; ageMs: number }>;
  }>;
}

/** What the plan of a mock depends on: the seed, the accounts and the spec's enums. */
export function seedInputs(spec: LoadedSpec, config: MockConfig): SeedInputs {
  const schemas = spec.document.components?.schemas as Record<string, { enum: string[] }>;
  return { seed: config.seed, accountIds: config.accounts.map((a) => a.id), scanTypes: schemas.ScanType.enum, roles: schemas.UserRole.enum };
}

/** Makes the plan with Faker. */
export function planSeed(inputs: SeedInputs): SeedPlan {
  const faker = createFaker(inputs.seed);
  const ids = createIdGenerator(createFaker(inputs.seed + 1));
  return {
    accounts: inputs.accountIds.map((accountId) => {
      // Finished scans over the last three days, then one running and one queued.
      const ages = [...Array.from({ length: SEEDED_SCANS - 2 }, () => faker.number.int({ min: DAY / 12, max: 3 * DAY })), 10_000, 2_000];
      const scans = ages.map((ageMs, i) => {
        const type = i >= SEEDED_SCANS - 2 ? 'full' : faker.helpers.arrayElement(inputs.scanTypes);
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
          id: ids.next('usr'),
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

/** The cache file of the plan for `inputs` (written by each build, with its Faker). */
export function seedPlanFile(inputs: SeedInputs): string {
  return join(PRECOMPILED_DIR, `seed-${contentKey(JSON.stringify({ PLAN_VERSION, inputs }))}.json`);
}

/** The plan for `inputs`: the build's, when it planned for these inputs. */
export function seedPlan(inputs: SeedInputs): SeedPlan {
  const file = seedPlanFile(inputs);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SeedPlan;
  return planSeed(inputs);
}
