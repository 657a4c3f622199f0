// How a secret is kept and told apart: its SHA-256 (the only form the mock holds of a key
// it did not print), and its mode, by the spec's prefix for live keys. The key store and
// the config file's checks (config/config.ts) both use them.
import { createHash } from 'node:crypto';

export type KeyMode = 'test' | 'live';

/** Where new secrets come from (the run's IdGenerator: crypto, never the seed). */
export interface SecretSource {
  /** A new secret of this mode, under the spec's prefix for it. */
  secret(mode: KeyMode): string;
}

/** A secret's SHA-256, in hex: how the key store holds and looks it up. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A secret's mode, by the spec's prefix for live keys (ApiKeySecret's x-cortex-key-modes). */
export function modeOf(secret: string, keyModes: { live: string }): KeyMode {
  return secret.startsWith(keyModes.live) ? 'live' : 'test';
}
