// cortex-mock --store against a real redis-server: the banner names the store (no
// password), two processes on one store share the budget, and SIGTERM closes the connection.
import { KEYS, bearer } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';
import { withRedis } from '../helpers/redis-server';
import { startCli } from '../helpers/cli';

jest.setTimeout(120_000);

const redis = withRedis();
const start = (args: string[]) => startCli(['--port', '0', '--log-level', 'silent', '--clock', '2026-11-01T09:00:30Z', ...args]);

it('serves on the store it is given, names it in the banner, and shares the budget with another process on it', async () => {
  const prefix = `cli-${process.pid}:`;
  const a = await start(['--store', redis.current.url, '--store-prefix', prefix]);
  const b = await start(['--store', redis.current.url, '--store-prefix', prefix]);
  try {
    expect(a.out).toContain(`  store    ${redis.current.url} (prefix ${prefix}), shared with every instance on it`);
    const first = await fetch(`${a.baseUrl}/whoami`, { headers: bearer(KEYS.vibeCoderAdmin) });
    await expectFetched(first, 200, 'getWhoami');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('99');
    const second = await fetch(`${b.baseUrl}/whoami`, { headers: bearer(KEYS.vibeCoderAdmin) });
    await expectFetched(second, 200, 'getWhoami');
    expect(second.headers.get('x-ratelimit-remaining')).toBe('98');
  } finally {
    expect((await a.stop()).code).toBe(0);
    expect((await b.stop()).code).toBe(0);
  }
});
