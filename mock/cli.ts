#!/usr/bin/env node
// The command-line entry point: reads flags, the environment and the config file, checks
// them, prints the banner with the well-known keys, and listens. Every start-up problem is
// one line on stderr and a non-zero exit, never a stack dump.
import { buildConfig, ConfigError, readConfigFile, type MockConfig } from './config/config';
import { mockKeyState } from './domain/auth/key-lifecycle';
import { docsPreauthorizedKey } from './surfaces/docs-key';
import { createLogger } from './observability/logger';
import { conductJunit } from './observability/conduct-junit';
import { reportPathProblem, writeFileAtomically } from './observability/report-file';
import { conductTable } from './domain/conduct';
import { startMockServer, type RunningMock } from './server';
import { CONTROL_SPEC_PATH, loadPublicSpec, PUBLIC_SPEC_PATH, readSpecFile, type LoadedSpec } from '../lib/openapi/load-spec';
import { readArgs, UsageError, wholeNumber } from '../lib/cli';
import { redactedStoreUrl } from './store/redis';

const USAGE = `Usage: cortex-mock [options] [spec.yaml]

  -p, --port <n>      port to listen on (default 4010, or $PORT; 0 picks a free one)
  -h, --host <addr>   address to bind (default 127.0.0.1, or $HOST); -h is the host, as
                      in Prism (help is --help)
  --config <file>     YAML or JSON config file (plans, accounts, keys, live-key policy)
  --spec <file>       serve this copy of the OpenAPI document (default: the bundled one);
                      or give its path as the one argument, as prism mock does
  --seed <n>          seed for the fake data (default 42)
  --clock <ISO time>  start the clock at this time, frozen (advance it with /_mock/clock)
  --clock-running     with --clock, let time run on from there
  --allow-live-keys   accept sk_live_ keys (refused by default)
  --allowed-hosts <names>  comma-separated host names requests may name besides
                      localhost, *.localhost and IP addresses ("all" turns the check off)
  --control-token <t> require X-Mock-Control-Token: <t> on /_mock (one is made and
                      printed when the mock is bound to a non-loopback address)
  --no-cors           no CORS headers on /v1 (by default any origin may call it)
  --log-level <lvl>   fatal, error, warn, info (default), debug, trace or silent
  --store <url>       share limits and state with other instances through Redis:
                      redis://HOST:PORT/DB or rediss://... (default: memory, this
                      instance alone); docs/scaling.md
  --store-prefix <p>  what this mock's Redis keys start with (default cortex-mock:),
                      so several mocks can share one Redis
  --tls               serve HTTPS on the port, with a certificate for localhost,
                      127.0.0.1 and ::1 from a local CA the mock makes once and keeps
                      (plain HTTP to the port gets a 400); docs/tls.md
  --tls-dir <dir>     the CA's folder (default: your cache directory,
                      ~/.cache/cortex-edr-mock/tls on Linux; never inside node_modules)
  --tls-cert <file>   serve your own certificate (PEM) instead, with --tls-key <file>
  --tls-key <file>    its private key (PEM, unencrypted)
  --tls-profiles      one more port per bad-certificate profile (expired, wrong host,
                      ...), each with the error a validating client must raise
  --conduct-report <file>  on exit (SIGINT, SIGTERM and SIGHUP too) write the
                      conduct report there as JUnit XML, a testcase per client
                      and rule; docs/conduct.md
  --help              this text
`;

interface Flags {
  port: number;
  host: string;
  config?: string;
  spec?: string;
  overrides: Record<string, unknown>;
  tls?: TlsFlags;
  /** --conduct-report: where the JUnit conduct report goes on exit. */
  conductReport?: string;
}

interface TlsFlags {
  dir?: string;
  cert?: string;
  key?: string;
  profiles: boolean;
}

function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): Flags | 'help' {
  // Prism's habits: -p is the port, -h the host (not help), and the document is positional.
  const { values, positionals } = readArgs(argv, {
    port: { type: 'string', short: 'p' },
    host: { type: 'string', short: 'h' },
    config: { type: 'string' },
    spec: { type: 'string' },
    seed: { type: 'string' },
    clock: { type: 'string' },
    'clock-running': { type: 'boolean' },
    'allow-live-keys': { type: 'boolean' },
    'allowed-hosts': { type: 'string' },
    'control-token': { type: 'string' },
    'no-cors': { type: 'boolean' },
    'log-level': { type: 'string' },
    store: { type: 'string' },
    'store-prefix': { type: 'string' },
    tls: { type: 'boolean' },
    'tls-dir': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-profiles': { type: 'boolean' },
    'conduct-report': { type: 'string' },
    help: { type: 'boolean' },
  }, 1);
  if (values.help) return 'help';
  const [specPath] = positionals;
  if (specPath !== undefined && values.spec !== undefined && specPath !== values.spec) {
    throw new UsageError(`two documents given: --spec ${values.spec} and ${specPath}; give one`);
  }
  const overrides: Record<string, unknown> = {};
  if (values.seed !== undefined) overrides.seed = wholeNumber('--seed', values.seed, 0);
  if (values.clock !== undefined) overrides.clock = values.clock;
  if (values['clock-running']) overrides.clock_running = true;
  if (values['allow-live-keys']) overrides.allow_live_keys = true;
  if (values['log-level'] !== undefined) overrides.log_level = values['log-level'];
  const hosts = values['allowed-hosts'];
  if (hosts !== undefined) overrides.allowed_hosts = hosts === 'all' ? 'all' : hosts.split(',').map((h) => h.trim()).filter(Boolean);
  if (values['control-token'] !== undefined) overrides.control_token = values['control-token'];
  if (values['no-cors']) overrides.cors = false;
  if (values.store !== undefined) overrides.store = values.store;
  if (values['store-prefix'] !== undefined) overrides.store_prefix = values['store-prefix'];
  const port = values.port ?? env.PORT;
  // Any TLS flag asks for TLS: --tls-cert alone serves that certificate.
  const tlsAsked = values.tls || ['tls-dir', 'tls-cert', 'tls-key'].some((f) => values[f as 'tls-dir'] !== undefined) || values['tls-profiles'];
  return {
    port: wholeNumber(values.port !== undefined ? '--port' : 'PORT', port, 4010, 0, 65535),
    host: values.host ?? (env.HOST || '127.0.0.1'),
    config: values.config,
    spec: values.spec ?? specPath,
    overrides,
    conductReport: values['conduct-report'],
    ...(tlsAsked ? { tls: { dir: values['tls-dir'], cert: values['tls-cert'], key: values['tls-key'], profiles: values['tls-profiles'] ?? false } } : {}),
  };
}

/** With TLS: the CA to trust and how, and each bad-certificate profile's port. */
function tlsLines(running: RunningMock, own: boolean): string[] {
  if (!running.url.startsWith('https:')) return [];
  const lines = !own && running.caPath
    ? [
        '  tls      HTTPS only (plain HTTP gets a 400); the certificate is signed by the mock\'s local CA:',
        `           ${running.caPath}`,
        `           trust it: NODE_EXTRA_CA_CERTS=${running.caPath}   curl --cacert ${running.caPath}`,
      ]
    : ['  tls      HTTPS only (plain HTTP gets a 400), with your certificate (--tls-cert)'];
  if (running.profiles?.length) {
    const width = Math.max(...running.profiles.map((p) => p.name.length));
    lines.push('  bad-certificate profiles (a validating client must refuse each; docs/tls.md):', ...running.profiles.map((p) => `    ${p.name.padEnd(width)}  ${p.url}/v1  ${p.expected_error}`));
  }
  return lines;
}

/** The address as the user gave it, and what it resolved to when that differs (`--host 0` binds 0.0.0.0). */
function boundAs(running: RunningMock): string {
  const resolved = (running.server.address() as { address: string } | null)?.address;
  return resolved && resolved !== running.host ? `${running.host} (${resolved})` : running.host;
}

function banner(config: MockConfig, running: RunningMock, own = false, conductReport?: string): string {
  const { url, baseUrl, mock } = running;
  const store = mock.state.keys;
  // Key states on the mock's clock, as the mock will answer them (GET /_mock/keys agrees).
  const now = mock.clock.now();
  // Every configured key: a well-known fixture in full (it is public), a key of the user's
  // config by its prefix and last 4 (the mock holds only its hash).
  const rows = config.keys.map((k) => {
    const key = store.getKey(k.id)!;
    const state = mockKeyState(key, store, now, config.allow_live_keys);
    const shown = k.well_known_secret ?? `${mock.spec.vocabulary.keyModes[k.mode]}…${k.last4}`;
    return [shown, k.permissions.join(',') || '(none)', store.getAccount(k.account_id)!.plan, state === 'refused' ? 'refused (live)' : state, k.name];
  });
  const tryKey = config.keys.find((k) => k.well_known_secret !== undefined && k.permissions.length > 0)?.well_known_secret ?? '<one of your keys>';
  const head = ['key', 'permissions', 'plan', 'state', 'scenario'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const limits = [...mock.plans.entries()].map(([id, p]) => `${id} ${p.requests_per_window}/${p.window_seconds}s`).join(', ');
  const warning = running.exposed
    ? [
        '',
        `WARNING: bound to ${boundAs(running)}, so other machines can reach this mock.`,
        `  /_mock needs the control token: X-Mock-Control-Token: ${running.controlToken}`,
        '  Bind to 127.0.0.1 (the default) unless the network is yours.',
      ]
    : running.controlToken
      ? ['', '  /_mock needs the control token given (X-Mock-Control-Token)']
      : [];
  return [
    `cortex-edr-mock listening on ${baseUrl}`,
    ...tlsLines(running, own),
    `  keys     ${url}/dashboard/  (create, rotate and revoke keys; usage, requests, the clock)`,
    `  docs     ${url}/docs/  (${docsPreauthorizedKey(config) ? 'both documents, with the admin test key pre-authorized' : 'both documents; no key pre-authorized: Authorize with one of yours'})`,
    `  spec     ${url}/openapi.json  ${url}/openapi.yaml`,
    `  control  ${url}/_mock  (index; its spec: ${url}/_mock/openapi.json, .yaml)`,
    ...(conductReport ? [`  conduct  ${url}/_mock/conduct; as JUnit XML on exit: ${conductReport}`] : []),
    `  plans    ${limits}`,
    `  clock    ${new Date(now).toISOString()}${mock.clock.isFrozen() ? ' (frozen)' : ''}`,
    ...(config.store === 'memory' ? [] : [`  store    ${redactedStoreUrl(config.store)} (prefix ${config.store_prefix}), shared with every instance on it`]),
    ...warning,
    '',
    config.include_default_keys ? 'Keys (the well-known test keys, and any of your config):' : 'Keys of your config:',
    ...(rows.length > 0 ? [`  ${line(head)}`, ...rows.map((r) => `  ${line(r)}`)] : ['  (none: add keys to the config, or create them through /_mock/keys or the dashboard)']),
    '',
    `Try: curl -H "Authorization: Bearer ${tryKey}" ${baseUrl}/scans`,
    '',
  ].join('\n');
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let flags: Flags | 'help';
  try {
    flags = parseCommandLine(argv, env);
  } catch (err) {
    process.stderr.write(`cortex-mock: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (flags === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let spec: LoadedSpec;
  try {
    spec = loadPublicSpec(flags.spec);
  } catch (err) {
    process.stderr.write(`cortex-mock: cannot serve the spec ${flags.spec ?? PUBLIC_SPEC_PATH}: ${(err as Error).message}\n`);
    return 2;
  }
  let config: MockConfig;
  try {
    const raw = flags.config ? readConfigFile(flags.config) : {};
    const merged = raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as object), ...flags.overrides } : raw;
    config = buildConfig(spec, merged, flags.config ?? 'command line');
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`cortex-mock: invalid configuration: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const refused = flags.conductReport === undefined ? undefined : conductReportProblem(flags.conductReport, config);
  if (refused) {
    process.stderr.write(`cortex-mock: --conduct-report ${flags.conductReport}: ${refused}\n`);
    return 2;
  }
  const logger = createLogger(config.log_level);
  try {
    const tls = flags.tls ? { tls: true, tlsDir: flags.tls.dir, tlsCert: flags.tls.cert, tlsKey: flags.tls.key, tlsProfiles: flags.tls.profiles } : {};
    const running = await startMockServer({ spec, checkedConfig: config, logger, port: flags.port, host: flags.host, hostAdvice: 'flag', ...tls });
    if (flags.conductReport !== undefined) writeConductReportOnExit(flags.conductReport, running);
    const stop = () => {
      running.close().then(() => process.exit(0), () => process.exit(0));
    };
    // Before the banner: whoever waits for it may signal at once, and a signal with no
    // handler yet would end the process there, with no close and no report.
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // A closed terminal sends SIGHUP, whose default would end the process with no report.
    process.once('SIGHUP', stop);
    process.stdout.write(banner(config, running, flags.tls?.cert !== undefined, flags.conductReport));
    return -1; // keep running
  } catch (err) {
    if ((err as Error).name === 'SharedConfigError') {
      process.stderr.write(`cortex-mock: cannot start on the shared store: ${(err as Error).message}\n`);
      return 2;
    }
    if ((err as Error).name === 'TlsSetupError') {
      process.stderr.write(`cortex-mock: cannot serve HTTPS: ${(err as Error).message}\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? 'the port is in use' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EADDRNOTAVAIL' ? 'the address is not available here' : e.message;
    process.stderr.write(`cortex-mock: cannot listen on ${flags.host}:${flags.port}: ${why}\n`);
    return 1;
  }
}

/** Why --conduct-report cannot be honoured, checked at start-up; undefined when it can. */
function conductReportProblem(path: string, config: MockConfig): string | undefined {
  if (!config.conduct) return 'the config turns the conduct watch off (conduct: false), so there would be nothing to report';
  return reportPathProblem(path);
}

/**
 * Writes the JUnit conduct report when the process exits: after SIGINT, SIGTERM or SIGHUP (their
 * handler closes the server, then exits) or any other exit. An exit handler runs only
 * synchronous code, which the write is; a failure is one line on stderr, and the exit code
 * stays what it was.
 */
function writeConductReportOnExit(path: string, running: RunningMock): void {
  const rules = conductTable(readSpecFile(CONTROL_SPEC_PATH)).rules.values();
  const table = [...rules];
  process.once('exit', () => {
    try {
      writeFileAtomically(path, conductJunit(running.mock.conduct({ everyClient: true }), table));
    } catch (err) {
      process.stderr.write(`cortex-mock: --conduct-report ${path}: cannot write the report: ${(err as Error).message}\n`);
    }
  });
}

/** Runs the command with this process's arguments, and exits when it is done (not while it serves). */
export function run(argv: string[] = process.argv.slice(2)): void {
  main(argv, process.env).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (err) => {
      process.stderr.write(`cortex-mock: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) run();
