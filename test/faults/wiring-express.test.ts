// Fault rules on the Express surface: a host app mounts mock.router() under /cortex and the
// mock carries every kind out through the host's res and req.socket, as on node:http: the
// same responses, the same marks, the same journal, the same budget. Real sockets, port 0.
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearer, KEYS, T0_ISO, testMock } from '../helpers/fixtures';
import { expectResponse } from '../helpers/expect-response';
import { controlProblems } from '../helpers/spec-check';
import type { Mock } from '../../mock/app';
import { json, send, type Received } from './fault-client';
import { KINDS } from './fault-kinds';

jest.setTimeout(60_000);

const READ = { headers: bearer(KEYS.read) };
const remaining = (r: Received) => Number(r.headers?.['x-ratelimit-remaining']);

/** A host app with the mock mounted under /cortex, listening on port 0, for one test. */
async function withHost(test: (mock: Mock, url: string) => Promise<void>): Promise<void> {
  const mock = testMock({ config: { clock: T0_ISO } });
  const app = express();
  app.use(express.json());
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/cortex', mock.router());
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await test(mock, url);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('fault rules under an Express mount', () => {
  it.each(KINDS)('$kind: does what the rule says through the host app, marks it, journals it and $budget budget', async ({ kind, fault, budget, saw }) => {
    await withHost(async (mock, url) => {
      const list = `${url}/cortex/v1/scans?limit=1`;
      const before = await send(list, READ);
      const id = mock.faults.add({ match: { operation: 'listScans' }, when: { first: 1 }, fault });
      const faulted = await send(list, READ);
      saw(faulted);
      if (faulted.status !== undefined) expect(faulted.headers?.['x-mock-fault']).toBe(`${id};kind=${kind}`);
      const after = await send(list, READ);
      expectResponse({ status: after.status!, headers: after.headers, body: json(after) }, 200, 'listScans');
      expect(remaining(before) - remaining(after)).toBe(budget === 'consumes' ? 2 : 1);
      // The host's own routes are untouched by a rule that takes every /v1 request.
      mock.faults.add({ when: { after: 0 }, fault: { kind: 'reset' } });
      expect((await send(`${url}/health`)).status).toBe(200);

      const journal = await send(`${url}/cortex/_mock/journal`);
      const body = json(journal) as { data: Array<{ status: number; fault: unknown }> };
      expect(controlProblems('getJournal', { status: journal.status!, body })).toEqual([]);
      expect(body.data.map((e) => e.fault)).toEqual([null, { rule_id: id, kind, ...(kind === 'latency' ? { delay_ms: 20 } : {}) }, null]);
    });
  });

  it('serves /_mock/faults under the mount, and a rule added there shapes the mount\'s /v1', async () => {
    await withHost(async (_mock, url) => {
      const added = await fetch(`${url}/cortex/_mock/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ when: { first: 1 }, fault: { kind: 'close' } }) });
      const rule = (await added.json()) as { id: string };
      expect(controlProblems('addFault', { status: added.status, body: rule })).toEqual([]);
      expect(added.status).toBe(201);
      expect((await send(`${url}/cortex/v1/whoami`, READ)).error?.message).toBe('socket hang up');
      expect((await send(`${url}/cortex/v1/whoami`, READ)).status).toBe(200);
    });
  });
});
