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
