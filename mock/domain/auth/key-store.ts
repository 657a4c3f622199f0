// API keys and accounts, held per app. Secrets are kept only as SHA-256 hashes: a
// presented key is hashed and looked up, never compared as text.
import { hashSecret, type KeyMode } from '../../config/secrets';

export type { KeyMode };
export { hashSecret, modeOf } from '../../config/secrets';

export interface Account {
  id: string;
  name: string;
  plan: string;
}

/** One API key. Its secrets are hashes; the current one has no end of its own. */
export interface KeyRecord {
  id: string;
  name: string;
  accountId: string;
  permissions: string[];
  mode: KeyMode;
  createdAt: number;
  expiresAt: number | null;
  revoked: boolean;
  last4: string;
  /** When a request last authenticated with it (the mock's clock); absent until then. */
  lastUsedAt?: number;
}

interface SecretEntry {
  keyId: string;
  /** When a rotated-out secret stops working; null for the current secret. */
  validUntil: number | null;
}

/** What a presented secret resolves to. */
export type KeyLookup =
  | { ok: true; key: KeyRecord; account: Account }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

export type KeyStatus = 'active' | 'expired' | 'revoked';

/** Accounts and keys of one mock instance. */
export interface KeyStore {
  addAccount(account: Account): void;
  getAccount(id: string): Account | undefined;
  accounts(): Account[];
  addKey(key: KeyRecord, secret: string): void;
  /** Adds a key whose secret is known only by its SHA-256 hash. */
  addKeyByHash(key: KeyRecord, secretSha256: string): void;
  getKey(id: string): KeyRecord | undefined;
  keysOf(accountId: string): KeyRecord[];
  lookup(secret: string, now: number): KeyLookup;
  /** Whether any key, in any state, has or had this secret. */
  hasSecret(secret: string): boolean;
  status(key: KeyRecord, now: number): KeyStatus;
  /** Makes `secret` the key's current secret; the previous one works until `previousValidUntil`. */
  rotate(keyId: string, secret: string, previousValidUntil: number): void;
  revoke(keyId: string): void;
  /** Notes that a request authenticated with the key at `now`. */
  markUsed(keyId: string, now: number): void;
  clear(): void;
}


export function createKeyStore(): KeyStore {
  const accounts = new Map<string, Account>();
  const keys = new Map<string, KeyRecord>();
  const secrets = new Map<string, SecretEntry>();

  const status = (key: KeyRecord, now: number): KeyStatus =>
    key.revoked ? 'revoked' : key.expiresAt !== null && key.expiresAt <= now ? 'expired' : 'active';

  return {
    addAccount: (account) => void accounts.set(account.id, account),
    getAccount: (id) => accounts.get(id),
    accounts: () => [...accounts.values()],
    addKey(key, secret) {
      this.addKeyByHash(key, hashSecret(secret));
    },
    addKeyByHash(key, secretSha256) {
      keys.set(key.id, key);
      secrets.set(secretSha256, { keyId: key.id, validUntil: null });
    },
    getKey: (id) => keys.get(id),
    keysOf: (accountId) => [...keys.values()].filter((k) => k.accountId === accountId),
    lookup(secret, now) {
      const entry = secrets.get(hashSecret(secret));
      const key = entry && keys.get(entry.keyId);
      const account = key && accounts.get(key.accountId);
      if (!entry || !key || !account) return { ok: false, reason: 'unknown' };
      const state = status(key, now);
      if (state !== 'active') return { ok: false, reason: state };
      if (entry.validUntil !== null && entry.validUntil <= now) return { ok: false, reason: 'expired' };
      return { ok: true, key, account };
    },
    hasSecret: (secret) => secrets.has(hashSecret(secret)),
    status,
    rotate(keyId, secret, previousValidUntil) {
      for (const entry of secrets.values()) {
        if (entry.keyId === keyId && entry.validUntil === null) entry.validUntil = previousValidUntil;
      }
      secrets.set(hashSecret(secret), { keyId, validUntil: null });
      const key = keys.get(keyId);
      if (key) key.last4 = secret.slice(-4);
    },
    revoke(keyId) {
      const key = keys.get(keyId);
      if (key) key.revoked = true;
    },
    markUsed(keyId, now) {
      const key = keys.get(keyId);
      if (key) key.lastUsedAt = now;
    },
    clear() {
      accounts.clear();
      keys.clear();
      secrets.clear();
    },
  };
}
