// The command line as a user meets it: the banner with the well-known keys, and start-up
// refused with one clear line (no stack) for bad flags, a bad config file or a port in use.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';

// Spawns processes and servers: sized for a machine with both cores busy.
jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');
const CLI = join(root, 'dist', 'mock', 'cli.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cortex-config-')), 'mock.yaml');
  writeFileSync(file, text);
  return file;
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

/** Starts the CLI (`nodeArgs` go before its script) and resolves once its banner is out. */
async function startCli(args: string[], nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, CLI, ...args]);
  const seen = { out: '', err: '' };
  child.stderr.on('data', (d) => (seen.err += d));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        seen.out += d;
        if (seen.out.includes('Try: curl')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${seen.err}`)));
    });
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  return {
    out: seen.out,
    /** What the process wrote to stderr so far. */
    err: () => seen.err,
    url: /listening on (http:\/\/\S+\/v1)/.exec(seen.out)![1],
    stop: () => child.kill('SIGTERM'),
  };
}

describe('cortex-mock', () => {
  it('prints the URL, docs and the well-known keys, then serves /v1', async () => {
    const cli = await startCli(['--port', '0', '--log-level', 'silent', '--seed', '3', '--clock', '2026-11-01T09:00:00Z']);
    try {
      const { out, url } = cli;
      expect(out).toContain('/docs');
      for (const key of [KEYS.read, KEYS.write, KEYS.admin, KEYS.noPerms, KEYS.expired, KEYS.revoked, KEYS.live, KEYS.vibeCoderAdmin, KEYS.enterpriseAdmin]) {
        expect(out).toContain(key);
      }
      expect(out).toMatch(/sk_test_expired_\S+\s+read\s+developer\s+expired/);
      const res = await fetch(`${url}/scans`, { headers: { Authorization: `Bearer ${KEYS.read}` } });
      await expectFetched(res, 200);
    } finally {
      cli.stop();
    }
  });

  it('answers /v1 without loading Express, and loads it on the first request for /docs', async () => {
    // A preload that reports each first load of express on stderr (the CLI's own modules
    // are plain CommonJS, so Module._load sees every require).
    const preload = join(mkdtempSync(join(tmpdir(), 'cortex-trace-')), 'trace.js');
    writeFileSync(preload, "const M = require('node:module'); const load = M._load; M._load = function (request, ...rest) { if (request === 'express') process.stderr.write('express loaded\\n'); return load.call(this, request, ...rest); };\n");
    const cli = await startCli(['--port', '0', '--log-level', 'silent'], ['-r', preload]);
    try {
      const { url } = cli;
      await expectFetched(await fetch(`${url}/scans`, { headers: { Authorization: `Bearer ${KEYS.read}` } }), 200);
      expect(cli.err()).not.toContain('express loaded');
      const docs = await fetch(`${url.replace(/\/v1$/, '')}/docs/`);
      expect(docs.status).toBe(200);
      expect(cli.err()).toContain('express loaded');
    } finally {
      cli.stop();
    }
  });

  /** Starts the CLI, resolves with the banner, and stops it. */
  async function bannerOf(args: string[]): Promise<string> {
    const cli = await startCli(['--port', '0', '--log-level', 'silent', ...args]);
    cli.stop();
    return cli.out;
  }

  it("works out key states on the mock's clock, as the mock answers them", async () => {
    const out = await bannerOf(['--clock', '2019-06-01T00:00:00Z']);
    // The expired fixture expires in 2020: on this clock it still works.
    expect(out).toMatch(/sk_test_expired_\S+\s+read\s+developer\s+active/);
    expect(out).toMatch(/sk_live_\S+\s+read\s+developer\s+refused \(live\)/);
    expect(out).toContain('clock    2019-06-01T00:00:00.000Z (frozen)');
    expect(out).not.toMatch(/WARNING/);
  });

  it('warns when bound to a non-loopback address, and prints the control token it requires', async () => {
    const out = await bannerOf(['--host', '0.0.0.0']);
    expect(out).toMatch(/WARNING: bound to 0\.0\.0\.0, so other machines can reach this mock/);
    expect(out).toMatch(/X-Mock-Control-Token: [A-Za-z0-9_-]{32}/);
  });

  it('names the address the user gave in the bind warning, and what it resolved to', async () => {
    const out = await bannerOf(['--host', '0']);
    expect(out).toMatch(/WARNING: bound to 0 \(0\.0\.0\.0\), so other machines can reach this mock/);
  });

  it('takes 127.1 for the loopback address it is: no warning, no control token', async () => {
    const out = await bannerOf(['--host', '127.1']);
    expect(out).toMatch(/listening on http:\/\/127\.1:\d+\/v1/);
    expect(out).not.toMatch(/WARNING|X-Mock-Control-Token/);
  });

  it('lists the keys of the config file, by prefix and last 4, with the well-known ones or instead of them', async () => {
    const own = 'accounts:\n  - { id: acct_ci, name: CI, plan: vibe_coder }\nkeys:\n  - { id: key_ci, name: ci-reader, secret: sk_test_ci000000000000000000000000abcd, account_id: acct_ci, permissions: [read] }\n';
    const alone = await bannerOf(['--config', configFile(`include_default_keys: false\n${own}`)]);
    expect(alone).toMatch(/Keys of your config:\n\s+key\s+permissions\s+plan\s+state\s+scenario\n\s+sk_test_…abcd\s+read\s+vibe_coder\s+active\s+ci-reader\n/);
    expect(alone).not.toContain('sk_test_ci000000000000000000000000abcd');
    expect(alone).not.toContain(KEYS.read);
    expect(alone).toContain('Try: curl -H "Authorization: Bearer <one of your keys>"');
    const both = await bannerOf(['--config', configFile(own)]);
    expect(both).toContain(KEYS.read);
    expect(both).toMatch(/sk_test_…abcd\s+read\s+vibe_coder\s+active\s+ci-reader/);
    const none = await bannerOf(['--config', configFile('include_default_keys: false\n')]);
    expect(none).toMatch(/Keys of your config:\n\s+\(none: add keys to the config/);
  });

  it('says the admin test key is pre-authorized in /docs only when it is', async () => {
    const defaults = await bannerOf([]);
    expect(defaults).toMatch(/docs {5}\S+\/docs\/ {2}\(both documents, with the admin test key pre-authorized\)/);
    // A config's own admin key is known only by its hash: /docs cannot pre-authorize it.
    const own = 'accounts:\n  - { id: acct_ci, name: CI, plan: vibe_coder }\nkeys:\n  - { id: key_ci, name: ci-admin, secret: sk_test_ci000000000000000000000000abcd, account_id: acct_ci, permissions: [admin] }\n';
    for (const config of [`include_default_keys: false\n${own}`, 'include_default_keys: false\n']) {
      const out = await bannerOf(['--config', configFile(config)]);
      expect(out).not.toContain('pre-authorized)');
      expect(out).toMatch(/docs {5}\S+\/docs\/ {2}\(both documents; no key pre-authorized: Authorize with one of yours\)/);
    }
  });

  it.each([
    ['an unknown flag', ['--prot', '1'], /unknown option --prot/],
    ['a bad port', ['--port', 'abc'], /--port must be a whole number from 0 to 65535/],
    ['a bad seed', ['--seed', 'x'], /--seed must be a whole number/],
    ['a missing config file', ['--config', '/nonexistent/mock.yaml'], /\/nonexistent\/mock\.yaml: cannot be read: ENOENT/],
    ['a leap second on the clock', ['--clock', '2026-12-31T23:59:60Z'], /command line: clock: must be an RFC 3339 date-time that JavaScript can hold/],
    ['a short control token', ['--control-token', 'abc'], /control_token: must NOT have fewer than 16 characters/],
  ])('refuses %s with a message and exit code 2', (_name, args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    noStack(r.stderr);
  });

  it.each([
    ['malformed YAML', 'plans: [\n', /not valid YAML or JSON \(line/],
    ['an unknown field', 'allow_live: true\n', /allow_live: is not a known field/],
    ['a wrong type', 'plans:\n  developer:\n    window_seconds: soon\n', /plans\.developer\.window_seconds: must be integer/],
    ['a bad fault rule', 'faults:\n  - when: {first: 2}\n    fault: {kind: reset}\n  - when: {first: 0}\n    fault: {kind: reset}\n', /faults\[1\]\.when\.first: must be >= 1/],
  ])('refuses a config file with %s, naming the problem', (_name, text, message) => {
    const file = configFile(text);
    const r = run(['--config', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(message);
    noStack(r.stderr);
  });

  it('refuses a port in use with exit code 1 and says so', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = run(['--port', String(port)]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));
      noStack(r.stderr);
    } finally {
      blocker.close();
    }
  });

  it('serves another copy of the document with --spec, and refuses one it cannot serve', async () => {
    const { readFileSync } = await import('node:fs');
    const { load, dump } = await import('js-yaml');
    const doc = load(readFileSync(join(__dirname, '../../openapi/cortex-edr.yaml'), 'utf8')) as Record<string, any>;
    doc['x-cortex-plans'].find((p: { id: string }) => p.id === 'developer').requests_per_window = 7;
    const dir = mkdtempSync(join(tmpdir(), 'cortex-spec-'));
    const file = join(dir, 'copy.yaml');
    writeFileSync(file, dump(doc));
    const banner = await bannerOf(['--spec', file]);
    expect(banner).toContain('developer 7/60s');

    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, dump({ ...doc, 'x-cortex-check-order': ['operation'] }));
    const r = run(['--spec', broken]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(broken);
    expect(r.stderr).toContain('x-cortex-check-order');
    noStack(r.stderr);
  });

  it('advises its own --allowed-hosts flag when it refuses a Host', async () => {
    const { request: httpRequest } = await import('node:http');
    const cli = await startCli(['--port', '0', '--log-level', 'silent']);
    try {
      const port = Number(new URL(cli.url).port);
      const body = await new Promise<string>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/scans', headers: { Host: 'rebind.example' } }, (r) => {
          let text = '';
          r.on('data', (d) => (text += d));
          r.on('end', () => resolve(text));
        });
        req.once('error', reject);
        req.end();
      });
      expect(JSON.parse(body).error.message).toContain('start the mock with --allowed-hosts rebind.example');
    } finally {
      cli.stop();
    }
  });

  describe("Prism's habits", () => {
    it('takes -p for the port, -h for the host and the document as its one argument', async () => {
      const { readFileSync } = await import('node:fs');
      const { load, dump } = await import('js-yaml');
      const doc = load(readFileSync(join(__dirname, '../../openapi/cortex-edr.yaml'), 'utf8')) as Record<string, any>;
      doc['x-cortex-plans'].find((p: { id: string }) => p.id === 'developer').requests_per_window = 9;
      const file = join(mkdtempSync(join(tmpdir(), 'cortex-spec-')), 'copy.yaml');
      writeFileSync(file, dump(doc));
      const cli = await startCli(['-p', '0', '-h', '127.0.0.1', '--log-level', 'silent', file]);
      try {
        expect(cli.out).toContain('developer 9/60s');
        const url = cli.url;
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
        const res = await fetch(`${url}/whoami`, { headers: { Authorization: `Bearer ${KEYS.read}` } });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-ratelimit-limit')).toBe('9');
      } finally {
        cli.stop();
      }
    });

    it('keeps --help for help, and says that -h is the host', () => {
      const r = run(['--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Usage: cortex-mock [options] [spec.yaml]');
      expect(r.stdout).toMatch(/-p, --port <n>/);
      expect(r.stdout).toMatch(/-h, --host <addr>.*-h is the host, as\s+in Prism/s);
    });

    it.each([
      ['-h without an address', ['-h'], /-h, --host <value>' argument missing/],
      ['two documents as arguments', ['a.yaml', 'b.yaml'], /unexpected argument "b\.yaml"/],
      ['a document both ways', ['--spec', 'a.yaml', 'b.yaml'], /two documents given: --spec a\.yaml and b\.yaml/],
      ['a document that cannot be read', ['/nonexistent/spec.yaml'], /cannot serve the spec \/nonexistent\/spec\.yaml/],
    ])('refuses %s with a message and exit code 2', (_name, args, message) => {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      noStack(r.stderr);
    });
  });

  it.each([
    [['--port', 'x'], /--port must be a whole number from 0 to 65535, got "x"/],
    [['--seed', '-1'], /--seed/],
    [['--bogus'], /unknown option --bogus/],
    [['--port'], /--port/],
  ])('answers %j with a usage line naming the flag, and exit code 2', (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage: cortex-mock');
  });
});
