// The conduct report on the MSW surface: MswMock's `mock` has conduct() and assertClean, over
// the same watch as node:http's.
import { setupServer } from 'msw/node';
import { createMswHandlers } from '../../mock/surfaces/msw';
import { KEYS, T0_ISO } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';

const BASE = 'https://api.cortex-edr.com/v1';

it('the MSW handle reports a retried 403 and a key in the query, and assertClean lists them', async () => {
  const msw = createMswHandlers({ baseUrl: BASE, config: { clock: T0_ISO } });
  const server = setupServer(...msw.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  try {
    for (let i = 0; i < 2; i++) await expectFetched(await fetch(`${BASE}/scans`, { headers: { Authorization: `Bearer ${KEYS.noPerms}` } }), 403);
    await expectFetched(await fetch(`${BASE}/whoami?api_key=${KEYS.read}`), 200);
    const rules = msw.mock.conduct().clients.flatMap((c) => c.findings.map((f) => `${c.key_id} ${f.rule}`)).sort();
    expect(rules).toEqual(['key_noperms retried_auth_error', 'key_read key_in_query']);
    expect(() => msw.mock.conduct.assertClean({ allow: ['key_in_query'] })).toThrow(/key_noperms: retried_auth_error/);
  } finally {
    server.close();
  }
});
