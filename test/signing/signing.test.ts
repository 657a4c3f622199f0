// Request signing (RFC 9421) on node:http: a key that requires signing is let in with a valid
// HMAC or Ed25519 signature, and each way a signature can fail is its own 401 reason, in the
// spec's error shape, with Accept-Signature saying what the mock expects.
import { generateKeyPairSync } from 'node:crypto';
import { contentDigestOf, signRequest, type SigningKey } from '../../contracts/lib/signing';
import { redactBase } from '../../mock/domain/auth/signing/verify';
import { withMockServer } from '../helpers/mock-server';
import { T0, T0_ISO } from '../helpers/fixtures';
import { specProblems, operation } from '../helpers/spec-check';

const HMAC_SECRET = Buffer.from('a shared secret of the signing test key').toString('base64');
const HMAC_KEY = 'sk_test_signedhmac_00000000000000001';
const ED_KEY = 'sk_test_signeded25519_000000000000002';
const ed = generateKeyPairSync('ed25519');
const ED_PUBLIC = ed.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ED_PRIVATE = ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const config = {
  clock: T0_ISO,
  keys: [
    { id: 'key_signed_hmac', name: 'signed hmac', secret: HMAC_KEY, account_id: 'acct_developer', permissions: ['admin' as const], signing: { alg: 'hmac-sha256' as const, secret: HMAC_SECRET } },
    { id: 'key_signed_ed', name: 'signed ed25519', secret: ED_KEY, account_id: 'acct_developer', permissions: ['admin' as const], signing: { alg: 'ed25519' as const, public_key: ED_PUBLIC } },
  ],
};
const hmac: SigningKey = { keyId: 'key_signed_hmac', alg: 'hmac-sha256', secret: HMAC_SECRET };
const edKey: SigningKey = { keyId: 'key_signed_ed', alg: 'ed25519', privateKeyPem: ED_PRIVATE };
const CREATED = Math.floor(T0 / 1000);

type Sent = { status: number; body: any; headers: Record<string, string> };

async function send(base: string, method: string, path: string, secret: string, sign: (url: string, headers: Record<string, string>, body?: string) => Record<string, string>, body?: string): Promise<Sent> {
  const url = `${base}${path}`;
  const headers: Record<string, string> = { Authorization: `Bearer ${secret}`, ...(body ? { 'Content-Type': 'application/json' } : {}) };
  const res = await fetch(url, { method, headers: { ...headers, ...sign(url, headers, body) }, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: Object.fromEntries(res.headers) };
}

const signedWith = (key: SigningKey, options: Parameters<typeof signRequest>[5] = {}) => (method: string) => (url: string, headers: Record<string, string>, body?: string) =>
  signRequest(key, method, url, headers, body, { created: CREATED, ...options });

function expectRefused(res: Sent, reason: string, op = 'listScans') {
  expect(res.status).toBe(401);
  expect(res.body.error.details.reason).toBe(reason);
  expect(specProblems(operation(op), res)).toEqual([]);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="cortex-edr", error="invalid_token"/);
  expect(res.headers['accept-signature']).toMatch(/^sig1=\("@method" "@target-uri" "authorization".*\);keyid="key_signed_/);
}

const SCAN = JSON.stringify({ target: 'ws-0142.corp.example', scan_type: 'quick' });

describe('request signing (RFC 9421) on node:http', () => {
  it('lets a valid HMAC-SHA256 signature in, and a valid Ed25519 one with a body and its Content-Digest', () =>
    withMockServer({ port: 0, config }, async ({ baseUrl }) => {
      const listed = await send(baseUrl, 'GET', '/scans', HMAC_KEY, signedWith(hmac)('GET'));
      expect(listed.status).toBe(200);
      expect(specProblems(operation('listScans'), listed)).toEqual([]);
      const created = await send(baseUrl, 'POST', '/scans', ED_KEY, signedWith(edKey)('POST'), SCAN);
      expect(created.status).toBe(201);
      expect(specProblems(operation('createScan'), created)).toEqual([]);
    }));

  it('answers each failure with its own reason', () =>
    withMockServer({ port: 0, config }, async ({ baseUrl }) => {
      const none = () => ({});
      expectRefused(await send(baseUrl, 'GET', '/scans', HMAC_KEY, none), 'signature_missing');
      expectRefused(await send(baseUrl, 'GET', '/scans', HMAC_KEY, () => ({ 'Signature-Input': 'sig1=(', Signature: 'sig1=:AA==:' })), 'signature_malformed');
      expectRefused(await send(baseUrl, 'GET', '/scans', HMAC_KEY, signedWith({ ...hmac, keyId: 'key_someone_else' })('GET')), 'signature_key_unknown');
      expectRefused(await send(baseUrl, 'GET', '/scans', ED_KEY, signedWith({ ...edKey, alg: 'hmac-sha256', secret: HMAC_SECRET } as SigningKey)('GET')), 'signature_algorithm');
      expectRefused(await send(baseUrl, 'GET', '/scans', HMAC_KEY, signedWith(hmac, { created: CREATED - 301 })('GET')), 'signature_expired');
      expectRefused(await send(baseUrl, 'GET', '/scans', HMAC_KEY, signedWith(hmac, { created: CREATED + 301 })('GET')), 'signature_expired');
      const once = signedWith(hmac, { nonce: 'the-same-nonce' })('GET');
      expect((await send(baseUrl, 'GET', '/scans', HMAC_KEY, once)).status).toBe(200);
      expectRefused(await send(baseUrl, 'GET', '/scans', HMAC_KEY, once), 'signature_replayed');
      const uncovered = await send(baseUrl, 'GET', '/scans', HMAC_KEY, signedWith(hmac, { components: ['@method', 'authorization'] })('GET'));
      expectRefused(uncovered, 'signature_components');
      expect(uncovered.body.error.details.missing_components).toEqual(['@target-uri']);
      expectRefused(await send(baseUrl, 'GET', '/scans', HMAC_KEY, signedWith(hmac, { components: ['@method', '@target-uri', '@method', 'authorization'] })('GET')), 'signature_malformed');
    }));

  it('answers signature_invalid with the base it computed, the key redacted', () =>
    withMockServer({ port: 0, config }, async ({ baseUrl }) => {
      const tampered = (url: string, headers: Record<string, string>) => signRequest(hmac, 'GET', url.replace('/scans', '/scans?limit=1'), headers, undefined, { created: CREATED });
      const res = await send(baseUrl, 'GET', '/scans', HMAC_KEY, tampered);
      expectRefused(res, 'signature_invalid');
      const base: string = res.body.error.details.signature_base;
      expect(base.split('\n')).toEqual([
        '"@method": GET',
        `"@target-uri": ${baseUrl}/scans`,
        '"authorization": [redacted]',
        expect.stringMatching(/^"@signature-params": \("@method" "@target-uri" "authorization"\);created=\d+;keyid="key_signed_hmac";nonce="[^"]+";alg="hmac-sha256"$/),
      ]);
      expect(JSON.stringify(res.body)).not.toContain(HMAC_KEY);
      expect(JSON.stringify(res.body)).not.toContain(HMAC_SECRET);
    }));

  it('asks a signing key in the URL (?api_key=) to cover authorization, and never echoes the key', () =>
    withMockServer({ port: 0, config }, async ({ baseUrl }) => {
      const url = `${baseUrl}/scans?api_key=${HMAC_KEY}`;
      const signed = signRequest(hmac, 'GET', `${url}&tampered=1`, {}, undefined, { created: CREATED, components: ['@method', '@target-uri'] });
      const res = await fetch(url, { headers: signed });
      const body = (await res.json()) as { error: { details: { reason: string; signature_base?: string; missing_components?: string[] } } };
      // authorization is not covered (the key came in the URL): signature_components first.
      expect(body.error.details).toEqual({ reason: 'signature_components', missing_components: ['authorization'] });
      expect(res.status).toBe(401);
      expect(specProblems(operation('listScans'), { status: res.status, body, headers: Object.fromEntries(res.headers) })).toEqual([]);
      // Were it in a base, the key would be taken out of every line, not only authorization's.
      expect(redactBase(`"@target-uri": ${url}\n"authorization": Bearer ${HMAC_KEY}`, HMAC_KEY)).toBe(`"@target-uri": ${baseUrl}/scans?api_key=[redacted]\n"authorization": [redacted]`);
    }));

  it('refuses a body whose Content-Digest does not match it, and a body sent without one (never the digest of nothing)', () =>
    withMockServer({ port: 0, config }, async ({ baseUrl }) => {
      const wrongDigest = (url: string, headers: Record<string, string>) => signRequest(hmac, 'POST', url, { ...headers, 'Content-Digest': contentDigestOf('{}') }, undefined, { created: CREATED, components: ['@method', '@target-uri', 'authorization', 'content-digest'] });
      const mismatched = await send(baseUrl, 'POST', '/scans', HMAC_KEY, (url, h) => ({ ...wrongDigest(url, h), 'Content-Digest': contentDigestOf('{}') }), SCAN);
      expectRefused(mismatched, 'digest_mismatch', 'createScan');
      // Signed as if there were no body: the body arrives with no Content-Digest at all.
      const undigested = await send(baseUrl, 'POST', '/scans', HMAC_KEY, (url, h) => signRequest(hmac, 'POST', url, h, undefined, { created: CREATED }), SCAN);
      expectRefused(undigested, 'signature_components', 'createScan');
      expect(undigested.body.error.details.missing_components).toEqual(['content-digest']);
    }));

  it('leaves keys without a signing requirement as they were', () =>
    withMockServer({ port: 0, config }, async ({ baseUrl }) => {
      const res = await send(baseUrl, 'GET', '/scans', 'sk_test_readonly_00000000000000000001', () => ({}));
      expect(res.status).toBe(200);
    }));
});
