// The rules of a key's life, shared by the API (/v1/api-keys) and the control API (the
// dashboard): a key is added only to an account with room and under a secret and an id of
// its own, only an active key can be rotated, a key is revoked once.
import type { SigningRequirement } from './signing/policy';
import { ApiError } from '../../errors/api-error';
import type { KeyRecord, KeyStore } from './key-store';
import { modeOf, type KeyMode, type SecretSource } from './secrets';

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

/** Where a new key's id (seeded) and secret (crypto) come from: the run's IdGenerator. */
export interface KeyIds extends SecretSource {
  next(kind: 'api_key'): string;
}

/** A key to add: an id and a secret are drawn when not given; the secret's prefix tells its mode. */
export interface NewKey {
  id?: string;
  accountId: string;
  name: string;
  permissions: readonly string[];
  secret?: string;
  /** The mode of a drawn secret (test by default). */
  mode?: KeyMode;
  expiresAt: number | null;
  revoked: boolean;
  /** Its requests must be signed (RFC 9421). */
  signing?: SigningRequirement;
}

/**
 * Adds a key to an account that has room for it (`keysPerAccount`, as POST /v1/api-keys
 * counts), with a secret no key has and an id no key has. The checks come before an id is
 * drawn from the seeded sequence, so a refused call leaves the next key's id as it would
 * have been. Returns the key and its secret, which the caller shows once. (POST /_mock/keys
 * adds keys by it; POST /v1/api-keys's handler still makes the same cap check itself.)
 */
export function addKey(keys: KeyStore, ids: KeyIds, input: NewKey, now: number, limits: { keysPerAccount: number; keyModes: { live: string } }): { key: KeyRecord; secret: string } {
  if (keys.keysOf(input.accountId).length >= limits.keysPerAccount) {
    throw ApiError.conflict(`The account has ${limits.keysPerAccount} API keys, the most this mock keeps`, { reason: 'limit_reached', resource: 'api_key' });
  }
  // A conflict names the key that holds the secret.
  const holder = input.secret === undefined ? undefined : keys.keyWithSecret(input.secret);
  if (holder !== undefined) throw ApiError.conflict(`The key ${holder} has that secret`, { reason: 'already_exists', resource: 'api_key', id: holder });
  if (input.id !== undefined && keys.getKey(input.id)) throw ApiError.conflict(`A key with id ${input.id} exists`, { reason: 'already_exists', resource: 'api_key', id: input.id });
  const id = input.id ?? ids.next('api_key');
  // A drawn id that a key added under its own id already took.
  if (input.id === undefined && keys.getKey(id)) throw ApiError.conflict(`A key with id ${id} exists`, { reason: 'already_exists', resource: 'api_key', id });
  // A generated secret comes from crypto (never one a key has).
  const secret = input.secret ?? ids.secret(input.mode ?? 'test');
  const key: KeyRecord = {
    id,
    name: input.name,
    accountId: input.accountId,
    permissions: [...input.permissions],
    mode: modeOf(secret, limits.keyModes),
    createdAt: now,
    expiresAt: input.expiresAt,
    revoked: input.revoked,
    last4: secret.slice(-4),
    ...(input.signing ? { signing: { ...input.signing } } : {}),
  };
  keys.addKey(key, secret);
  return { key, secret };
}
