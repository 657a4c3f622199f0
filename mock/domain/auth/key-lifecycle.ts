// The rules of rotating and revoking a key, shared by the API (/v1/api-keys) and the
// control API (the dashboard): only an active key can be rotated, a key is revoked once.
import { ApiError } from '../../errors/api-error';
import type { KeyRecord, KeyStore } from './key-store';
import type { SecretSource } from './secrets';

/** Gives `key` a new secret (returned); the old one works until `previousValidUntil`. */
export function rotateKey(keys: KeyStore, ids: SecretSource, key: KeyRecord, now: number, previousValidUntil: number): string {
  const status = keys.status(key, now);
  if (status !== 'active') {
    throw ApiError.conflict(`The key is ${status}: only an active key can be rotated`, { reason: status === 'revoked' ? 'key_revoked' : 'key_expired', resource: 'api_key', id: key.id });
  }
  const secret = ids.secret(key.mode);
  keys.rotate(key.id, secret, previousValidUntil, now);
  return secret;
}

export function revokeKey(keys: KeyStore, key: KeyRecord): void {
  if (key.revoked) throw ApiError.conflict('The key is already revoked', { reason: 'key_revoked', resource: 'api_key', id: key.id });
  keys.revoke(key.id);
}

/** A key's state as the mock treats it now: a live key it refuses is 'refused', whatever its own state. */
export function mockKeyState(key: KeyRecord, store: KeyStore, now: number, allowLiveKeys: boolean): 'active' | 'expired' | 'revoked' | 'refused' {
  const state = store.status(key, now);
  return state === 'active' && key.mode === 'live' && !allowLiveKeys ? 'refused' : state;
}
