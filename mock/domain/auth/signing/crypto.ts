// The cryptography of request signing, behind three functions: HMAC-SHA256 (RFC 9421 section
// 3.3.3), Ed25519 verification (section 3.3.6) and the digests of Content-Digest (RFC 9530).
// node:crypto here; the browser build of the MSW handlers swaps in mock/browser/crypto.ts,
// which has HMAC-SHA256 and SHA-256 only (Web Crypto's are asynchronous): there an Ed25519
// key or a sha-512 digest is refused, never crashed on.
import { createHash, createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';

/** HMAC-SHA256 of `data` with `key`. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return createHmac('sha256', key).update(data).digest();
}

/** Compares two MACs in time that depends only on their length. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether `signature` is an Ed25519 signature of `data` by the key in `publicKeyPem`; false for a key that is not Ed25519. */
export function ed25519Verifies(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}

/** Whether `pem` is an Ed25519 public key (SPKI PEM); false in the browser build, which has no Ed25519. */
export function isEd25519PublicKey(pem: string): boolean {
  try {
    return createPublicKey(pem).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}

/** The digest of `bytes` by an RFC 9530 algorithm name (`sha-256`, `sha-512`); undefined when this build cannot compute it. */
export function contentDigest(algorithm: string, bytes: Uint8Array): Uint8Array | undefined {
  const name = algorithm === 'sha-256' ? 'sha256' : algorithm === 'sha-512' ? 'sha512' : undefined;
  if (!name) return undefined;
  try {
    return createHash(name).update(bytes).digest();
  } catch {
    return undefined;
  }
}
