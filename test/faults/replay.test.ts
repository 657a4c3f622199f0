// Seeded replay through real HTTP: two fresh mocks with the same faults_seed, the same rules
// and the same requests fire the same rules on the same requests and draw the same delays
// (read back from GET /_mock/journal and GET /_mock/faults); another seed fires otherwise.
import { withMockServer } from '../helpers/mock-server';
import { bearer, KEYS, T0_ISO } from '../helpers/fixtures';
import { controlProblems } from '../helpers/spec-check';
import type { FaultRuleInput } from '../../mock/domain/faults';
import { json, send } from './fault-client';

jest.setTimeout(60_000);

const RULES: FaultRuleInput[] = [
  { match: { operation: 'listScans' }, when: { probability: 0.4 }, fault: { kind: 'status', status: 503 } },
  { match: { operation: 'getWhoami' }, when: { probability: 0.5 }, fault: { kind: 'latency', min_ms: 0, max_ms: 8 } },
  { when: { every: 7 }, fault: { kind: 'close' } },
];
const PATHS = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? '/v1/scans?limit=1' : '/v1/whoami'));

/** One fresh mock's run: what the journal says of each request, and the rules' seeds and counts. */
async function run(faultsSeed: number) {
  return withMockServer({ config: { clock: T0_ISO, faults_seed: faultsSeed, faults: RULES } }, async (server) => {
    for (const path of PATHS) await send(`${server.url}${path}`, { headers: bearer(KEYS.read) });
    const journal = await send(`${server.url}/_mock/journal`);
    const faults = await send(`${server.url}/_mock/faults`);
    expect(controlProblems('getJournal', { status: journal.status!, body: json(journal) })).toEqual([]);
    expect(controlProblems('listFaults', { status: faults.status!, body: json(faults) })).toEqual([]);
    const entries = (json(journal) as { data: Array<{ path: string; status: number; fault: unknown }> }).data;
    return {
      requests: entries.map((e) => ({ path: e.path, status: e.status, fault: e.fault })),
      rules: (json(faults) as { data: Array<{ id: string; seed: number; seen: number; fired: number }> }).data.map(({ id, seed, seen, fired }) => ({ id, seed, seen, fired })),
    };
  });
}

describe('seeded replay of fault rules', () => {
  it('fires the same rules on the same requests, with the same drawn latencies, in two fresh mocks on one faults_seed; another seed differs', async () => {
    const first = await run(1234);
    const again = await run(1234);
    expect(again).toEqual(first);
    // Each rule fired, and not on every request: the replay is of a real schedule.
    for (const rule of first.rules) expect(rule.fired).toBeGreaterThan(0);
    expect(first.requests.filter((r) => r.fault === null).length).toBeGreaterThan(0);
    expect(first.requests.some((r) => (r.fault as { delay_ms?: number } | null)?.delay_ms !== undefined)).toBe(true);

    const other = await run(4321);
    expect(other.rules.map((r) => r.seed)).not.toEqual(first.rules.map((r) => r.seed));
    expect(other.requests).not.toEqual(first.requests);
  });
});
