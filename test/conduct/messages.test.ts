// A finding's message describes its latest breach, though the watch builds it only when a
// report is read (a flood of uncached repeats or of requests in a burst builds none).
import { conductTable, createConductWatch, type Observation } from '../../mock/domain/conduct';
import { CONTROL_SPEC_PATH, readSpecFile } from '../../lib/openapi/load-spec';

const TABLE = conductTable(readSpecFile(CONTROL_SPEC_PATH));
let n = 0;
const seen = (over: Partial<Observation>): Observation => ({ requestId: `req_${++n}`, client: 'key_read', method: 'GET', target: '/v1/scans', status: 200, now: 0, ifNoneMatch: false, fault: false, ...over });
const messages = (w: ReturnType<typeof createConductWatch>) => Object.fromEntries(w.report().clients.flatMap((c) => c.findings.map((f) => [f.rule, f.message])));

it('gives each finding the message of its latest breach', () => {
  const w = createConductWatch(TABLE);
  for (const now of [0, 1000, 4000]) w.observe(seen({ now, etag: '"a"' }));
  expect(messages(w).uncached_repeat).toBe('GET /v1/scans repeated 3.0 s later without If-None-Match though it carried an ETag');
  // A 429 that asks for 30 s, then four requests 1 s apart: the last came 26 s early, the fourth of the burst.
  w.observe(seen({ now: 10_000, target: '/v1/reports', status: 429, waitUntil: 40_000, windowEnd: 40_000 }));
  for (const now of [11_000, 12_000, 13_000, 14_000]) w.observe(seen({ now, target: `/v1/users?n=${now}` }));
  // Once the wait and the window are over, a request breaks nothing, and changes no message.
  w.observe(seen({ now: 41_000, target: '/v1/whoami' }));
  expect(messages(w).retry_before_reset).toBe('GET /v1/users?n=14000 sent 26.0 s before the time the last 429 or 503 said to wait for');
  expect(messages(w).burst_over_limit).toBe('4 requests kept coming within the window after its first 429');
  // Read again, the same: the report builds the message, it does not consume it.
  expect(messages(w).burst_over_limit).toBe('4 requests kept coming within the window after its first 429');
});
