// cortex-mock --store against a real redis-server: the banner names the store (no
// password), two processes on one store share the budget, and SIGTERM closes the connection.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { KEYS, bearer } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';
import { withRedis } from '../helpers/redis-server';

jest.setTimeout(120_000);

const CLI = join(__dirname, '..', '..', 'dist', 'mock', 'cli.js');
const redis = withRedis();

async function startCli(args: string[]) {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--log-level', 'silent', '--clock', '2026-11-01T09:00:30Z', ...args]);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Try: curl')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { out, url: /listening on (http:\/\/\S+\/v1)/.exec(out)![1], stop: () => (child.kill('SIGTERM'), exited) };
}

it('serves on the store it is given, names it in the banner, and shares the budget with another process on it', async () => {
  const prefix = `cli-${process.pid}:`;
  const a = await startCli(['--store', redis.current.url, '--store-prefix', prefix]);
  const b = await startCli(['--store', redis.current.url, '--store-prefix', prefix]);
  try {
    expect(a.out).toContain(`  store    ${redis.current.url} (prefix ${prefix}), shared with every instance on it`);
    const first = await fetch(`${a.url}/whoami`, { headers: bearer(KEYS.vibeCoderAdmin) });
    await expectFetched(first, 200, 'getWhoami');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('99');
    const second = await fetch(`${b.url}/whoami`, { headers: bearer(KEYS.vibeCoderAdmin) });
    await expectFetched(second, 200, 'getWhoami');
    expect(second.headers.get('x-ratelimit-remaining')).toBe('98');
  } finally {
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  }
});
