// The seeded data is a contract with every SDK suite that asserts on it: for the default
// config (seed 42) at a fixed time it is exactly what test/fixtures/seeded-golden.json
// holds: every scan and user of every account, every completed scan's report, and the
// scans made at run time after it. A change to what the seed makes shows here as a diff
// to review. To accept one: UPDATE_GOLDEN=1 npx jest test/resources/seeded-golden
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { KEYS, bearer, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';

const FILE = join(__dirname, '..', 'fixtures', 'seeded-golden.json');
const ADMINS = [KEYS.vibeCoderAdmin, KEYS.admin, KEYS.enterpriseAdmin];

async function snapshot() {
  const mock = testMock();
  const get = async (key: string, path: string) => (await request(mock.handler).get(`/v1${path}`).set(bearer(key)).expect(specStatus(200))).body;
  const out: Record<string, unknown> = {};
  for (const key of ADMINS) {
    const whoami = await get(key, '/whoami');
    const scans = await get(key, '/scans?limit=100');
    const reports = await get(key, '/reports?limit=100');
    const users = await get(key, '/users?limit=100');
    out[whoami.account.id] = { scans: scans.data, reports: reports.data, users: users.data };
  }
  // Scans made at run time: ids, outcomes and, once done, their reports.
  const made = [];
  for (let i = 0; i < 12; i++) made.push((await request(mock.handler).post('/v1/scans').set(bearer(KEYS.write)).send({ target: `ws-${i}.corp.example`, scan_type: ['quick', 'full', 'memory'][i % 3] }).expect(specStatus(201))).body.id);
  mock.clock.advance(24 * 60 * 60 * 1000);
  out.made = [];
  for (const id of made) {
    const scan = await get(KEYS.read, `/scans/${id}`);
    (out.made as unknown[]).push({ scan, report: scan.report_id ? await get(KEYS.read, `/reports/${scan.report_id}`) : null });
  }
  return JSON.parse(JSON.stringify(out));
}

it('seeds exactly the data SDK suites have seen, scan by scan and report by report', async () => {
  const now = await snapshot();
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(FILE, `${JSON.stringify(now, null, 1)}\n`);
  expect(now).toEqual(JSON.parse(readFileSync(FILE, 'utf8')));
});
