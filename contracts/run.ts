#!/usr/bin/env node
// The contract runner: picks a target (a base URL, the mock in-process or as a process, or
// Prism's mock of the same spec), runs the suites against it with Jest, then prints the
// coverage matrix and what was skipped and why. Exit code 0 only when every check passed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { loadPublicSpec } from '../lib/openapi/load-spec';
import { PACKAGE_ROOT } from '../lib/paths';
import { buildCoverage, LEGEND, renderTable, writeCoverage, type Explain } from './lib/coverage';

const USAGE = `Usage: npm run contract -- [--base-url URL | --target mock|mock-process|prism] [options]

  --base-url URL      the API to check (or CORTEX_BASE_URL); keys come from the environment:
                      CORTEX_API_KEY (read), CORTEX_WRITE_KEY, CORTEX_ADMIN_KEY,
                      CORTEX_NOPERM_KEY, CORTEX_EXPIRED_KEY, CORTEX_REVOKED_KEY (or .env)
  --target mock       start the mock in-process on a free port, with its well-known keys
  --target mock-process  start the mock as a separate process (node dist/mock/cli.js)
  --target prism      start Prism's mock of the same spec, and run what Prism can satisfy
  --allow-writes      run the suites that create, change and delete data
  --allow-exhaust     use up a rate-limit window to check 429 at exactly limit+1
  --allow-live        allow the above with sk_live_ keys
  --prefer-codes      the server honours Prefer: code=NNN (the mock and Prism do)
  --timeout MS        per-request timeout (default 10000)
  --report-dir DIR    where junit.xml, results.json and coverage.{json,md} go
                      (default reports/contract)
`;

interface Options {
  baseUrl?: string;
  target?: 'mock' | 'mock-process' | 'prism';
  allowWrites: boolean;
  allowExhaust: boolean;
  allowLive: boolean;
  preferCodes: boolean;
  timeoutMs?: number;
  reportDir: string;
}

function parse(argv: string[]): Options | 'help' {
  const o: Options = { allowWrites: false, allowExhaust: false, allowLive: false, preferCodes: false, reportDir: join(PACKAGE_ROOT, 'reports', 'contract') };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '--base-url':
        o.baseUrl = value();
        break;
      case '--target': {
        const t = value();
        if (t !== 'mock' && t !== 'mock-process' && t !== 'prism') throw new Error(`--target must be mock, mock-process or prism, not ${t}`);
        o.target = t;
        break;
      }
      case '--allow-writes':
        o.allowWrites = true;
        break;
      case '--allow-exhaust':
        o.allowExhaust = true;
        break;
      case '--allow-live':
        o.allowLive = true;
        break;
      case '--prefer-codes':
        o.preferCodes = true;
        break;
      case '--timeout':
        o.timeoutMs = Number(value());
        if (!Number.isInteger(o.timeoutMs) || o.timeoutMs <= 0) throw new Error('--timeout must be a positive number of milliseconds');
        break;
      case '--report-dir':
        o.reportDir = resolve(value());
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (o.baseUrl && o.target) throw new Error('give --base-url or --target, not both');
  return o;
}

interface Target {
  baseUrl: string;
  kind: 'mock' | 'prism' | 'server';
  env: Record<string, string>;
  stop(): Promise<void>;
}

const CLOCK = '2026-11-01T09:00:30.000Z';

/** The mock's well-known keys by role, read from its control API (HTTP only). */
async function mockKeys(origin: string): Promise<Record<string, string>> {
  // No keep-alive: Jest starts next, and a pooled connection would go stale meanwhile.
  const text = await new Promise<string>((resolve, reject) => {
    get(`${origin}/_mock/keys`, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
  const { data } = JSON.parse(text) as { data: Array<{ key: string | null; permissions: string[]; plan: string; state: string; mode: string }> };
  const pick = (f: (k: (typeof data)[number]) => boolean) => data.find((k) => k.key && k.mode === 'test' && k.plan === 'developer' && f(k))?.key ?? '';
  const only = (p: string[]) => (k: (typeof data)[number]) => k.state === 'active' && JSON.stringify(k.permissions) === JSON.stringify(p);
  return {
    CORTEX_API_KEY: pick(only(['read'])),
    CORTEX_WRITE_KEY: pick(only(['write'])),
    CORTEX_ADMIN_KEY: pick(only(['admin'])),
    CORTEX_NOPERM_KEY: pick(only([])),
    CORTEX_EXPIRED_KEY: pick((k) => k.state === 'expired'),
    CORTEX_REVOKED_KEY: pick((k) => k.state === 'revoked'),
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

async function waitForHttp(url: string, child: ChildProcess, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it answered`);
    try {
      // No keep-alive: a pooled connection would go stale while Jest starts.
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

async function startTarget(o: Options): Promise<Target> {
  if (o.target === 'mock') {
    // Only the runner starts the mock; the suites speak HTTP to it like to any server.
    const { startMockServer } = await import('../mock/server');
    const running = await startMockServer({ config: { clock: CLOCK, log_level: 'silent' } });
    return { baseUrl: running.baseUrl, kind: 'mock', env: await mockKeys(running.url), stop: running.close };
  }
  if (o.target === 'mock-process') {
    const cli = join(PACKAGE_ROOT, 'dist', 'mock', 'cli.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
    const child = spawn(process.execPath, [cli, '--port', '0', '--clock', CLOCK, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const baseUrl = await new Promise<string>((res, rej) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/\S+\/v1)/.exec(out);
        if (m) res(m[1]);
      });
      child.once('exit', (code) => rej(new Error(`the mock exited with code ${code} before listening`)));
    });
    child.stdout!.resume();
    return { baseUrl, kind: 'mock', env: await mockKeys(new URL(baseUrl).origin), stop: () => stopChild(child) };
  }
  if (o.target === 'prism') {
    const port = await freePort();
    const bin = join(PACKAGE_ROOT, 'node_modules', '.bin', 'prism');
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
      env: { CORTEX_API_KEY: fake('read'), CORTEX_WRITE_KEY: fake('write'), CORTEX_ADMIN_KEY: fake('admin'), CORTEX_NOPERM_KEY: fake('noperm'), CORTEX_EXPIRED_KEY: fake('expired'), CORTEX_REVOKED_KEY: fake('revoked') },
      stop: () => stopChild(child),
    };
  }
  const baseUrl = o.baseUrl ?? process.env.CORTEX_BASE_URL;
  if (!baseUrl) throw new Error('no target: give --base-url URL, set CORTEX_BASE_URL, or use --target mock|mock-process|prism');
  return { baseUrl, kind: 'server', env: {}, stop: async () => undefined };
}

function readLines(file: string): Array<{ scenario: string; reason: string }> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

export async function main(argv: string[]): Promise<number> {
  let o: Options | 'help';
  try {
    o = parse(argv);
  } catch (err) {
    process.stderr.write(`contract: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (o === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let target: Target;
  try {
    target = await startTarget(o);
  } catch (err) {
    process.stderr.write(`contract: cannot start the target: ${(err as Error).message}\n`);
    return 2;
  }
  try {
    mkdirSync(o.reportDir, { recursive: true });
    for (const f of ['coverage.jsonl', 'skipped.jsonl', 'results.json', 'junit.xml']) rmSync(join(o.reportDir, f), { force: true });
    // Our own throwaway targets may be changed and exhausted; a real server only on request.
    const ours = target.kind !== 'server';
    const settings = {
      allowWrites: o.allowWrites || ours,
      allowExhaust: o.allowExhaust || ours,
      allowLive: o.allowLive,
      preferCodes: o.preferCodes || ours,
    };
    Object.assign(process.env, target.env, {
      CORTEX_BASE_URL: target.baseUrl,
      CONTRACT_TARGET: target.kind,
      CONTRACT_ALLOW_WRITES: String(settings.allowWrites),
      CONTRACT_ALLOW_EXHAUST: String(settings.allowExhaust),
      CONTRACT_ALLOW_LIVE: String(settings.allowLive),
      CONTRACT_PREFER_CODES: String(settings.preferCodes),
      CONTRACT_REPORT_DIR: o.reportDir,
      ...(o.timeoutMs ? { CONTRACT_TIMEOUT_MS: String(o.timeoutMs) } : {}),
    });
    process.stdout.write(`contract: checking ${target.baseUrl} (${o.target ?? 'server'})\n`);

    // Jest resolves its config and transforms from the project; run it from there.
    process.chdir(PACKAGE_ROOT);
    const { runCLI } = await import('jest');
    const { results } = await runCLI(
      { config: join(PACKAGE_ROOT, 'contracts', 'jest.config.ts'), runInBand: true, _: [], $0: 'contract' } as Parameters<typeof runCLI>[0],
      [PACKAGE_ROOT],
    );

    const spec = loadPublicSpec();
    const explain: Explain = (operationId, status) => {
      const op = spec.operations.find((x) => x.operationId === operationId)!;
      if (op.method !== 'get' && !settings.allowWrites) return 'a mutating operation, and --allow-writes was not given';
      if (!settings.preferCodes) return 'no request of this run produces it, and forced outcomes are off (--prefer-codes)';
      if (target.kind === 'prism' && status === op.successStatus) return 'only the lifecycle suite reaches it, and Prism holds no state';
      return 'no request of this run produced it';
    };
    const coverage = buildCoverage(spec, o.reportDir, explain);
    writeCoverage(coverage, o.reportDir);
    const out: string[] = [
      '',
      `Coverage: ${coverage.exercisedPairs} of ${coverage.documentedPairs} documented (operation, status) pairs exercised`,
      `(${LEGEND})`,
      renderTable(coverage, false),
    ];
    const missing = coverage.cells.filter((c) => !c.exercised);
    if (missing.length) out.push('', 'Not exercised:', ...missing.map((c) => `  ${c.operationId} ${c.status}: ${c.reason}`));
    const skipped = readLines(join(o.reportDir, 'skipped.jsonl'));
    const byReason = new Map<string, number>();
    for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    if (byReason.size) out.push('', 'Skipped, and why:', ...[...byReason].map(([reason, n]) => `  ${n} x ${reason}`));
    const failures = JSON.parse(readFileSync(join(o.reportDir, 'results.json'), 'utf8')) as { failures: Array<{ check: string }> };
    const checks = new Map<string, number>();
    for (const f of failures.failures) checks.set(f.check, (checks.get(f.check) ?? 0) + 1);
    if (checks.size) out.push('', 'Failed checks:', ...[...checks].map(([c, n]) => `  ${c}: ${n}`));
    out.push('', `Reports: ${join(o.reportDir, 'junit.xml')}, ${join(o.reportDir, 'coverage.md')}, ${join(o.reportDir, 'results.json')}`, '');
    process.stdout.write(out.join('\n'));

    let ok = results.success;
    if (target.kind === 'mock' && missing.length > 0) {
      process.stdout.write(`contract: [coverage] the mock must exercise every documented pair; ${missing.length} were not\n`);
      ok = false;
    }
    return ok ? 0 : 1;
  } finally {
    await target.stop();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`contract: ${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
