// RFC 9421 Appendix B: the mock's own signature base (domain/auth/signing/signature-base.ts)
// rebuilds every request example's base byte for byte from the test-request, and the RFC's
// signatures verify over it with the B.1 keys; HMAC (B.2.5) and Ed25519 (B.2.6) are
// deterministic, so signing the base again gives the RFC's bytes exactly.
import { constants, createHmac, createPublicKey, sign, verify } from 'node:crypto';
import { parseDictionary } from '../../mock/domain/auth/signing/structured-fields';
import { signatureBase } from '../../mock/domain/auth/signing/signature-base';
import { ed25519Verifies, hmacSha256 } from '../../mock/domain/auth/signing/crypto';
import {
  TEST_KEY_ECC_P256_PUBLIC,
  TEST_KEY_ED25519_PRIVATE,
  TEST_KEY_ED25519_PUBLIC,
  TEST_KEY_RSA_PSS_PUBLIC,
  TEST_REQUEST,
  TEST_SHARED_SECRET,
  VECTORS,
  type Vector,
} from './rfc9421-vectors';

const memberOf = (v: Vector) => {
  const member = parseDictionary(v.signatureInput).get(v.label);
  if (!member || !Array.isArray(member[0])) throw new Error(`no inner list for ${v.label}`);
  return member as Parameters<typeof signatureBase>[0];
};

function rfcSignatureVerifies(v: Vector, base: string): boolean {
  const data = Buffer.from(base);
  const signature = Buffer.from(v.signature, 'base64');
  switch (v.alg) {
    case 'rsa-pss-sha512':
      return verify('sha512', data, { key: createPublicKey(TEST_KEY_RSA_PSS_PUBLIC), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }, signature);
    case 'ecdsa-p256-sha256':
      return verify('sha256', data, { key: createPublicKey(TEST_KEY_ECC_P256_PUBLIC), dsaEncoding: 'ieee-p1363' }, signature);
    case 'hmac-sha256':
      return Buffer.from(hmacSha256(Buffer.from(TEST_SHARED_SECRET, 'base64'), data)).equals(signature);
    case 'ed25519':
      return ed25519Verifies(TEST_KEY_ED25519_PUBLIC, data, signature);
  }
}

describe('RFC 9421 Appendix B test vectors', () => {
  it.each(VECTORS.filter((v) => !v.response).map((v) => [v.section, v] as const))('rebuilds the signature base of %s from the test-request', (_section, v) => {
    const built = signatureBase(memberOf(v), TEST_REQUEST);
    expect(built).toMatchObject({ ok: true, base: v.base });
  });

  it.each(VECTORS.map((v) => [v.section, v] as const))("verifies the RFC's signature of %s over its base with the B.1 key", (_section, v) => {
    expect(rfcSignatureVerifies(v, v.base)).toBe(true);
    // A test that can fail: one byte more and nothing verifies.
    expect(rfcSignatureVerifies(v, `${v.base} `)).toBe(false);
  });

  it('signs B.2.5 (hmac-sha256) to the RFC bytes exactly', () => {
    const mac = createHmac('sha256', Buffer.from(TEST_SHARED_SECRET, 'base64')).update(VECTORS[4].base).digest('base64');
    expect(mac).toBe('pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=');
  });

  it('signs B.2.6 (ed25519) to the RFC bytes exactly', () => {
    const v = VECTORS[5];
    expect(sign(null, Buffer.from(v.base), TEST_KEY_ED25519_PRIVATE).toString('base64')).toBe(v.signature);
  });

  it('refuses repeated component identifiers (RFC 9421 section 2.5)', () => {
    const member = parseDictionary('s=("@method" "date" "@method");created=1').get('s') as Parameters<typeof signatureBase>[0];
    expect(signatureBase(member, TEST_REQUEST)).toEqual({ ok: false, problem: 'repeated', component: '"@method"' });
  });

  it('refuses a covered field the request lacks instead of signing it as empty', () => {
    const member = parseDictionary('s=("@method" "content-digest");created=1').get('s') as Parameters<typeof signatureBase>[0];
    const { 'content-digest': _gone, ...fields } = TEST_REQUEST.fields;
    expect(signatureBase(member, { ...TEST_REQUEST, fields })).toEqual({ ok: false, problem: 'absent', component: '"content-digest"' });
  });
});
