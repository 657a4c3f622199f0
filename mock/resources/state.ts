// All mutable state of one mock instance, behind one object with reset(). No module
// singletons: two mocks in one process never share anything.
import type { Faker } from '@faker-js/faker';
import type { Clock } from '../clock';
import type { MockConfig } from '../config/config';
import { createKeyStore, type KeyStore } from '../auth/key-store';
import type { LoadedSpec } from '../../lib/openapi/load-spec';
import { createFaker, createIdGenerator, type IdGenerator } from './fake';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency';
import { createScanStore, newScan, type ScanStore, type ScanTiming } from './scans';
import { createUserStore, type UserStore } from './users';

export interface MockState {
  keys: KeyStore;
  scans: ScanStore;
  users: UserStore;
  idempotency: IdempotencyStore;
  /** The seeded source for data made at run time (new scans' outcomes). */
  faker: Faker;
  ids: IdGenerator;
  /** Back to the seeded data of start-up, relative to the clock's current time. */
  reset(): void;
}

const DAY = 24 * 60 * 60 * 1000;
const SEEDED_SCANS = 14;
const SEEDED_USERS = 6;

/** Reads scan timing from the spec's ScanType schema. */
export function scanTiming(spec: LoadedSpec): ScanTiming {
  const scanType = spec.document.components?.schemas?.ScanType as Record<string, unknown>;
  return {
    queueSeconds: (scanType['x-cortex-queue-seconds'] as number | undefined) ?? 0,
    durationSeconds: (scanType['x-cortex-duration-seconds'] as Record<string, number> | undefined) ?? {},
  };
}

export function createState(spec: LoadedSpec, config: MockConfig, clock: Clock): MockState {
  const keys = createKeyStore();
  const scans = createScanStore(scanTiming(spec), config.seed);
  const users = createUserStore();
  const idempotency = createIdempotencyStore();
  const scanTypes = ((spec.document.components?.schemas?.ScanType as { enum: string[] }).enum);
  const roles = ((spec.document.components?.schemas?.UserRole as { enum: string[] }).enum);

  const state: MockState = {
    keys,
    scans,
    users,
    idempotency,
    faker: createFaker(config.seed),
    ids: createIdGenerator(createFaker(config.seed)),
    reset() {
      keys.clear();
      scans.clear();
      users.clear();
      idempotency.clear();
      state.faker = createFaker(config.seed);
      state.ids = createIdGenerator(createFaker(config.seed + 1));
      const now = clock.now();
      const faker = state.faker;

      for (const account of config.accounts) keys.addAccount({ ...account });
      for (const k of config.keys) {
        keys.addKeyByHash(
          {
            id: k.id,
            name: k.name,
            accountId: k.account_id,
            permissions: [...k.permissions],
            mode: k.mode,
            createdAt: now - 30 * DAY,
            expiresAt: k.expires_at === null ? null : Date.parse(k.expires_at),
            revoked: k.status === 'revoked',
            last4: k.last4,
          },
          k.secret_sha256,
        );
      }

      for (const account of config.accounts) {
        // Finished scans over the last three days, then one running and one queued.
        const created = [
          ...Array.from({ length: SEEDED_SCANS - 2 }, () => now - faker.number.int({ min: DAY / 12, max: 3 * DAY })),
          now - 10_000,
          now - 2_000,
        ];
        created.forEach((at, i) => {
          const type = i >= SEEDED_SCANS - 2 ? 'full' : faker.helpers.arrayElement(scanTypes);
          const target = faker.helpers.arrayElement([
            `ws-${faker.string.numeric(4)}.corp.example`,
            `srv-${faker.word.noun().toLowerCase().replace(/[^a-z]/g, '')}-${faker.string.numeric(2)}.corp.example`,
            faker.internet.ipv4(),
          ]);
          scans.add(newScan(faker, state.ids, account.id, target, type, at));
        });
        for (let i = 0; i < SEEDED_USERS; i++) {
          const first = faker.person.firstName();
          const last = faker.person.lastName();
          const at = now - faker.number.int({ min: 30 * DAY, max: 365 * DAY });
          users.add({
            id: state.ids.next('usr'),
            accountId: account.id,
            email: faker.internet.email({ firstName: first, lastName: last, provider: 'corp.example' }).toLowerCase(),
            name: `${first} ${last}`,
            role: roles[i % roles.length],
            createdAt: at,
            updatedAt: at,
          });
        }
      }
    },
  };
  state.reset();
  return state;
}
