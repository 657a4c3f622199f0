// Signs a request as RFC 9421 asks of a CortexEDR key that requires signing: Signature-Input
// and Signature over @method, @target-uri and authorization (and content-digest, RFC 9530,
// when there is a body), with keyid, created and a fresh nonce. HMAC-SHA256 or Ed25519.
// Black box: it builds the base from the request it sends, never from the mock's code.
import { createHash, createHmac, randomUUID, sign } from 'node:crypto';
import type { RequestSigner } from './http';

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

/** The secret a signature is made with: an HMAC secret (base64) or an Ed25519 private key (PEM). */
export type SigningSecret = { alg: 'hmac-sha256'; secret: string } | { alg: 'ed25519'; privateKeyPem: string };

/**
 * A key that requires signing, and how to sign for it. The key is CORTEX_SIGNING_API_KEY's:
 * a role of its own, so only its requests are signed and the rest of a run is unchanged;
 * given only a signing secret, it is the read key (CORTEX_API_KEY), as before that variable.
 * The key id may be learnt from the server (Accept-Signature, RFC 9421 section 5.1).
 */
export type SigningSettings = SigningSecret & {
  /** The API key whose requests are signed; undefined when `keyVar` is not set. */
  apiKey?: string;
  /** The variable that gives `apiKey`, for messages. */
  keyVar: string;
  keyId?: string;
};

/** The environment variables of request signing, as docs/signing.md lists them. */
export const SIGNING_ENV = { apiKey: 'CORTEX_SIGNING_API_KEY', secret: 'CORTEX_SIGNING_SECRET', keyFile: 'CORTEX_SIGNING_KEY_FILE', keyId: 'CORTEX_SIGNING_KEY_ID' } as const;

/**
 * The signing settings of CORTEX_SIGNING_SECRET (HMAC, base64) or CORTEX_SIGNING_KEY_FILE
 * (an Ed25519 PEM private key), if either is set, for the key of CORTEX_SIGNING_API_KEY, or
 * else the read key of `readKeyVar`.
 */
export function signingFromEnv(env: NodeJS.ProcessEnv, readFile: (path: string) => string, readKeyVar = 'CORTEX_API_KEY'): SigningSettings | undefined {
  const keyVar = env[SIGNING_ENV.apiKey] ? SIGNING_ENV.apiKey : readKeyVar;
  const key = { keyVar, ...(env[keyVar] ? { apiKey: env[keyVar] } : {}), ...(env[SIGNING_ENV.keyId] ? { keyId: env[SIGNING_ENV.keyId] } : {}) };
  const secret = env[SIGNING_ENV.secret];
  if (secret) return { alg: 'hmac-sha256', secret, ...key };
  const file = env[SIGNING_ENV.keyFile];
  if (file) return { alg: 'ed25519', privateKeyPem: readFile(file), ...key };
  return undefined;
}

/** What the run must never print of `signing`: the API key, and the HMAC secret or the private key's base64 lines. */
export function signingSecrets(signing: SigningSettings | undefined): string[] {
  if (!signing) return [];
  const material = signing.alg === 'hmac-sha256' ? [signing.secret] : signing.privateKeyPem.split(/\r?\n/).filter((line) => line && !line.startsWith('-----'));
  return [...(signing.apiKey ? [signing.apiKey] : []), ...material];
}

/** The key id an RFC 9421 Accept-Signature names (`keyid="key_..."`), if it names one. */
export function keyIdOf(acceptSignature: string | undefined): string | undefined {
  return /;keyid="([^"\\]+)"/.exec(acceptSignature ?? '')?.[1];
}

/** The key id an unsigned GET /whoami with the signing key tells: the one its Accept-Signature names, else (a 200) the body's id. */
export function keyIdFromWhoami(res: { status: number; headers: Record<string, string>; body: unknown }): string | undefined {
  const id = res.status === 200 ? (res.body as { id?: unknown } | undefined)?.id : undefined;
  return keyIdOf(res.headers['accept-signature']) ?? (typeof id === 'string' ? id : undefined);
}

/** Whether `headers` present `apiKey` as `Authorization: Bearer` (the scheme name is case-insensitive, RFC 7235 section 2.1). */
function presents(headers: Record<string, string>, apiKey: string | undefined): boolean {
  if (!apiKey) return false;
  return Object.entries(headers).some(([name, value]) => name.toLowerCase() === 'authorization' && /^bearer\s+(\S+)$/i.exec(value.trim())?.[1] === apiKey);
}

/**
 * The transport's signer (http.ts RequestSigner) for `signing`: only requests that present
 * its API key in `Authorization: Bearer` are signed, with the key id once it is known.
 * `created` is the server's time, as the Date of its last answer to that key said (RFC 9110
 * section 6.6.1) moved on by the time passed since: a signature is checked against the
 * server's clock, and a mock's may be set anywhere. `ageSeconds` backdates a signature,
 * `tamper` flips a bit of it.
 */
export function createSigner(signing: SigningSettings, now: () => number = Date.now): RequestSigner {
  let offsetMs = 0;
  return {
    sign(method, url, headers, body, how) {
      if (!signing.keyId || !presents(headers, signing.apiKey)) return {};
      const key: SigningKey = signing.alg === 'hmac-sha256' ? { keyId: signing.keyId, alg: signing.alg, secret: signing.secret } : { keyId: signing.keyId, alg: signing.alg, privateKeyPem: signing.privateKeyPem };
      const created = Math.floor((now() + offsetMs) / 1000) - (how.ageSeconds ?? 0);
      const signed = signRequest(key, method, url, headers, body, { created });
      if (how.tamper) {
        const bytes = Buffer.from(/:([^:]*):/.exec(signed.Signature)![1], 'base64');
        bytes[0] ^= 1;
        signed.Signature = `sig1=:${bytes.toString('base64')}:`;
      }
      return signed;
    },
    observe(requestHeaders, response) {
      if (!presents(requestHeaders, signing.apiKey)) return;
      const date = Date.parse(response.headers.date ?? '');
      if (Number.isFinite(date)) offsetMs = date - now();
      signing.keyId ??= keyIdOf(response.headers['accept-signature']);
    },
  };
}
