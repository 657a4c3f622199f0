// No false alarms (issue 24 point 5): a polite client's behaviour that a rule could misread.
// A GET whose answer a fault cut short (a truncated body: the ETag came, the representation
// did not) is retried, not repeated: the retry has nothing to revalidate.
import { withMockServer } from '../helpers/mock-server';
import { expectFetched } from '../helpers/expect-response';
import { bearer, KEYS, T0_ISO } from '../helpers/fixtures';

jest.setTimeout(60_000);

it('a GET retried after a truncated answer raises no uncached_repeat, though the cut answer carried an ETag', async () => {
  await withMockServer({ config: { clock: T0_ISO, faults: [{ match: { operation: 'listScans' }, when: { first: 1 }, fault: { kind: 'truncate', fraction: 0.5 } }] } }, async (server) => {
    const cut = await fetch(`${server.baseUrl}/scans`, { headers: bearer(KEYS.read) });
    expect(cut.headers.get('etag')).toMatch(/^"/);
    await expect(cut.arrayBuffer()).rejects.toThrow();
    await expectFetched(await fetch(`${server.baseUrl}/scans`, { headers: bearer(KEYS.read) }), 200, 'listScans');
    expect(server.mock.conduct()).toEqual({ clients: [] });
  });
});

it('a GET repeated after a whole answer with an ETag still raises uncached_repeat', async () => {
  await withMockServer({ config: { clock: T0_ISO } }, async (server) => {
    for (let i = 0; i < 2; i++) await expectFetched(await fetch(`${server.baseUrl}/scans`, { headers: bearer(KEYS.read) }), 200, 'listScans');
    expect(server.mock.conduct().clients.flatMap((c) => c.findings.map((f) => f.rule))).toEqual(['uncached_repeat']);
  });
});
