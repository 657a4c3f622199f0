// How a configured secret is kept and told apart: its SHA-256 (the only form the mock holds
// of a key it did not print), and its mode, by the spec's prefix for live keys.
import { createHash } from 'node:crypto';

export type KeyMode = 'test' | 'live';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A secret's mode, by the spec's prefix for live keys (ApiKeySecret's x-cortex-key-modes). */
export function modeOf(secret: string, keyModes: { live: string }): KeyMode {
  return secret.startsWith(keyModes.live) ? 'live' : 'test';
}
