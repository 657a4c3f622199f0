// A cross-check of the mock's own signature base against http-message-signatures 1.0.6 (a
// devDependency, aligned with draft 13): over the RFC 9421 test-request both give the same
// component lines, and the library verifies B.2.5 and B.2.6 as the mock does. The library
// is not used by the mock: it lets a component be listed twice, which RFC 9421 section 2.5
// forbids and the mock refuses.
import { createPublicKey } from 'node:crypto';
import { createVerifier, httpbis } from 'http-message-signatures';
import { parseDictionary } from '../../mock/domain/auth/signing/structured-fields';
import { signatureBase } from '../../mock/domain/auth/signing/signature-base';
import { TEST_KEY_ED25519_PUBLIC, TEST_REQUEST, TEST_SHARED_SECRET, VECTORS } from './rfc9421-vectors';

const libraryRequest = { method: TEST_REQUEST.method, url: TEST_REQUEST.targetUri, headers: Object.fromEntries(Object.entries(TEST_REQUEST.fields).map(([k, v]) => [k, v[0]])) };

describe('the signature base, cross-checked with http-message-signatures 1.0.6', () => {
  it.each(VECTORS.filter((v) => !v.response && v.section !== 'B.2.1').map((v) => [v.section, v] as const))('gives the component lines of %s as the library does', (_s, v) => {
    const member = parseDictionary(v.signatureInput).get(v.label) as Parameters<typeof signatureBase>[0];
    const ours = signatureBase(member, TEST_REQUEST);
    if (!ours.ok) throw new Error(`no base for ${v.section}`);
    const fields = member[0].map(([name, params]) => (params.size ? `${String(name)};${[...params].map(([k, val]) => `${k}="${String(val)}"`).join(';')}` : String(name)));
    const theirs = httpbis.formatSignatureBase(httpbis.createSignatureBase({ fields }, libraryRequest));
    expect(ours.base.split('\n').slice(0, -1).join('\n')).toBe(theirs);
  });

  it('verifies B.2.5 (hmac-sha256) and B.2.6 (ed25519) with the library too', async () => {
    const withSignature = (section: string) => {
      const v = VECTORS.find((x) => x.section === section)!;
      return { ...libraryRequest, headers: { ...libraryRequest.headers, 'signature-input': v.signatureInput, signature: `${v.label}=:${v.signature}:` } };
    };
    const hmac = await httpbis.verifyMessage(
      { keyLookup: async () => ({ id: 'test-shared-secret', algs: ['hmac-sha256'], verify: createVerifier(Buffer.from(TEST_SHARED_SECRET, 'base64'), 'hmac-sha256') }), tolerance: 1e12 },
      withSignature('B.2.5'),
    );
    const ed = await httpbis.verifyMessage(
      { keyLookup: async () => ({ id: 'test-key-ed25519', algs: ['ed25519'], verify: createVerifier(createPublicKey(TEST_KEY_ED25519_PUBLIC), 'ed25519') }), tolerance: 1e12 },
      withSignature('B.2.6'),
    );
    expect([hmac, ed]).toEqual([true, true]);
  });
});
