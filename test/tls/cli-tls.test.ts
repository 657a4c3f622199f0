// cortex-mock --tls as a user meets it: the banner names the CA and how to trust it, and
// lists the profiles; a bad certificate, or a --tls-dir inside node_modules, stops start-up
// with one line naming the flag.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, bearer } from '../helpers/fixtures';
import { httpsGet } from '../helpers/https';

jest.setTimeout(120_000);

const CLI = join(__dirname, '..', '..', 'dist', 'mock', 'cli.js');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cortex-tls-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function startCli(args: string[], nodeArgs: string[] = []): Promise<{ out: string; err(): string; stop(): void }> {
  const child = spawn(process.execPath, [...nodeArgs, CLI, ...args]);
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
  return { out, err: () => err, stop: () => child.kill('SIGTERM') };
}

describe('cortex-mock --tls', () => {
  it('prints the CA\'s path and how to trust it, lists the profiles, and serves HTTPS', async () => {
    const cli = await startCli(['--port', '0', '--log-level', 'silent', '--tls', '--tls-dir', dir, '--tls-profiles']);
    try {
      const caPath = join(dir, 'ca.pem');
      const baseUrl = /listening on (https:\/\/\S+\/v1)/.exec(cli.out)![1];
      expect(cli.out).toContain(`NODE_EXTRA_CA_CERTS=${caPath}`);
      expect(cli.out).toContain(`curl --cacert ${caPath}`);
      for (const [name, code] of [['expired', 'CERT_HAS_EXPIRED'], ['incomplete_chain', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']]) {
        expect(cli.out).toMatch(new RegExp(`${name}\\s+https://127\\.0\\.0\\.1:\\d+/v1\\s+${code}`));
      }
      const res = await httpsGet(`${baseUrl}/whoami`, { ca: readFileSync(caPath, 'utf8'), headers: bearer(KEYS.read) });
      expect('error' in res ? res.error : res.status).toBe(200);
    } finally {
      cli.stop();
    }
  });

  it('loads the certificate library only when TLS is asked for', async () => {
    // A preload that reports each first load of the library and its Reflect polyfill.
    const preload = join(dir, 'report-loads.js');
    writeFileSync(preload, "const M = require('node:module'); const load = M._load; M._load = function (request, ...rest) { if (request === '@peculiar/x509' || request === 'reflect-metadata') process.stderr.write(request + ' loaded\\n'); return load.call(this, request, ...rest); };\n");
    for (const [args, loaded] of [[[], false], [['--tls', '--tls-dir', join(dir, 'tls')], true]] as const) {
      const cli = await startCli(['--port', '0', '--log-level', 'silent', ...args], ['--require', preload]);
      cli.stop();
      if (loaded) expect(cli.err()).toContain('@peculiar/x509 loaded');
      else expect(cli.err()).not.toMatch(/loaded/);
    }
  });

  it('stops with one line naming the flag for a --tls-dir inside node_modules', () => {
    const r = run(['--tls', '--tls-dir', join(dir, 'node_modules', 'tls')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^cortex-mock: cannot serve HTTPS: --tls-dir .*node_modules.* is inside node_modules/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('stops with one line naming the flag for an empty --tls-dir (an unset variable), writing nothing in the current directory', () => {
    const r = run(['--port', '0', '--tls', '--tls-dir', ''], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^cortex-mock: cannot serve HTTPS: --tls-dir is empty/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stops with one line naming the flag for a certificate that does not load', () => {
    writeFileSync(join(dir, 'bad.pem'), 'not a certificate');
    const r = run(['--tls-cert', join(dir, 'bad.pem'), '--tls-key', join(dir, 'bad.pem')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`cortex-mock: cannot serve HTTPS: --tls-cert ${join(dir, 'bad.pem')} is not a PEM certificate (-----BEGIN CERTIFICATE-----)\n`);
  });
});
