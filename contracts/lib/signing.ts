// Signs a request as RFC 9421 asks of a CortexEDR key that requires signing: Signature-Input
// and Signature over @method, @target-uri and authorization (and content-digest, RFC 9530,
// when there is a body), with keyid, created and a fresh nonce. HMAC-SHA256 or Ed25519.
// Black box: it builds the base from the request it sends, never from the mock's code.
import { createHash, createHmac, randomUUID, sign } from 'node:crypto';

export type SigningKey = { keyId: string; alg: 'hmac-sha256'; secret: string } | { keyId: string; alg: 'ed25519'; privateKeyPem: string };

export interface SignOptions {
  /** Seconds since the epoch; the signer's clock by default. */
  created?: number;
  nonce?: string;
  components?: string[];
}

/** RFC 9530: `sha-256=:base64:` of `body`. */
export function contentDigestOf(body: string | Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

/** The headers to add to a request (Content-Digest too, when it has a body). `headers` must hold Authorization. */
export function signRequest(key: SigningKey, method: string, url: string, headers: Record<string, string>, body?: string, options: SignOptions = {}): Record<string, string> {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const added: Record<string, string> = {};
  if (body !== undefined && body !== '') added['Content-Digest'] = lower['content-digest'] = contentDigestOf(body);
  const components = options.components ?? ['@method', '@target-uri', 'authorization', ...(added['Content-Digest'] ? ['content-digest'] : [])];
  const created = options.created ?? Math.floor(Date.now() / 1000);
  const nonce = options.nonce ?? randomUUID();
  const params = `(${components.map((c) => `"${c}"`).join(' ')});created=${created};keyid="${key.keyId}";nonce="${nonce}";alg="${key.alg}"`;
  const value = (c: string) => (c === '@method' ? method.toUpperCase() : c === '@target-uri' ? url : (lower[c] ?? '').trim());
  const base = [...components.map((c) => `"${c}": ${value(c)}`), `"@signature-params": ${params}`].join('\n');
  const signature =
    key.alg === 'hmac-sha256' ? createHmac('sha256', Buffer.from(key.secret, 'base64')).update(base).digest('base64') : sign(null, Buffer.from(base), key.privateKeyPem).toString('base64');
  return { ...added, 'Signature-Input': `sig1=${params}`, Signature: `sig1=:${signature}:` };
}

/** A signing key as the environment gives it; its key id may be learnt from the server (Accept-Signature, RFC 9421 section 5.1). */
export type SigningSettings = { keyId?: string; alg: 'hmac-sha256'; secret: string } | { keyId?: string; alg: 'ed25519'; privateKeyPem: string };

/** The environment variables of request signing, as docs/signing.md lists them. */
export const SIGNING_ENV = { secret: 'CORTEX_SIGNING_SECRET', keyFile: 'CORTEX_SIGNING_KEY_FILE', keyId: 'CORTEX_SIGNING_KEY_ID' } as const;

/** The signing key of CORTEX_SIGNING_SECRET (HMAC, base64) or CORTEX_SIGNING_KEY_FILE (an Ed25519 PEM private key), if either is set. */
export function signingFromEnv(env: NodeJS.ProcessEnv, readFile: (path: string) => string): SigningSettings | undefined {
  const keyId = env[SIGNING_ENV.keyId] || undefined;
  const secret = env[SIGNING_ENV.secret];
  if (secret) return { alg: 'hmac-sha256', secret, ...(keyId ? { keyId } : {}) };
  const file = env[SIGNING_ENV.keyFile];
  if (file) return { alg: 'ed25519', privateKeyPem: readFile(file), ...(keyId ? { keyId } : {}) };
  return undefined;
}

/** The key id an RFC 9421 Accept-Signature names (`keyid="key_..."`), if it names one. */
export function keyIdOf(acceptSignature: string | undefined): string | undefined {
  return /;keyid="([^"\\]+)"/.exec(acceptSignature ?? '')?.[1];
}

/**
 * The transport's signer (http.ts RequestSigner) for `signing`: every request with an
 * Authorization header is signed, with the key id once it is known; `tamper` flips a bit of
 * the signature, `created` backdates it.
 */
export function createSigner(signing: SigningSettings) {
  return (method: string, url: string, headers: Record<string, string>, body: string | undefined, how: { created?: number; tamper?: boolean }): Record<string, string> => {
    if (!signing.keyId || !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) return {};
    const key: SigningKey = signing.alg === 'hmac-sha256' ? { keyId: signing.keyId, alg: signing.alg, secret: signing.secret } : { keyId: signing.keyId, alg: signing.alg, privateKeyPem: signing.privateKeyPem };
    const signed = signRequest(key, method, url, headers, body, how.created !== undefined ? { created: how.created } : {});
    if (how.tamper) {
      const bytes = Buffer.from(/:([^:]*):/.exec(signed.Signature)![1], 'base64');
      bytes[0] ^= 1;
      signed.Signature = `sig1=:${bytes.toString('base64')}:`;
    }
    return signed;
  };
}
