// --tls: the mock serves its API over HTTPS with a certificate for localhost, 127.0.0.1 and
// ::1 from a local CA it makes on first use and keeps in its cache folder; plain HTTP to the
// port gets a 400 naming HTTPS; GET /_mock/tls gives the CA.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockServer, type RunningMock } from '../../mock/server';
import { CA_FILE, CA_KEY_FILE, LEAF_FILE, LEAF_KEY_FILE, loadLocalCa } from '../../mock/tls/local-ca';
import { defaultTlsDir, prepareTlsDir, tlsDir } from '../../mock/tls/cache-dir';
import { expectResponse } from '../helpers/expect-response';
import { KEYS, bearer } from '../helpers/fixtures';
import { httpsGet } from '../helpers/https';
import { parsed, raw } from '../helpers/raw-http';
import { controlProblems } from '../helpers/spec-check';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const quiet = { config: { log_level: 'silent' as const } };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cortex-tls-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function withTls<T>(options: Parameters<typeof startMockServer>[0], test: (running: RunningMock) => Promise<T>): Promise<T> {
  const running = await startMockServer({ ...quiet, tls: true, tlsDir: dir, ...options });
  try {
    return await test(running);
  } finally {
    await running.close();
  }
}

/** Why startMockServer refused `options`; a mock that starts instead is closed (and the test fails on 'it started'). */
async function refusal(options: Parameters<typeof startMockServer>[0]): Promise<string> {
  const started = await startMockServer({ ...quiet, ...options }).catch((err: Error) => err);
  if (started instanceof Error) return started.message;
  await started.close();
  return 'it started';
}

/** DER OIDs: ecdsa-with-SHA256 (1.2.840.10045.4.3.2), and the SHA-1 signatures no certificate may use. */
const ECDSA_SHA256 = Buffer.from('06082a8648ce3d040302', 'hex');
const SHA1_SIGNATURES = ['06072a8648ce3d0401' /* ecdsa-with-SHA1 */, '06092a864886f70d010105' /* sha1WithRSAEncryption */].map((h) => Buffer.from(h, 'hex'));

function expectModern(pem: string): void {
  const cert = new X509Certificate(pem);
  expect(cert.publicKey.asymmetricKeyType).toBe('ec');
  expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  // The signature algorithm appears twice in a certificate: in the TBS part and after it.
  const der = cert.raw;
  expect(der.indexOf(ECDSA_SHA256)).toBeGreaterThan(-1);
  expect(der.lastIndexOf(ECDSA_SHA256)).toBeGreaterThan(der.indexOf(ECDSA_SHA256));
  for (const oid of SHA1_SIGNATURES) expect(der.indexOf(oid)).toBe(-1);
}

describe('startMockServer({ tls: true })', () => {
  it('answers GET /v1/whoami over HTTPS to a client that trusts only the mock\'s CA', async () => {
    await withTls({}, async (running) => {
      expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(running.caPath).toBe(join(dir, CA_FILE));
      const res = await httpsGet(`${running.baseUrl}/whoami`, { ca: running.ca, headers: bearer(KEYS.read) });
      if ('error' in res) throw new Error(res.error);
      expectResponse(res, 200, 'getWhoami');
    });
  });

  it('makes the localhost certificate for localhost, 127.0.0.1 and ::1, signed by the CA', async () => {
    await withTls({}, async (running) => {
      const ca = new X509Certificate(running.ca!);
      const leaf = new X509Certificate(require('node:fs').readFileSync(join(dir, LEAF_FILE), 'utf8'));
      expect(leaf.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(ca.ca).toBe(true);
      expect(leaf.ca).toBe(false);
      for (const pem of [running.ca!, leaf.toString()]) expectModern(pem);
      const localhost = await httpsGet(`https://localhost:${running.port}/v1/whoami`, { ca: running.ca, headers: bearer(KEYS.read) });
      expect('error' in localhost ? localhost.error : localhost.status).toBe(200);
    });
  });

  it('writes the private keys 0600 and reuses the CA on the next start', async () => {
    const first = await withTls({}, async (running) => new X509Certificate(running.ca!).fingerprint256);
    for (const file of [CA_KEY_FILE, LEAF_KEY_FILE]) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    const second = await withTls({}, async (running) => new X509Certificate(running.ca!).fingerprint256);
    expect(second).toBe(first);
  });

  it('answers plain HTTP on the TLS port with a 400 naming HTTPS, and closes, instead of hanging', async () => {
    await withTls({}, async (running) => {
      const answer = await raw(running.port, `GET /v1/whoami HTTP/1.1\r\nHost: 127.0.0.1:${running.port}\r\nAuthorization: Bearer ${KEYS.read}\r\n\r\n`, true);
      const res = parsed(answer);
      expectResponse(res, 400, 'getWhoami');
      expect(res.body.error.details.reason).toBe('https_required');
      expect(res.body.error.message).toMatch(/HTTPS/);
      expect(res.headers.connection).toBe('close');
      expect(answer).not.toContain(KEYS.read);
    });
  });

  it('serves GET /_mock/tls with the CA and no profiles', async () => {
    await withTls({}, async (running) => {
      const res = await httpsGet(`${running.url}/_mock/tls`, { ca: running.ca });
      if ('error' in res) throw new Error(res.error);
      expect(controlProblems('getTls', res)).toEqual([]);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ca_pem: running.ca, profiles: [] });
    });
  });
});

describe('the cache folder', () => {
  it('makes the localhost certificate again when it has expired, keeping the CA', async () => {
    const now = Date.now();
    const first = await loadLocalCa(dir, now);
    const later = await loadLocalCa(dir, now + 400 * DAY);
    expect(later.createdCa).toBe(false);
    expect(later.createdLeaf).toBe(true);
    expect(new X509Certificate(later.ca.certPem).fingerprint256).toBe(new X509Certificate(first.ca.certPem).fingerprint256);
    expect(Date.parse(new X509Certificate(later.leaf.certPem).validTo)).toBeGreaterThan(now + 400 * DAY);
  });

  it('keeps a fitting localhost certificate, and makes it again when the host names change', async () => {
    const now = Date.now();
    const first = await loadLocalCa(dir, now);
    const again = await loadLocalCa(dir, now + DAY);
    expect(again.createdLeaf).toBe(false);
    expect(again.leaf.certPem).toBe(first.leaf.certPem);
    const renamed = await loadLocalCa(dir, now + DAY, ['localhost', '127.0.0.1', '::1', 'mock.localhost']);
    expect(renamed.createdLeaf).toBe(true);
    expect(new X509Certificate(renamed.leaf.certPem).subjectAltName).toContain('DNS:mock.localhost');
  });

  it('refuses a folder inside node_modules, naming the flag', () => {
    expect(() => tlsDir(join(process.cwd(), 'node_modules', '.cache', 'tls'))).toThrow(/--tls-dir .*node_modules/);
  });

  it('refuses an empty folder name (an unset variable) naming the flag, and writes nothing in the current directory', async () => {
    expect(() => tlsDir('')).toThrow(/^--tls-dir is empty/);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await refusal({ tls: true, tlsDir: '' })).toMatch(/^--tls-dir is empty/);
      expect(await refusal({ tls: true, tlsDir: ' ' })).toMatch(/^--tls-dir is empty/);
    } finally {
      process.chdir(cwd);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a folder that reaches node_modules through a symlink, naming the flag and where it leads', async () => {
    mkdirSync(join(dir, 'project', 'node_modules'), { recursive: true });
    symlinkSync(join(dir, 'project', 'node_modules'), join(dir, 'link'));
    const through = join(dir, 'link', 'sub');
    expect(() => tlsDir(through)).toThrow(new RegExp(`^--tls-dir ${through} \\(it leads to ${join(dir, 'project', 'node_modules', 'sub')}\\) is inside node_modules`));
    expect(await refusal({ tls: true, tlsDir: through })).toMatch(/is inside node_modules/);
    expect(readdirSync(join(dir, 'project', 'node_modules'))).toEqual([]);
  });

  it('makes a missing folder 0700', async () => {
    await withTls({ tlsDir: join(dir, 'new', 'tls') }, async () => undefined);
    expect(statSync(join(dir, 'new', 'tls')).mode & 0o777).toBe(0o700);
  });

  it('refuses a folder of the user\'s that other users can reach, naming the flag and the mode, before writing a key', async () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o755);
    expect(await refusal({ tls: true, tlsDir: shared })).toMatch(new RegExp(`^--tls-dir ${shared} can be reached by other users \\(mode 0755\\).*chmod 700`));
    expect(readdirSync(shared)).toEqual([]);
    expect(statSync(shared).mode & 0o777).toBe(0o755);
    chmodSync(shared, 0o700);
    await withTls({ tlsDir: shared }, async () => undefined);
    expect(existsSync(join(shared, CA_KEY_FILE))).toBe(true);
  });

  it('tightens the default folder, the mock\'s own, to 0700', async () => {
    const own = join(dir, 'cache', 'cortex-edr-mock', 'tls');
    mkdirSync(own, { recursive: true });
    chmodSync(own, 0o755);
    expect(prepareTlsDir(undefined, '--tls-dir', 'linux', { XDG_CACHE_HOME: join(dir, 'cache') })).toBe(own);
    expect(statSync(own).mode & 0o777).toBe(0o700);
  });

  it('defaults to the user\'s cache directory on each platform', () => {
    expect(defaultTlsDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/u')).toBe('/x/cache/cortex-edr-mock/tls');
    expect(defaultTlsDir({}, 'linux', '/home/u')).toBe('/home/u/.cache/cortex-edr-mock/tls');
    expect(defaultTlsDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches/cortex-edr-mock/tls');
    expect(defaultTlsDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u')).toContain(join('C:\\Users\\u\\AppData\\Local', 'cortex-edr-mock', 'tls'));
  });
});

describe('your own certificate (tlsCert, tlsKey)', () => {
  it('serves it', async () => {
    const local = await loadLocalCa(join(dir, 'other'), Date.now());
    writeFileSync(join(dir, 'cert.pem'), local.leaf.certPem);
    writeFileSync(join(dir, 'key.pem'), local.leaf.keyPem);
    await withTls({ tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') }, async (running) => {
      expect(running.ca).toBeUndefined();
      const res = await httpsGet(`${running.baseUrl}/whoami`, { ca: local.ca.certPem, headers: bearer(KEYS.read) });
      expect('error' in res ? res.error : res.status).toBe(200);
    });
  });

  it('stops start-up naming the flag when a file does not load or the key is not the certificate\'s', async () => {
    const a = await loadLocalCa(join(dir, 'a'), Date.now());
    const b = await loadLocalCa(join(dir, 'b'), Date.now());
    writeFileSync(join(dir, 'cert.pem'), a.leaf.certPem);
    writeFileSync(join(dir, 'other-key.pem'), b.leaf.keyPem);
    writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
    const start = (tlsCert: string, tlsKey: string) => startMockServer({ ...quiet, tlsCert: join(dir, tlsCert), tlsKey: join(dir, tlsKey) });
    await expect(start('junk.pem', 'other-key.pem')).rejects.toThrow(/^--tls-cert .*junk\.pem is not a PEM certificate/);
    await expect(start('cert.pem', 'junk.pem')).rejects.toThrow(/^--tls-key .*junk\.pem is not a PEM private key/);
    await expect(start('cert.pem', 'missing.pem')).rejects.toThrow(/^--tls-key .*missing\.pem: cannot read it \(ENOENT\)/);
    await expect(start('cert.pem', 'other-key.pem')).rejects.toThrow(/^--tls-key .*other-key\.pem is not the private key of --tls-cert/);
  });
});

describe('GET /_mock/tls without TLS', () => {
  it('answers 404: the mock serves plain HTTP', async () => {
    const running = await startMockServer(quiet);
    try {
      const res = await fetch(`${running.url}/_mock/tls`);
      const body = (await res.json()) as { error: { details: unknown } };
      expect(controlProblems('getTls', { status: res.status, body })).toEqual([]);
      expect(res.status).toBe(404);
      expect(body.error.details).toEqual({ resource: 'tls' });
    } finally {
      await running.close();
    }
  });
});

describe('closing a TLS mock', () => {
  it('ends connections that have sent nothing yet, or are mid-handshake, instead of waiting for them', async () => {
    const running = await startMockServer({ ...quiet, tls: true, tlsDir: dir, headersTimeoutSeconds: 3600, requestTimeoutSeconds: 3600 });
    const { connect } = await import('node:net');
    const silent = connect(running.port, '127.0.0.1');
    // A ClientHello's first bytes, never finished.
    const halfHandshake = connect(running.port, '127.0.0.1', () => halfHandshake.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x40])));
    await Promise.all([silent, halfHandshake].map((s) => new Promise((r) => s.once('connect', r))));
    const closed = Promise.all([silent, halfHandshake].map((s) => new Promise((r) => s.once('close', r))));
    silent.on('error', () => undefined);
    halfHandshake.on('error', () => undefined);
    // With an hour of timeouts, close() resolves only if it ends them itself.
    await running.close();
    await closed;
    expect(running.listener.listening).toBe(false);
  });
});
