// Request signing (RFC 9421), against a server whose read key (CORTEX_API_KEY) requires it:
// given CORTEX_SIGNING_SECRET (hmac-sha256) or CORTEX_SIGNING_KEY_FILE (ed25519), every
// request of the run is signed (the transport's signer), and this suite checks the
// refusals: unsigned is 401 signature_missing, a tampered signature signature_invalid, a
// stale `created` signature_expired, each with the error shape, the challenge and
// Accept-Signature. The key id is CORTEX_SIGNING_KEY_ID, or the one the server's
// Accept-Signature names. Skipped, and saying why, without a signing key.
import { expectAuthError, fail } from '../lib/checks';
import type { Harness, Precondition } from '../lib/harness';
import { keyIdOf } from '../lib/signing';

/** How far back a stale signature is dated: past any tolerance a server would allow (RFC 9421 section 7.2.2). */
const STALE_SECONDS = 3600;

export function register(h: Harness): void {
  const { call, itWhen, keyMissing, keyOf, settings } = h;
  const signing = settings.signing;
  const given: Precondition = [signing !== undefined, 'no signing key: set CORTEX_SIGNING_SECRET (hmac-sha256, base64) or CORTEX_SIGNING_KEY_FILE (ed25519, PEM)', 'not-asked'];
  const op = h.operation('getWhoami');

  /** Learns the key id from the server when it was not given: an unsigned request's Accept-Signature names it. */
  async function ensureKeyId(): Promise<void> {
    if (!signing || signing.keyId) return;
    const res = await call(op, { key: keyOf('read'), auth: 'unsigned', sign: false, unchecked: true });
    signing.keyId = keyIdOf(res.headers['accept-signature']) ?? (res.status === 200 ? (res.body as { id?: string }).id : undefined);
    if (!signing.keyId) fail('signing', op, res, 'the key id is unknown: set CORTEX_SIGNING_KEY_ID, or have the server name it in Accept-Signature');
  }

  h.describe('request signing (RFC 9421)', () => {
    const when = itWhen([given, keyMissing('read')]);

    when('answers 200 to a signed request', async () => {
      await ensureKeyId();
      await call(op, { key: keyOf('read'), auth: 'signed', expect: { status: 200, why: 'a request signed with the key' } });
    });

    when('answers 401 signature_missing to an unsigned request, with Accept-Signature', async () => {
      await ensureKeyId();
      const res = await call(op, { key: keyOf('read'), auth: 'unsigned', sign: false, expect: { status: 401, why: 'the key requires signed requests' } });
      expectAuthError(op, res, { status: 401, reason: 'signature_missing', presented: true });
      if (!res.headers['accept-signature']) fail('accept-signature', op, res, 'a refused unsigned request needs Accept-Signature (RFC 9421 section 5.1) saying what to sign');
    });

    when('answers 401 signature_invalid to a tampered signature', async () => {
      await ensureKeyId();
      const res = await call(op, { key: keyOf('read'), auth: 'tampered', sign: { tamper: true }, expect: { status: 401, why: 'one bit of the signature flipped' } });
      expectAuthError(op, res, { status: 401, reason: 'signature_invalid', presented: true });
    });

    when(`answers 401 signature_expired to a signature created ${STALE_SECONDS} s ago`, async () => {
      await ensureKeyId();
      const created = Math.floor(Date.now() / 1000) - STALE_SECONDS;
      const res = await call(op, { key: keyOf('read'), auth: 'stale', sign: { created }, expect: { status: 401, why: `created ${STALE_SECONDS} s before now` } });
      expectAuthError(op, res, { status: 401, reason: 'signature_expired', presented: true });
    });
  });
}
