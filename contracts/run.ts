#!/usr/bin/env node
// The contract runner: picks a target (a base URL, the mock in-process or as a process, or
// Prism's mock of the same spec), runs the suites against it within a deadline, then
// prints the coverage matrix, what was skipped and why, and what was not run. Exit code 0
// only when every check passed and no key was missing (--allow-missing-keys accepts a
// partial run; a run with no key never passes); 1 when one failed or the run stopped
// early; 2 for a usage error, a target that cannot be started, a base URL that is not the
// API's or a key that does not fit its variable (checked against GET /whoami before the
// suites). Reports are written however the run ends, and the last line says the verdict.
import { httpUrl, oneOf, readFlags, UsageError, wholeNumber } from '../lib/cli';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPublicSpec } from '../lib/openapi/load-spec';
import { PACKAGE_ROOT } from '../lib/paths';
import { buildCoverage, LEGEND, renderTable, writeCoverage, type Explain } from './lib/coverage';
import { createHarness, RunStopped, type Harness, type SkipKind } from './lib/harness';
import { createTransport, DEFAULT_MAX_JSON_CONTAINERS, DEFAULT_MAX_JSON_DEPTH, DEFAULT_MAX_RESPONSE_BYTES, TransportError, UNREACHABLE } from './lib/http';
import { createOutput, createRedactor, secretsInUrl, type Output } from './lib/output';
import { preflight } from './lib/preflight';
import { findPrism, prismInstallCommand } from './lib/prism';
import { notRunBecause, runCases, writeResults, type RunOutcome } from './lib/runner';
import { KEY_ENV, keysFrom, loadDotEnv, type Settings } from './lib/settings';
import { createSigner, SIGNING_ENV, signingFromEnv, signingSecrets, type SigningSettings } from './lib/signing';
import { SUITES } from './suites';
import { conductReportFile, deliberateBreaks, readConductReport } from './lib/conduct';

const USAGE = `Usage: cortex-contract [--base-url URL | --target mock|mock-process|prism] [options]

  --base-url URL      the API to check (or CORTEX_BASE_URL), with no query string or
                      fragment (refused: paths are appended to it); keys come from the environment:
                      CORTEX_API_KEY (read only), CORTEX_WRITE_KEY (write only),
                      CORTEX_ADMIN_KEY, CORTEX_NOPERM_KEY, CORTEX_EXPIRED_KEY,
                      CORTEX_REVOKED_KEY (or .env); request signing (RFC 9421):
                      CORTEX_SIGNING_API_KEY (a key that requires it; else the read key)
                      with CORTEX_SIGNING_SECRET (hmac-sha256, base64) or
                      CORTEX_SIGNING_KEY_FILE (ed25519 PEM), and CORTEX_SIGNING_KEY_ID
  --target mock       start the mock in-process on a free port, with its well-known keys
                      and a key of the run's that requires signing
  --target mock-process  start the mock as a separate process (node dist/mock/cli.js)
  --target prism      start Prism's mock of the same spec, and run what Prism can satisfy
  --allow-writes      run the suites that create, change and delete data
  --allow-exhaust     use up a rate-limit window to check 429 at exactly limit+1
  --allow-live        allow the above with sk_live_ keys
  --allow-missing-keys  pass a run that skipped checks for want of a key (a missing
                      key fails the run otherwise; a run with no key at all always fails)
  --prefer-codes      the server honours Prefer: code=NNN (the mock and Prism do)
  --timeout MS        per-request timeout (default 10000)
  --max-time SECONDS  the whole run's deadline (default 600); what is left is listed as not run
  --max-response-bytes N  a larger response body fails its check (default 10485760)
  --max-json-depth N  a response body nested deeper fails its check, unparsed (default 1000)
  --max-json-containers N  a response body with more objects and arrays fails its check,
                      unparsed (default 100000): with the depth, it bounds the run's memory
  --generate          add the generative phase: valid and invalid requests built from
                      the spec's schemas (fast-check), each failure shrunk to the smallest
                      request, with the seed and a curl command that reproduces it
  --seed N            the generative phase's seed (default: a new one, printed)
  --ca FILE           trust this CA certificate (PEM) for an https base URL, besides
                      Node's own: the mock's --tls CA (its banner, GET /_mock/tls)
  --control-url URL   a mock's control API (http://127.0.0.1:4010/_mock): the run may move
                      its clock instead of waiting (--target mock sets it)
  --examples N        valid requests per operation in the generative phase (default 25)
  --report-dir DIR    where junit.xml, results.json and coverage.{json,md} go
                      (default reports/contract, below the current directory)
  -h, --help          this text
`;


interface Options {
  baseUrl?: string;
  target?: 'mock' | 'mock-process' | 'prism';
  allowWrites: boolean;
  allowExhaust: boolean;
  allowLive: boolean;
  allowMissingKeys: boolean;
  preferCodes: boolean;
  timeoutMs: number;
  maxTimeSeconds: number;
  maxResponseBytes: number;
  maxJsonDepth: number;
  maxJsonContainers: number;
  reportDir: string;
  generate?: { seed: number; examples: number };
  controlUrl?: string;
  /** The CA to trust (--ca FILE), read. */
  ca?: string;
}

/**
 * The API's base URL, which the run appends operation paths to: an http(s) URL with no
 * query and no fragment (a path appended after `?token=X` would land in the query), and
 * user-info that decodes (node:http decodes it for the Basic credential and throws "URI
 * malformed" on a stray %). These messages do not quote the URL: it may hold a secret.
 */
function apiBaseUrl(flag: string, text: string): string {
  const base = httpUrl(flag, text);
  const url = new URL(text);
  if (url.search || text.includes('?')) throw new UsageError(`${flag} must have no query string: the run appends each operation's path and query to it (give keys in CORTEX_API_KEY and the other variables, not in the URL)`);
  if (url.hash || text.includes('#')) throw new UsageError(`${flag} must have no fragment (#...): the run appends each operation's path to it`);
  for (const [part, value] of [['user name', url.username], ['password', url.password]] as const) {
    try {
      decodeURIComponent(value);
    } catch {
      throw new UsageError(`${flag} has a ${part} that is not valid percent-encoding (a % must start an escape such as %25): encode it with encodeURIComponent`);
    }
  }
  return base;
}

/** The --ca file: one or more PEM certificates, each of which loads. */
function readCa(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--ca ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    if (blocks.length === 0) throw new Error('none');
    for (const block of blocks) new X509Certificate(block);
  } catch {
    throw new UsageError(`--ca ${file} holds no PEM certificate that loads (-----BEGIN CERTIFICATE-----)`);
  }
  return text;
}

function parse(argv: string[], env: NodeJS.ProcessEnv): Options | 'help' {
  const values = readFlags(argv, {
        'base-url': { type: 'string' },
        target: { type: 'string' },
        'allow-writes': { type: 'boolean' },
        'allow-exhaust': { type: 'boolean' },
        'allow-live': { type: 'boolean' },
        'allow-missing-keys': { type: 'boolean' },
        'prefer-codes': { type: 'boolean' },
        timeout: { type: 'string' },
        'max-time': { type: 'string' },
        'max-response-bytes': { type: 'string' },
        'max-json-depth': { type: 'string' },
        'max-json-containers': { type: 'string' },
        'report-dir': { type: 'string' },
        generate: { type: 'boolean' },
        'control-url': { type: 'string' },
        ca: { type: 'string' },
        seed: { type: 'string' },
        examples: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const target = oneOf('--target', values.target, ['mock', 'mock-process', 'prism'] as const);
  const baseUrl = values['base-url'] ?? (target ? undefined : env.CORTEX_BASE_URL);
  if (values['base-url'] !== undefined && target) throw new UsageError('give --base-url or --target, not both');
  return {
    baseUrl: baseUrl === undefined ? undefined : apiBaseUrl(values['base-url'] !== undefined ? '--base-url' : 'CORTEX_BASE_URL', baseUrl),
    target,
    allowWrites: values['allow-writes'] ?? false,
    allowExhaust: values['allow-exhaust'] ?? false,
    allowLive: values['allow-live'] ?? false,
    allowMissingKeys: values['allow-missing-keys'] ?? false,
    preferCodes: values['prefer-codes'] ?? false,
    timeoutMs: wholeNumber('--timeout', values.timeout, 10_000, 1),
    maxTimeSeconds: wholeNumber('--max-time', values['max-time'], 600, 1),
    maxResponseBytes: wholeNumber('--max-response-bytes', values['max-response-bytes'], DEFAULT_MAX_RESPONSE_BYTES, 1),
    maxJsonDepth: wholeNumber('--max-json-depth', values['max-json-depth'], DEFAULT_MAX_JSON_DEPTH, 1),
    maxJsonContainers: wholeNumber('--max-json-containers', values['max-json-containers'], DEFAULT_MAX_JSON_CONTAINERS, 1),
    // In the caller's project, not in the installed package (node_modules/cortex-edr-mock).
    reportDir: resolve(values['report-dir'] ?? join('reports', 'contract')),
    ...(values['control-url'] ? { controlUrl: httpUrl('--control-url', values['control-url']) } : {}),
    ...(values.ca !== undefined ? { ca: readCa(values.ca) } : {}),
    ...(values.generate
      ? { generate: { seed: values.seed === undefined ? Date.now() % 2_147_483_647 : wholeNumber('--seed', values.seed, 0), examples: wholeNumber('--examples', values.examples, 25, 1) } }
      : {}),
  };
}

interface Target {
  baseUrl: string;
  kind: 'mock' | 'prism' | 'server';
  keys: Settings['keys'];
  /** The mock's control API, when the run may move its clock. */
  controlUrl?: string;
  /** The key that requires signing, and its secret: the environment's, or the one the runner gave the mock. */
  signing?: SigningSettings;
  stop(): Promise<void>;
}

const CLOCK = '2026-11-01T09:00:30.000Z';

/**
 * A key that requires signing (hmac-sha256), for the mock the runner starts: the signing
 * suite then runs against it as against a server. It has an account of its own, so the rest
 * of the run (its keys, lists and windows) is as it was. The key and the secret are new
 * for each run (node:crypto), and redacted from its output like every key.
 */
function mockSigningKey() {
  const apiKey = `sk_test_contract_signing_${randomBytes(16).toString('hex')}`;
  const secret = randomBytes(32).toString('base64');
  const keyId = 'key_contract_signing';
  const name = 'contract run: request signing';
  const config = {
    accounts: [{ id: 'acct_contract_signing', name, plan: 'developer' as const }],
    keys: [{ id: keyId, name, secret: apiKey, account_id: 'acct_contract_signing', permissions: ['read' as const], signing: { alg: 'hmac-sha256' as const, secret } }],
  };
  const signing: SigningSettings = { alg: 'hmac-sha256', secret, apiKey, keyVar: SIGNING_ENV.apiKey, keyId };
  return { config, signing };
}

/** The file CORTEX_SIGNING_KEY_FILE names, read (its path is no secret; its content is). */
function readSigningKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${SIGNING_ENV.keyFile} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The mock's well-known keys by role, read from its control API (HTTP only). */
async function mockKeys(origin: string): Promise<Settings['keys']> {
  // No keep-alive: the suites start next, and a pooled connection could go stale meanwhile.
  const text = await new Promise<string>((resolve, reject) => {
    get(`${origin}/_mock/keys`, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
  const { data } = JSON.parse(text) as { data: Array<{ key: string | null; permissions: string[]; plan: string; state: string; mode: string }> };
  const pick = (f: (k: (typeof data)[number]) => boolean) => data.find((k) => k.key && k.mode === 'test' && k.plan === 'developer' && f(k))?.key ?? undefined;
  const only = (p: string[]) => (k: (typeof data)[number]) => k.state === 'active' && JSON.stringify(k.permissions) === JSON.stringify(p);
  return {
    read: pick(only(['read'])),
    write: pick(only(['write'])),
    admin: pick(only(['admin'])),
    noPerm: pick(only([])),
    expired: pick((k) => k.state === 'expired'),
    revoked: pick((k) => k.state === 'revoked'),
  };
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

async function waitForHttp(url: string, child: ChildProcess, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  // A command that cannot be run (ENOENT, EACCES) is an 'error' event, not an exit.
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  while (Date.now() < until) {
    if (spawnError) throw new Error(`${what} could not be started: ${spawnError.message}`);
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it answered`);
    try {
      await new Promise<void>((resolve, reject) => {
        const req = get(url, { agent: false, timeout: 1000 }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', reject);
      });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${what} did not answer within ${timeoutMs} ms`);
}

async function startTarget(o: Options, env: NodeJS.ProcessEnv): Promise<Target> {
  if (o.target === 'mock') {
    // Only the runner starts the mock; the suites speak HTTP to it like to any server.
    const { startMockServer } = await import('../mock/server');
    const { config, signing } = mockSigningKey();
    const running = await startMockServer({ config: { clock: CLOCK, log_level: 'silent', ...config } });
    return { baseUrl: running.baseUrl, kind: 'mock', keys: await mockKeys(running.url), controlUrl: `${running.url}/_mock`, signing, stop: running.close };
  }
  if (o.target === 'mock-process') {
    const cli = join(PACKAGE_ROOT, 'dist', 'mock', 'cli.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
    // The signing key goes in a config file of the run's own, readable by this user only, removed when the run ends.
    const { config, signing } = mockSigningKey();
    const dir = mkdtempSync(join(tmpdir(), 'cortex-contract-'));
    const configFile = join(dir, 'mock.json');
    writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
    const removeConfig = () => rmSync(dir, { recursive: true, force: true });
    const child = spawn(process.execPath, [cli, '--port', '0', '--clock', CLOCK, '--log-level', 'warn', '--config', configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let baseUrl: string;
    try {
      baseUrl = await new Promise<string>((res, rej) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/\S+\/v1)/.exec(out);
          if (m) res(m[1]);
        });
        child.once('exit', (code) => rej(new Error(`the mock exited with code ${code} before listening`)));
      });
    } catch (err) {
      removeConfig();
      throw err;
    }
    child.stdout!.resume();
    const origin = new URL(baseUrl).origin;
    const stop = () => stopChild(child).finally(removeConfig);
    return { baseUrl, kind: 'mock', keys: await mockKeys(origin), controlUrl: `${origin}/_mock`, signing, stop };
  }
  if (o.target === 'prism') {
    const port = await freePort();
    const bin = findPrism({ cwd: process.cwd(), packageRoot: PACKAGE_ROOT, path: env.PATH });
    if (!bin) {
      throw new Error(`Prism is not installed: install it in your project with \`${prismInstallCommand(PACKAGE_ROOT)}\`, or put prism on PATH (looked in node_modules/.bin of ${process.cwd()} and the folders above it, of this package, and on PATH)`);
    }
    const child = spawn(bin, ['mock', '-h', '127.0.0.1', '-p', String(port), join(PACKAGE_ROOT, 'openapi', 'cortex-edr.yaml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const origin = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${origin}/whoami`, child, 'Prism');
    } catch (err) {
      await stopChild(child);
      throw new Error(`${(err as Error).message}\n${stderr.slice(-2000)}`);
    }
    // Prism serves the spec's paths at its root, and accepts any well-formed credential.
    const fake = (role: string) => `sk_test_prism_${role}_${'0'.repeat(20)}`;
    return {
      baseUrl: origin,
      kind: 'prism',
      keys: { read: fake('read'), write: fake('write'), admin: fake('admin'), noPerm: fake('noperm'), expired: fake('expired'), revoked: fake('revoked') },
      stop: () => stopChild(child),
    };
  }
  if (!o.baseUrl) throw new UsageError('no target: give --base-url URL, set CORTEX_BASE_URL, or use --target mock|mock-process|prism');
  const signing = signingFromEnv(env, readSigningKeyFile, KEY_ENV.read);
  return { baseUrl: o.baseUrl, kind: 'server', keys: keysFrom(env), ...(signing ? { signing } : {}), stop: async () => undefined };
}

/** Probes the base URL once: a server that cannot be reached, or whose certificate is refused, ends the run with one message. */
async function probe(harness: Harness, ca: string | undefined): Promise<{ kind: 'unreachable' | 'certificate'; message: string } | undefined> {
  const { settings } = harness;
  const transport = createTransport({ ca });
  try {
    const timeoutMs = Math.max(1, Math.min(settings.timeoutMs, 10_000, settings.deadline - Date.now()));
    await transport.send('GET', `${settings.baseUrl}/`, { timeoutMs, maxBytes: settings.maxResponseBytes, maxDepth: settings.maxJsonDepth, maxContainers: settings.maxJsonContainers });
    return undefined;
  } catch (err) {
    if (err instanceof TransportError && err.check === 'certificate') {
      const why = err.message.replace(/^\[[a-z-]+\] GET \S+: /, '');
      return { kind: 'certificate', message: `${settings.baseUrl}: ${why}. Give the CA that signed it with --ca FILE (the mock's: the file its --tls banner names, or ca_pem of GET /_mock/tls); the run does not turn validation off` };
    }
    if (err instanceof TransportError && UNREACHABLE.has(err.check)) return { kind: 'unreachable', message: err.message.replace(/^\[[a-z-]+\] GET \S+: /, '') };
    return undefined; // it answers, if badly: the checks will say how
  } finally {
    transport.close();
  }
}

/** Stops before the suites, for a base URL, a key or a certificate the user must fix: exit code 2. */
const PREFLIGHT_STOPS = new Set(['bad-base-url', 'bad-key', 'target', 'certificate']);

/** Writes the coverage reports and returns the summary, and whether coverage fell short. */
function summary(harness: Harness, outcome: RunOutcome, target: Target, reportDir: string, output: Output): { text: string; coverageShort: boolean } {
  const { settings } = harness;
  const spec = harness.spec;
  const explain: Explain = (operationId, status) => {
    const op = spec.operations.find((x) => x.operationId === operationId)!;
    if (outcome.stopped) return `the run stopped (${outcome.stopped.kind}) before it`;
    if (op.method !== 'get' && !settings.allowWrites) return 'a mutating operation, and --allow-writes was not given';
    if (!settings.preferCodes) return 'no request of this run produces it, and forced outcomes are off (--prefer-codes)';
    if (target.kind === 'prism' && status === op.successStatus) return 'only the lifecycle suite reaches it, and Prism holds no state';
    return 'no request of this run produced it';
  };
  const coverage = buildCoverage(spec, harness.coverage, explain);
  writeCoverage(coverage, reportDir, output);
  if (outcome.stopped && PREFLIGHT_STOPS.has(outcome.stopped.kind)) {
    // Nothing ran: the one message, where the reports are, and the verdict.
    const lines = [`STOPPED (${outcome.stopped.kind}): ${outcome.stopped.message}`, `Reports: ${join(reportDir, 'junit.xml')}, ${join(reportDir, 'results.json')}`, verdict(outcome, 0, 0, false), ''];
    return { text: lines.join('\n'), coverageShort: false };
  }
  const out: string[] = ['', `Coverage: ${coverage.exercisedPairs} of ${coverage.documentedPairs} documented (operation, status) pairs exercised`, `(${LEGEND})`, renderTable(coverage, false)];
  const missing = coverage.cells.filter((c) => !c.exercised);
  if (missing.length) out.push('', 'Not exercised:', ...missing.map((c) => `  ${c.operationId} ${c.status}: ${c.reason}`));
  if (harness.skippedNotes.length) out.push('', 'Skipped, and why:');
  const heading: Record<SkipKind, string> = { 'missing-key': 'a key is missing', 'not-asked': 'the run was not asked to', 'target-cannot': 'the target cannot' };
  for (const kind of Object.keys(heading) as SkipKind[]) {
    const byReason = new Map<string, number>();
    for (const s of harness.skippedNotes.filter((n) => n.kind === kind)) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    if (byReason.size) out.push(`  because ${heading[kind]}:`, ...[...byReason].map(([reason, n]) => `    ${n} x ${reason}`));
  }
  const failed = outcome.results.filter((r) => r.status === 'failed');
  const checks = new Map<string, number>();
  for (const f of failed) checks.set(f.check ?? 'unnamed', (checks.get(f.check ?? 'unnamed') ?? 0) + 1);
  if (checks.size) out.push('', 'Failed checks:', ...[...checks].map(([c, n]) => `  ${c}: ${n}`), '', ...failed.slice(0, 20).map((f) => `  ${f.suite} › ${f.name}\n    ${(f.message ?? '').split('\n').slice(0, 3).join('\n    ')}`));
  const notRun = outcome.results.filter((r) => r.status === 'not-run');
  if (outcome.stopped) out.push('', `STOPPED (${outcome.stopped.kind}): ${outcome.stopped.message}`, `Not run: ${notRun.length} checks${notRun.length ? `, from "${notRun[0].suite} › ${notRun[0].name}" on` : ''} (listed in results.json)`);
  const passed = outcome.results.filter((r) => r.status === 'passed').length;
  out.push('', `${passed} passed, ${failed.length} failed, ${outcome.results.filter((r) => r.status === 'skipped').length} skipped, ${notRun.length} not run`);
  out.push(`Reports: ${join(reportDir, 'junit.xml')}, ${join(reportDir, 'coverage.md')}, ${join(reportDir, 'results.json')}`, '');
  // Against the mock, every documented pair must be reached: a pair it never produces is a finding.
  const coverageShort = target.kind === 'mock' && missing.length > 0;
  if (coverageShort) out.push(`contract: [coverage] the mock must exercise every documented pair; ${missing.length} were not`, '');
  for (const e of outcome.runErrors ?? []) out.push(`contract: [${e.kind}] ${e.message}`);
  out.push(verdict(outcome, failed.length, passed, coverageShort), '');
  return { text: out.join('\n'), coverageShort };
}

/** The last line: passed, or why not. */
function verdict(outcome: RunOutcome, failed: number, passed: number, coverageShort: boolean): string {
  const why = [
    ...(outcome.stopped ? [`stopped (${outcome.stopped.kind}): ${outcome.stopped.message}`] : []),
    ...(failed ? [`${failed} check${failed === 1 ? '' : 's'} failed`] : []),
    ...(outcome.runErrors ?? []).map((e) => e.message),
    ...(coverageShort ? ['the mock left documented pairs unexercised'] : []),
  ];
  return why.length ? `contract: FAILED: ${why.join('; ')}` : `contract: PASSED (${passed} checks)`;
}

/**
 * Keys the run needed and was not given, as run errors: none at all always fails the run
 * (it could check only what needs no key); some missing fail it unless allowed.
 */
function keyErrors(harness: Harness, allowMissing: boolean): NonNullable<RunOutcome['runErrors']> {
  const all = Object.values(KEY_ENV);
  if (!Object.values(harness.settings.keys).some(Boolean)) {
    return [{ kind: 'no-keys', message: `no key was given: set ${all.join(', ')} (a run without keys checks only what needs none, so it never passes)` }];
  }
  const skipped = harness.cases.filter((c) => c.skipKind === 'missing-key');
  const missing = all.filter((v) => skipped.some((c) => c.missingKey === v));
  if (!missing.length || allowMissing) return [];
  return [{ kind: 'missing-keys', message: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set, so ${skipped.length} checks were skipped: set ${missing.length === 1 ? 'it' : 'them'}, or pass --allow-missing-keys to accept the partial run` }];
}

/** Reports for a run whose target could not be started: every check not run, the stop an error; returns the summary. */
async function unstarted(o: Options, message: string, output: Output): Promise<string> {
  const kind = o.target === 'prism' ? 'prism' : o.target ? 'mock' : 'server';
  const settings: Settings = {
    baseUrl: o.baseUrl ?? 'http://127.0.0.1',
    target: kind,
    keys: {},
    allowWrites: o.allowWrites,
    allowExhaust: o.allowExhaust,
    allowLive: o.allowLive,
    preferCodes: o.preferCodes,
    timeoutMs: o.timeoutMs,
    deadline: Date.now(),
    maxResponseBytes: o.maxResponseBytes,
    reportDir: o.reportDir,
  };
  const transport = createTransport();
  try {
    const harness = createHarness(settings, transport, async () => undefined);
    for (const [name, suite] of SUITES) harness.suite(name, () => suite.register(harness));
    mkdirSync(o.reportDir, { recursive: true });
    const outcome: RunOutcome = { results: [], stopped: { kind: 'target', message } };
    await runCases(harness, outcome);
    writeResults(outcome, o.reportDir, output);
    return summary(harness, outcome, { baseUrl: settings.baseUrl, kind, keys: {}, stop: async () => undefined }, o.reportDir, output).text;
  } finally {
    transport.close();
  }
}

/** The secrets a run knows before its target starts: the keys in the environment, and the base URL's, however it was given. */
function earlySecrets(argv: string[], env: NodeJS.ProcessEnv): string[] {
  const urls = [env.CORTEX_BASE_URL, ...argv.flatMap((a, i) => (a === '--base-url' ? [argv[i + 1]] : a.startsWith('--base-url=') ? [a.slice('--base-url='.length)] : []))];
  // The signing key and secret are secrets too: never in the run's output.
  return [...Object.values(keysFrom(env)), ...[SIGNING_ENV.apiKey, SIGNING_ENV.secret].flatMap((v) => (env[v] ? [env[v]] : [])), ...urls.flatMap((u) => secretsInUrl(u))] as string[];
}

/** The settings of a run against `target`, from the flags; the deadline counts from `started`. */
function runSettings(o: Options, target: Target, started: number): Settings {
  const ours = target.kind !== 'server';
  return {
    baseUrl: target.baseUrl,
    target: target.kind,
    keys: target.keys,
    // Our own throwaway targets may be changed and exhausted; a real server only on request.
    allowWrites: o.allowWrites || ours,
    allowExhaust: o.allowExhaust || ours,
    allowLive: o.allowLive,
    preferCodes: o.preferCodes || ours,
    timeoutMs: o.timeoutMs,
    deadline: started + o.maxTimeSeconds * 1000,
    maxResponseBytes: o.maxResponseBytes,
    maxJsonDepth: o.maxJsonDepth,
    maxJsonContainers: o.maxJsonContainers,
    controlUrl: target.controlUrl ?? o.controlUrl,
    reportDir: o.reportDir,
    ...(o.generate ? { generate: o.generate } : {}),
  };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const started = Date.now();
  let o: Options | 'help';
  const fullEnv = loadDotEnv(process.cwd(), env);
  const secrets = earlySecrets(argv, fullEnv);
  // Every string the run writes goes through `output`, so through one redaction.
  let output = createOutput(createRedactor(secrets));
  try {
    o = parse(argv, fullEnv);
  } catch (err) {
    output.stderr(`cortex-contract: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (o === 'help') {
    output.stdout(USAGE);
    return 0;
  }
  let target: Target;
  try {
    target = await startTarget(o, fullEnv);
  } catch (err) {
    if (err instanceof UsageError) {
      output.stderr(`cortex-contract: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    output.stderr(await unstarted(o, `cannot start the target: ${(err as Error).message}`, output));
    return 2;
  }
  output = createOutput(createRedactor([...secrets, ...Object.values(target.keys), ...signingSecrets(target.signing), ...secretsInUrl(target.baseUrl)]));
  const settings = runSettings(o, target, started);
  const { signing } = target;
  if (signing) settings.signing = signing;
  const transport = createTransport({ ca: o.ca, ...(signing ? { sign: createSigner(signing) } : {}) });
  const harness = createHarness(settings, transport, (ms) => new Promise((r) => setTimeout(r, ms)));
  for (const [name, suite] of SUITES) harness.suite(name, () => suite.register(harness));
  mkdirSync(o.reportDir, { recursive: true });
  for (const f of ['results.json', 'junit.xml', 'coverage.json', 'coverage.md', 'conduct.json']) rmSync(join(o.reportDir, f), { force: true });

  const outcome: RunOutcome = { results: [] };
  // Interrupted: the reports still say what ran, and list the rest as not run.
  const interrupted = (signal: NodeJS.Signals) => {
    outcome.stopped ??= { kind: 'interrupted', message: `the run was interrupted (${signal})` };
    const done = new Set(outcome.results.map((r) => `${r.suite}\u0000${r.name}`));
    for (const c of harness.cases) if (!done.has(`${c.suite}\u0000${c.name}`)) outcome.results.push({ suite: c.suite, name: c.name, status: 'not-run', message: notRunBecause(outcome.stopped), ms: 0 });
    writeResults(outcome, o.reportDir, output);
    output.stderr(`\ncortex-contract: interrupted; reports written to ${o.reportDir}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  // The deadline also ends a case that is waiting on something other than a request.
  const deadlineTimer = setTimeout(() => {
    outcome.stopped ??= { kind: 'deadline', message: `the run reached its deadline (--max-time ${o.maxTimeSeconds})` };
    transport.close();
  }, Math.max(0, settings.deadline - Date.now()));
  try {
    output.stdout(`contract: checking ${target.baseUrl} (${o.target ?? 'server'})${o.generate ? `, generative phase with seed ${o.generate.seed} (--seed ${o.generate.seed} repeats it), ${o.generate.examples} examples per operation` : ''}\n`);
    const probed = await probe(harness, o.ca);
    if (probed?.kind === 'certificate') outcome.stopped = probed;
    else if (probed) outcome.stopped = { kind: 'unreachable', message: probed.message.startsWith('server unreachable') ? probed.message : `server unreachable at ${target.baseUrl}: ${probed.message}` };
    // A real server: the base URL and each key are checked before anything is put down to the server.
    if (!outcome.stopped && target.kind === 'server') {
      try {
        const stop = await preflight(harness);
        if (stop) outcome.stopped = { kind: stop.kind, message: harness.redact(stop.message) };
      } catch (err) {
        if (!(err instanceof RunStopped)) throw err;
        outcome.stopped = { kind: err.kind, message: harness.redact(err.message.replace(/^\[[a-z0-9_-]+\] /, '')) };
      }
    }
    const stoppedBefore = outcome.stopped !== undefined && PREFLIGHT_STOPS.has(outcome.stopped.kind);
    await runCases(harness, outcome);
    // A stopped run has failed already, with one message: the keys are for the next run.
    outcome.runErrors = outcome.stopped ? [] : keyErrors(harness, o.allowMissingKeys);
    writeResults(outcome, o.reportDir, output);
    // A mock's conduct report, against what the suites break on purpose: said, never a failure of the server.
    const conduct = await readConductReport(transport, settings);
    if (conduct) {
      const file = conductReportFile(conduct, deliberateBreaks(SUITES));
      output.file(join(o.reportDir, 'conduct.json'), file.json);
      output.stdout(`${file.line}\n`);
    }
    const { text, coverageShort } = summary(harness, outcome, target, o.reportDir, output);
    output.stdout(text);
    if (stoppedBefore) return 2;
    return outcome.results.some((r) => r.status === 'failed') || outcome.stopped || outcome.runErrors.length || coverageShort ? 1 : 0;
  } finally {
    clearTimeout(deadlineTimer);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    transport.close();
    await target.stop();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      createOutput(createRedactor(earlySecrets(process.argv.slice(2), process.env))).stderr(`cortex-contract: ${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
