// Request signing (RFC 9421), against a server with a key that requires it: the key of
// CORTEX_SIGNING_API_KEY (or, given only a signing secret, the read key CORTEX_API_KEY)
// with CORTEX_SIGNING_SECRET (hmac-sha256) or CORTEX_SIGNING_KEY_FILE (ed25519); the mock
// targets make such a key themselves. The transport signs that key's requests, and this
// suite checks that a signed request passes and the refusals: unsigned is 401
// signature_missing, a tampered signature signature_invalid, a stale `created`
// signature_expired, each with the error shape, the challenge and Accept-Signature. The key
// id is CORTEX_SIGNING_KEY_ID, or the one the server's Accept-Signature names. Skipped, and
// saying why, without a signing key, or against a target that does not check signatures.
import { expectAuthError, fail } from '../lib/checks';
import type { Harness, Precondition } from '../lib/harness';
import { keyIdFromWhoami } from '../lib/signing';

/** How far back a stale signature is dated: past any tolerance a server would allow (RFC 9421 section 7.2.2). */
const STALE_SECONDS = 3600;

/** The conduct rules of the mock's report this suite breaks by design (docs/harness.md#the-conduct-report). */
export const conductBreaks = {
  retried_auth_error: 'it sends GET /whoami once with each kind of bad signature (missing, tampered, stale), each a 401 by design',
};

export function register(h: Harness): void {
  const { call, can, itWhen, settings } = h;
  const signing = settings.signing;
  const given: Precondition = [signing !== undefined, 'no signing key: set CORTEX_SIGNING_API_KEY with CORTEX_SIGNING_SECRET (hmac-sha256, base64) or CORTEX_SIGNING_KEY_FILE (ed25519, PEM)', 'not-asked'];
  const keyGiven: Precondition = signing && !signing.apiKey ? [false, `${signing.keyVar} is not set`, 'missing-key', signing.keyVar] : [true, ''];
  const key = signing?.apiKey;
  const op = h.operation('getWhoami');

  /**
   * One unsigned request first: its answer tells the server's time (Date, which the signer
   * signs by: the mock's clock may have moved) and, when it was not given, the key id.
   */
  async function sync(): Promise<void> {
    const res = await call(op, { key, auth: 'unsigned', sign: false, unchecked: true });
    if (!signing) return;
    signing.keyId ??= keyIdFromWhoami(res);
    if (!signing.keyId) fail('signing', op, res, 'the key id is unknown: set CORTEX_SIGNING_KEY_ID, or have the server name it in Accept-Signature');
  }

  h.describe('request signing (RFC 9421)', () => {
    const when = itWhen([can('signing'), given, keyGiven]);

    when('answers 200 to a signed request', async () => {
      await sync();
      await call(op, { key, auth: 'signed', expect: { status: 200, why: 'a request signed with the key' } });
    });

    when('answers 401 signature_missing to an unsigned request, with Accept-Signature', async () => {
      await sync();
      const res = await call(op, { key, auth: 'unsigned', sign: false, expect: { status: 401, why: 'the key requires signed requests' } });
      expectAuthError(op, res, { status: 401, reason: 'signature_missing', presented: true });
      if (!res.headers['accept-signature']) fail('accept-signature', op, res, 'a refused unsigned request needs Accept-Signature (RFC 9421 section 5.1) saying what to sign');
    });

    when('answers 401 signature_invalid to a tampered signature', async () => {
      await sync();
      const res = await call(op, { key, auth: 'tampered', sign: { tamper: true }, expect: { status: 401, why: 'one bit of the signature flipped' } });
      expectAuthError(op, res, { status: 401, reason: 'signature_invalid', presented: true });
    });

    when(`answers 401 signature_expired to a signature created ${STALE_SECONDS} s ago`, async () => {
      await sync();
      const res = await call(op, { key, auth: 'stale', sign: { ageSeconds: STALE_SECONDS }, expect: { status: 401, why: `created ${STALE_SECONDS} s before the server's time` } });
      expectAuthError(op, res, { status: 401, reason: 'signature_expired', presented: true });
    });
  });
}
