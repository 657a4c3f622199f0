// cortex-mock --conduct-report FILE, as CI runs it: the real CLI process serves a naive and a
// polite client, is stopped by SIGTERM, SIGINT or SIGHUP, and leaves JUnit XML that an independent
// parser reads (a testcase per client and rule, the naive client's findings as failures with
// the X-Request-Id of its requests, the polite client a green list), with the exit code a
// stop always had. A path that cannot be written is refused at start-up, naming the flag.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conductTable } from '../../mock/domain/conduct';
import { CONTROL_SPEC_PATH, readSpecFile } from '../../lib/openapi/load-spec';
import { runCli, startCli as start, type StartedCli } from '../helpers/cli';
import { expectFetched } from '../helpers/expect-response';
import { KEYS } from '../helpers/fixtures';
import { readJunit } from '../helpers/junit';

// Spawns processes: sized for a machine with both cores busy.
jest.setTimeout(120_000);

const RULES = [...conductTable(readSpecFile(CONTROL_SPEC_PATH)).rules.values()];
const WIRED = RULES.map((r) => r.name);

let dir: string;
let started: StartedCli[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cortex-conduct-cli-'));
});
// A failed test leaves no process behind.
afterEach(() => {
  for (const cli of started) cli.kill();
  started = [];
});

async function startCli(args: string[]): Promise<StartedCli> {
  const cli = await start(args);
  started.push(cli);
  return cli;
}

/** A config file: the well-known keys' developer plan at 2 requests a minute. */
function tinyConfig(extra = ''): string {
  const file = join(dir, 'mock.yaml');
  writeFileSync(file, `plans:\n  developer: { requests_per_window: 2, window_seconds: 60 }\n${extra}`);
  return file;
}

const get = (url: string, key: string) => fetch(url, { headers: { Authorization: `Bearer ${key}` } });

/** GET with a raw target, as sent (fetch would percent-encode the quotes and brackets). */
function rawGet(baseUrl: string, target: string, key: string): Promise<{ status: number; requestId: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: target, headers: { Authorization: `Bearer ${key}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, requestId: String(res.headers['x-request-id']) }));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('cortex-mock --conduct-report', () => {
  it('writes JUnit XML on SIGTERM: the naive client fails its rules with its request ids, the polite client passes each', async () => {
    const report = join(dir, 'conduct.xml');
    const cli = await startCli(['--port', '0', '--log-level', 'silent', '--config', tinyConfig(), '--conduct-report', report]);
    expect(cli.out).toContain(`as JUnit XML on exit: ${report}`);
    // The naive client spends its window, then retries at once through the 429s.
    await expectFetched(await get(`${cli.baseUrl}/scans`, KEYS.read), 200);
    await expectFetched(await get(`${cli.baseUrl}/scans`, KEYS.read), 200);
    const limited: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await get(`${cli.baseUrl}/scans`, KEYS.read);
      await expectFetched(res, 429);
      limited.push(res.headers.get('x-request-id')!);
    }
    // The polite client (another account, so another budget) asks once.
    await expectFetched(await get(`${cli.baseUrl}/whoami`, KEYS.vibeCoderAdmin), 200);
    expect(readdirSync(dir)).not.toContain('conduct.xml');

    expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const junit = readJunit(readFileSync(report, 'utf8'));
    expect(junit.suites.map((s) => s.name)).toEqual(['key_read', 'key_vibe_coder_admin']);
    const [read, admin] = junit.suites;
    expect(admin.cases.map((c) => [c.classname, c.name])).toEqual(RULES.map((r) => ['key_vibe_coder_admin', r.name]));
    expect(admin.failures).toBe(0);
    expect(admin.cases.filter((c) => !c.skipped).map((c) => c.name)).toEqual(WIRED);

    const failed = Object.fromEntries(read.cases.filter((c) => c.failures.length).map((c) => [c.name, c.failures[0]]));
    expect(Object.keys(failed).sort()).toEqual(['burst_over_limit', 'no_backoff', 'retry_before_reset']);
    expect(failed.retry_before_reset).toMatchObject({ type: 'error', message: expect.stringMatching(/^4x: GET \/v1\/scans sent /) });
    expect(failed.retry_before_reset.text).toContain(`request ids: ${limited.slice(1).join(' ')}`);
    expect(failed.burst_over_limit.text).toContain(`request ids: ${limited.slice(3).join(' ')}`);
    // uncached_repeat is a warning: the testcase passes and says it.
    const repeat = read.cases.find((c) => c.name === 'uncached_repeat')!;
    expect(repeat.failures).toEqual([]);
    expect(repeat.systemOut).toMatch(/^warning: GET \/v1\/scans repeated/);
    expect(readdirSync(dir).sort()).toEqual(['conduct.xml', 'mock.yaml']);
  });

  it('writes it on SIGINT too, with a hostile target read back as sent and the key in the query redacted', async () => {
    const report = join(dir, 'conduct.xml');
    const cli = await startCli(['--port', '0', '--log-level', 'silent', '--conduct-report', report]);
    const target = `/v1/scans?q="<&'>`;
    const first = await rawGet(cli.baseUrl, target, KEYS.noPerms);
    const second = await rawGet(cli.baseUrl, target, KEYS.noPerms);
    expect([first.status, second.status]).toEqual([403, 403]);
    const query = await fetch(`${cli.baseUrl}/whoami?api_key=${KEYS.read}`);
    await expectFetched(query, 200);

    expect(await cli.stop('SIGINT')).toEqual({ code: 0, signal: null });
    const xml = readFileSync(report, 'utf8');
    expect(xml).not.toContain(KEYS.read);
    const junit = readJunit(xml);
    const noPerms = junit.suites.find((s) => s.name === 'key_noperms')!;
    const retried = noPerms.cases.find((c) => c.name === 'retried_auth_error')!;
    expect(retried.failures[0].message).toBe(`1x: GET ${target} repeated after a 403`);
    expect(retried.failures[0].text).toContain(`request ids: ${second.requestId}`);
    const inQuery = junit.suites.find((s) => s.name === 'key_read')!.cases.find((c) => c.name === 'key_in_query')!;
    expect(inQuery.failures).toEqual([]);
    expect(inQuery.systemOut).toMatch(/^warning: GET \/v1\/whoami sent a test key in \?api_key=/);
  });

  it('writes it on SIGHUP too, as a closed terminal sends, with the exit code SIGTERM gives', async () => {
    const report = join(dir, 'conduct.xml');
    const cli = await startCli(['--port', '0', '--log-level', 'silent', '--conduct-report', report]);
    await expectFetched(await fetch(`${cli.baseUrl}/whoami?api_key=${KEYS.read}`), 200);
    expect(await cli.stop('SIGHUP')).toEqual({ code: 0, signal: null });
    const junit = readJunit(readFileSync(report, 'utf8'));
    expect(junit.suites.map((s) => s.name)).toEqual(['key_read']);
    expect(junit.suites[0].cases.find((c) => c.name === 'key_in_query')?.systemOut).toMatch(/^warning: GET \/v1\/whoami sent a test key in \?api_key=/);
    expect(cli.err()).toBe('');
  });

  it('writes a report with no testsuite when no client was seen', async () => {
    const report = join(dir, 'conduct.xml');
    const cli = await startCli(['--port', '0', '--log-level', 'silent', '--conduct-report', report]);
    expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(readJunit(readFileSync(report, 'utf8'))).toEqual({ tests: 0, failures: 0, skipped: 0, suites: [] });
  });

  it.each([
    ['a folder that does not exist', () => join(dir, 'missing', 'conduct.xml'), /does not exist/],
    ['a folder', () => dir, /is a folder/],
  ])('refuses %s at start-up, naming the flag, with exit code 2', (_name, path, reason) => {
    const r = runCli(['--port', '0', '--conduct-report', path()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^cortex-mock: --conduct-report ${path().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    expect(r.stderr).toMatch(reason);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).not.toContain('listening on');
  });

  it('refuses it at start-up when the config turns the conduct watch off', () => {
    const config = join(dir, 'off.yaml');
    writeFileSync(config, 'conduct: false\n');
    const r = runCli(['--port', '0', '--config', config, '--conduct-report', join(dir, 'conduct.xml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--conduct-report .*conduct\.xml: the config turns the conduct watch off \(conduct: false\)/);
  });
});
