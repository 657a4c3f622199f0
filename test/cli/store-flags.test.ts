// --store and --store-prefix on the command line: a bad value stops start-up with one line
// naming the field and exit code 2, and a mock on the memory store (the default) never loads
// the Redis client.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';
import { runCli as run, startCli } from '../helpers/cli';

jest.setTimeout(120_000);

describe('cortex-mock --store', () => {
  it.each([
    ['a URL of another scheme', ['--store', 'http://127.0.0.1:6379/0'], /cortex-mock: invalid configuration: command line: store: must be "memory" or a Redis URL, redis:\/\/HOST:PORT\/DB/],
    ['a word', ['--store', 'redis'], /command line: store: must be "memory" or a Redis URL/],
    ['a DB that is no number', ['--store', 'redis://127.0.0.1:6379/cache'], /store: .*DB is a whole number/],
    ['a prefix with a space', ['--store-prefix', 'my mock'], /command line: store_prefix: must match pattern/],
  ])('refuses %s with one line naming the field, and exit code 2', (_name, args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('never echoes the password of a bad store URL', () => {
    const r = run(['--store', 'redis://:hunter2-secret@cache.internal:6379/x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/store: /);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('serves on the memory store by default without loading ioredis', async () => {
    const preload = join(mkdtempSync(join(tmpdir(), 'cortex-trace-')), 'trace.js');
    writeFileSync(preload, "const M = require('node:module'); const load = M._load; M._load = function (request, ...rest) { if (request === 'ioredis') process.stderr.write('ioredis loaded\\n'); return load.call(this, request, ...rest); };\n");
    const cli = await startCli(['--port', '0', '--log-level', 'silent'], ['-r', preload]);
    try {
      await expectFetched(await fetch(`${cli.baseUrl}/scans`, { headers: { Authorization: `Bearer ${KEYS.read}` } }), 200);
      expect(cli.out).not.toMatch(/^ {2}store /m);
      expect(cli.err()).not.toContain('ioredis loaded');
    } finally {
      cli.kill();
    }
  });
});
