// No secret in any harness output: a run against a server that echoes the request's URL and
// every header into every body and header (and, once the run has sent enough, a 429 that
// copies Authorization into details.plan, so the run stops on it) leaves no copy of any key
// in stdout, stderr, junit.xml, results.json or the coverage files. The keys are live-looking,
// test-shaped and of no recognisable shape, in the environment and in the base URL.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runContracts } from '../helpers/contract-run';

jest.setTimeout(120_000);

const ENV = {
  CORTEX_API_KEY: 'sk_live_51HqLyjWDarjtT1zdp7dcEchoLive0001',
  CORTEX_ADMIN_KEY: 'sk_test_admin_echo_000000000000000000000004',
  // A key of no recognisable shape: only its value can find it.
  CORTEX_WRITE_KEY: 'ci-write-token-7f3a9c2e1b5d',
};
const PASSWORD = 'hunter2-very-secret';
const PATH_KEY = 'sk_test_inpath00000000000000000099';

/** Every form of every secret that must not appear: as given, percent-encoded, its part after the prefix, and the Basic credential made of the user-info. */
function forms(): string[] {
  const secrets = [...Object.values(ENV), PASSWORD, PATH_KEY];
  const out = new Set<string>();
  for (const s of secrets) {
    out.add(s);
    out.add(encodeURIComponent(s));
    out.add(s.replace(/^sk_(test|live)_/, ''));
    // A secret cut short in a quoted excerpt still gives itself away: its first 12 characters.
    if (!s.startsWith('sk_')) out.add(s.slice(0, 12));
  }
  out.add(Buffer.from(`ci-user:${PASSWORD}`).toString('base64'));
  return [...out];
}

function copies(text: string): number {
  return forms().reduce((n, form) => n + text.split(form).length - 1, 0);
}

async function echoServer(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    n++;
    const echo = `${req.method} ${req.url} ${JSON.stringify(req.headers)}`;
    const authorization = req.headers.authorization ?? req.url ?? '';
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-echo': echo,
      'www-authenticate': `Bearer realm="${echo.replace(/"/g, "'")}"`,
      'x-ratelimit-limit': authorization,
      'x-ratelimit-remaining': authorization,
      'x-ratelimit-reset': '1793523660',
    };
    if (/\/whoami(\?|$)/.test(req.url ?? '')) {
      // The key check before the suites cannot judge this answer, so the suites run.
      res.writeHead(200, headers);
      res.end(JSON.stringify({ echo, object: echo }));
      return;
    }
    if (n > 60) {
      // Enough sent: a 429 that names the caller's Authorization as its plan stops the run.
      res.writeHead(429, { ...headers, 'retry-after': '3600' });
      res.end(JSON.stringify({ error: { code: 'RATE_LIMIT_EXCEEDED', message: echo, details: { plan: authorization, limit: req.url, reset: 1793523660, retry_after_seconds: 3600 } } }));
      return;
    }
    const status = [200, 401, 403, 400][n % 4];
    res.writeHead(status, headers);
    // First, the Authorization header placed so that a 200-character excerpt of the body cuts
    // the key after its 12th character.
    const cut = `${'.'.repeat(173)}${authorization}`;
    res.end(JSON.stringify({ cut, echo, object: echo, error: { code: 'UNAUTHORIZED', message: echo, details: { reason: authorization, echo } } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => n,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

it('writes no copy of any key into any output against a server that echoes them everywhere', async () => {
  expect(copies(`x ${ENV.CORTEX_WRITE_KEY} ${encodeURIComponent(PATH_KEY)}`)).toBeGreaterThanOrEqual(2);
  const server = await echoServer();
  try {
    const base = new URL(server.url);
    const baseUrl = `http://ci-user:${PASSWORD}@${base.host}/tenant/${PATH_KEY}/v1`;
    const run = await runContracts(['--base-url', baseUrl, '--max-time', '60', '--timeout', '5000', '--allow-writes'], ENV);
    expect(server.requests()).toBeGreaterThan(60);
    const files = ['junit.xml', 'results.json', 'coverage.json', 'coverage.md'];
    for (const f of files) expect(existsSync(join(run.reportDir, f))).toBe(true);
    const counts: Record<string, number> = { output: copies(run.output) };
    for (const f of files) counts[f] = copies(readFileSync(join(run.reportDir, f), 'utf8'));
    expect(counts).toEqual({ output: 0, 'junit.xml': 0, 'results.json': 0, 'coverage.json': 0, 'coverage.md': 0 });
    // It did meet them: the stop on the 429 is reported, with the plan redacted.
    expect(run.results.stopped).toMatchObject({ kind: 'rate-limit-budget' });
    expect(run.results.stopped!.message).toContain('[REDACTED]');
    expect(run.output).toContain('contract: checking http://ci-user:[REDACTED]@');
  } finally {
    await server.close();
  }
});

/** Keys echoed in encoded forms: one live-looking, one of no recognisable shape, one holding every character JSON and XML escape. */
const ENCODED_ENV = {
  CORTEX_API_KEY: 'sk_live_Q7xP2mN9vB4cR8tL1kJ6hG3fD5sA',
  CORTEX_NOPERM_KEY: 'np-Zx81Yq72Wr63Vt54Us45Tt',
  CORTEX_EXPIRED_KEY: `ex&p<ir"ed\\key12345678'`,
};
const percentAll = (s: string, lower: boolean) => [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).map((e) => (lower ? e : e.toUpperCase())).join('');
const jsonEscaped = (s: string) => JSON.stringify(s).slice(1, -1);
const xmlEscaped = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** Every form in which a key must not appear, by name: encoded, escaped, and what a cut or a line break leaves of it. */
function encodedForms(s: string): Record<string, string> {
  return {
    raw: s,
    'percent, upper hex': percentAll(s, false),
    'percent, lower hex': percentAll(s, true),
    json: jsonEscaped(s),
    'json twice': jsonEscaped(jsonEscaped(s)),
    xml: xmlEscaped(s),
    'xml of json': xmlEscaped(jsonEscaped(s)),
    base64: Buffer.from(s).toString('base64'),
    'first 12': s.slice(0, 12),
    'after 12': s.slice(12),
  };
}

async function encodingEchoServer(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    n++;
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const echoes = [percentAll(token, false), percentAll(token, true), jsonEscaped(token), xmlEscaped(token), Buffer.from(token).toString('base64'), `${token.slice(0, 12)}\n${token.slice(12)}`];
    const headers = { 'content-type': 'application/json', 'x-echo': echoes.slice(0, 5).join(' '), 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '99', 'x-ratelimit-reset': '1793523660' };
    if (/\/whoami(\?|$)/.test(req.url ?? '')) {
      const expired = token === ENCODED_ENV.CORTEX_EXPIRED_KEY;
      res.writeHead(expired ? 401 : 200, headers);
      res.end(JSON.stringify(expired ? { error: { code: 'UNAUTHORIZED', message: 'expired' } } : { echoes }));
      return;
    }
    if (n > 40) {
      res.writeHead(429, { ...headers, 'retry-after': '3600' });
      res.end(JSON.stringify({ error: { code: 'RATE_LIMIT_EXCEEDED', message: echoes.join(' '), details: { plan: echoes.join(' '), limit: 1, reset: 1793523660, retry_after_seconds: 3600 } } }));
      return;
    }
    if (n % 3 === 0) {
      // Not JSON: its excerpt (the first 120 characters) cuts the key after its 20th.
      res.writeHead(200, { ...headers, 'content-type': 'text/plain' });
      res.end(`${'.'.repeat(100)}${token} ${echoes.join(' ')}`);
      return;
    }
    res.writeHead([200, 401, 403][n % 3], headers);
    res.end(JSON.stringify({ echoes, error: { code: 'UNAUTHORIZED', message: echoes.join('\n'), details: { reason: echoes.join(' ') } } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => n,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

it('writes no key in any encoding, escaped, cut short or broken across lines, against a server that echoes them so', async () => {
  const server = await encodingEchoServer();
  try {
    const run = await runContracts(['--base-url', server.url, '--max-time', '60', '--timeout', '5000', '--allow-missing-keys'], ENCODED_ENV);
    expect(server.requests()).toBeGreaterThan(40);
    const texts: Record<string, string> = { output: run.output };
    for (const f of ['junit.xml', 'results.json', 'coverage.json', 'coverage.md']) texts[f] = readFileSync(join(run.reportDir, f), 'utf8');
    const found: string[] = [];
    for (const [env, key] of Object.entries(ENCODED_ENV)) {
      for (const [form, text] of Object.entries(encodedForms(key))) {
        for (const [where, content] of Object.entries(texts)) if (content.includes(text)) found.push(`${env} ${form} in ${where}`);
      }
    }
    expect(found).toEqual([]);
    // It did meet them: the excerpt of a body that is not JSON, and the stop on the 429.
    expect(run.results.failures.map((f) => f.check)).toContain('json-body');
    expect(run.results.stopped).toMatchObject({ kind: 'rate-limit-budget' });
    expect(texts['junit.xml']).toContain('[REDACTED]');
  } finally {
    await server.close();
  }
});
