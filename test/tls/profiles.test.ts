// --tls-profiles: one port per bad-certificate profile, each serving the same API. A client
// that validates against the mock's CA gets exactly the profile's expected_error; with
// rejectUnauthorized: false the same port answers 200, so the profile is wrong only in its
// certificate.
import { mkdtempSync, rmSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockServer, type RunningMock } from '../../mock/server';
import { readSpecFile, CONTROL_SPEC_PATH } from '../../lib/openapi/load-spec';
import { expectResponse } from '../helpers/expect-response';
import { KEYS, bearer } from '../helpers/fixtures';
import { httpsGet } from '../helpers/https';
import { controlProblems } from '../helpers/spec-check';

jest.setTimeout(90_000);

const PROFILES = readSpecFile(CONTROL_SPEC_PATH)['x-cortex-tls-profiles'] as Array<{ name: string; expected_error: string }>;

let dir: string;
let running: RunningMock;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cortex-tls-profiles-'));
  running = await startMockServer({ config: { log_level: 'silent' }, tls: true, tlsProfiles: true, tlsDir: dir });
});
afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The certificates a port sends, leaf first. */
function chainOf(url: string): Promise<X509Certificate[]> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port), rejectUnauthorized: false }, () => {
      const out: X509Certificate[] = [];
      // getPeerCertificate(true) walks issuerCertificate up to a self-signed one, which is its own issuer.
      let detailed = socket.getPeerCertificate(true);
      const seen = new Set<string>();
      while (detailed?.raw && !seen.has(detailed.fingerprint256)) {
        seen.add(detailed.fingerprint256);
        out.push(new X509Certificate(detailed.raw));
        detailed = detailed.issuerCertificate;
      }
      socket.end();
      resolve(out);
    });
    socket.on('error', reject);
  });
}

it('lists every profile of control.yaml, each on a port of its own, in GET /_mock/tls', async () => {
  expect(running.profiles!.map((p) => [p.name, p.expected_error])).toEqual(PROFILES.map((p) => [p.name, p.expected_error]));
  const ports = new Set([running.port, ...running.profiles!.map((p) => Number(new URL(p.url).port))]);
  expect(ports.size).toBe(PROFILES.length + 1);
  const res = await httpsGet(`${running.url}/_mock/tls`, { ca: running.ca });
  if ('error' in res) throw new Error(res.error);
  expect(controlProblems('getTls', res)).toEqual([]);
  expect(res.body).toEqual({ ca_pem: running.ca, profiles: running.profiles });
});

it.each(PROFILES.map((p) => [p.name, p.expected_error]))('%s: a client given the mock\'s CA refuses it with %s, and the port answers 200 when not validated', async (name, expected) => {
  const profile = running.profiles!.find((p) => p.name === name)!;
  const refused = await httpsGet(`${profile.url}/v1/whoami`, { ca: running.ca, headers: bearer(KEYS.read) });
  expect(refused).toEqual({ error: expected });
  const answered = await httpsGet(`${profile.url}/v1/whoami`, { rejectUnauthorized: false, headers: bearer(KEYS.read) });
  if ('error' in answered) throw new Error(answered.error);
  expectResponse(answered, 200, 'getWhoami');
});

it('makes every profile certificate with ECDSA P-256 keys and no SHA-1 signature', async () => {
  const sha1 = [Buffer.from('06072a8648ce3d0401', 'hex'), Buffer.from('06092a864886f70d010105', 'hex')];
  const ecdsaSha256 = Buffer.from('06082a8648ce3d040302', 'hex');
  for (const profile of running.profiles!) {
    const chain = await chainOf(profile.url);
    expect(chain.length).toBeGreaterThan(0);
    for (const cert of chain) {
      expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      expect(cert.raw.indexOf(ecdsaSha256)).toBeGreaterThan(-1);
      for (const oid of sha1) expect(cert.raw.indexOf(oid)).toBe(-1);
    }
  }
});

it('sends the incomplete chain\'s leaf without its intermediate, and the unknown CA\'s leaf with its root', async () => {
  const ca = new X509Certificate(running.ca!);
  const incomplete = await chainOf(running.profiles!.find((p) => p.name === 'incomplete_chain')!.url);
  expect(incomplete).toHaveLength(1);
  expect(incomplete[0].issuer).toMatch(/intermediate/);
  const unknown = await chainOf(running.profiles!.find((p) => p.name === 'unknown_ca')!.url);
  expect(unknown.map((c) => c.checkIssued(ca))).toEqual(unknown.map(() => false));
  expect(unknown).toHaveLength(2);
  expect(unknown[1].subject).toMatch(/unknown CA/);
  expect(unknown[0].checkIssued(unknown[1])).toBe(true);
});
