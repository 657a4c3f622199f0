// How a secret is kept and told apart: its SHA-256 (the only form the mock holds of a key
// it did not print), and its mode, by the spec's prefix for live keys. The key store and
// the config file's checks (config/config.ts) both use them.
import { hash } from 'node:crypto';

export type KeyMode = 'test' | 'live';

/** Where new secrets come from (the run's IdGenerator: crypto, never the seed). */
export interface SecretSource {
  /** A new secret of this mode, under the spec's prefix for it. */
  secret(mode: KeyMode): string;
}

/** A secret's SHA-256, in hex: how the key store holds and looks it up. */
export function hashSecret(secret: string): string {
  // One call, no Hash object: it runs on every request with a key.
  return hash('sha256', secret, 'hex');
}

/**
 * A secret known only by its hash and last four characters, in the place of the secret: how a
 * mutation replayed from a shared log (mock/store/) adds or rotates a key another instance
 * drew, so the log never holds a secret. It keeps the mode's prefix (modeOf reads it) and ends
 * with the last four (a key's last4); a NUL can never be part of a presented key.
 */
export function sealSecret(secret: string, keyModes: { test: string; live: string }): string {
  return sealed(keyModes[modeOf(secret, keyModes)], hashSecret(secret), secret.slice(-4));
}

/** A sealed secret from its parts (see sealSecret). */
export function sealed(prefix: string, sha256: string, last4: string): string {
  return `${prefix}\u0000${sha256}\u0000${last4}`;
}

/** The hash the key store keeps for a secret: a sealed secret's own, else its SHA-256. */
export function storedHashOf(secret: string): string {
  const parts = secret.split('\u0000');
  return parts.length === 3 ? parts[1] : hashSecret(secret);
}

/** A secret's mode, by the spec's prefix for live keys (ApiKeySecret's x-cortex-key-modes). */
export function modeOf(secret: string, keyModes: { live: string }): KeyMode {
  return secret.startsWith(keyModes.live) ? 'live' : 'test';
}
