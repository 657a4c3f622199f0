// API keys and accounts, held per app. Secrets are kept only as SHA-256 hashes: a
// presented key is hashed and looked up, never compared as text. The history of a key is
// bounded: a rotated-out secret is dropped once its grace ends, except the one that ended
// last, which stays to answer `expired` (control.yaml: "then answers 401 expired").
import { hashSecret, storedHashOf, type KeyMode } from './secrets';
import type { SigningRequirement } from './signing/policy';

export type { KeyMode };
export { hashSecret, modeOf } from './secrets';

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
  /** Its requests must be signed (RFC 9421; docs/signing.md); absent for most keys. */
  signing?: SigningRequirement;
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
  /** The id of the key, in any state, that has or had this secret (while the store keeps it). */
  keyWithSecret(secret: string): string | undefined;
  status(key: KeyRecord, now: number): KeyStatus;
  /**
   * Makes `secret` the key's current secret; the previous one works until
   * `previousValidUntil`. With `now`, secrets whose grace ended by then are dropped.
   */
  rotate(keyId: string, secret: string, previousValidUntil: number, now?: number): void;
  revoke(keyId: string): void;
  /** Notes that a request authenticated with the key at `now`. */
  markUsed(keyId: string, now: number): void;
  /** How many secret hashes are held, current and rotated-out (the history's size). */
  secretCount(): number;
  clear(): void;
}

interface Retired {
  hash: string;
  keyId: string;
  validUntil: number;
}

/** A min-heap of rotated-out secrets by the end of their grace: the next to end is on top. */
function createGraceQueue() {
  const heap: Retired[] = [];
  const less = (a: number, b: number) => heap[a].validUntil < heap[b].validUntil;
  const swap = (a: number, b: number) => ([heap[a], heap[b]] = [heap[b], heap[a]]);
  return {
    push(entry: Retired) {
      heap.push(entry);
      for (let i = heap.length - 1; i > 0 && less(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    },
    /** The entry whose grace ended first, if it ended by `now`. */
    popEnded(now: number): Retired | undefined {
      if (heap.length === 0 || heap[0].validUntil > now) return undefined;
      const top = heap[0];
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        for (let i = 0; ; ) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && less(l, m)) m = l;
          if (r < heap.length && less(r, m)) m = r;
          if (m === i) break;
          swap(i, m);
          i = m;
        }
      }
      return top;
    },
    clear: () => void (heap.length = 0),
  };
}


export function createKeyStore(): KeyStore {
  const accounts = new Map<string, Account>();
  const keys = new Map<string, KeyRecord>();
  const secrets = new Map<string, SecretEntry>();
  // Indexes: each key's current secret, the rotated-out secrets by the end of their grace,
  // and each key's secret that ended last (kept so that it answers `expired`, not `unknown`).
  const current = new Map<string, string>();
  const inGrace = createGraceQueue();
  const lastEnded = new Map<string, string>();

  /** Drops the secrets whose grace ended by `now`; each key keeps the one that ended last. */
  const sweep = (now: number) => {
    for (let ended = inGrace.popEnded(now); ended; ended = inGrace.popEnded(now)) {
      if (secrets.get(ended.hash)?.validUntil !== ended.validUntil) continue; // gone or changed since
      const before = lastEnded.get(ended.keyId);
      if (before !== undefined && before !== ended.hash) secrets.delete(before);
      lastEnded.set(ended.keyId, ended.hash);
    }
  };

  const status = (key: KeyRecord, now: number): KeyStatus =>
    key.revoked ? 'revoked' : key.expiresAt !== null && key.expiresAt <= now ? 'expired' : 'active';

  return {
    addAccount: (account) => void accounts.set(account.id, account),
    getAccount: (id) => accounts.get(id),
    accounts: () => [...accounts.values()],
    addKey(key, secret) {
      this.addKeyByHash(key, storedHashOf(secret));
    },
    addKeyByHash(key, secretSha256) {
      keys.set(key.id, key);
      secrets.set(secretSha256, { keyId: key.id, validUntil: null });
      current.set(key.id, secretSha256);
    },
    getKey: (id) => keys.get(id),
    keysOf: (accountId) => [...keys.values()].filter((k) => k.accountId === accountId),
    lookup(secret, now) {
      sweep(now);
      const entry = secrets.get(hashSecret(secret));
      const key = entry && keys.get(entry.keyId);
      const account = key && accounts.get(key.accountId);
      if (!entry || !key || !account) return { ok: false, reason: 'unknown' };
      const state = status(key, now);
      if (state !== 'active') return { ok: false, reason: state };
      if (entry.validUntil !== null && entry.validUntil <= now) return { ok: false, reason: 'expired' };
      return { ok: true, key, account };
    },
    keyWithSecret: (secret) => secrets.get(storedHashOf(secret))?.keyId,
    status,
    rotate(keyId, secret, previousValidUntil, now) {
      const previous = current.get(keyId);
      const entry = previous === undefined ? undefined : secrets.get(previous);
      if (previous !== undefined && entry) {
        entry.validUntil = previousValidUntil;
        inGrace.push({ hash: previous, keyId, validUntil: previousValidUntil });
      }
      const hash = storedHashOf(secret);
      secrets.set(hash, { keyId, validUntil: null });
      current.set(keyId, hash);
      if (now !== undefined) sweep(now);
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
    secretCount: () => secrets.size,
    clear() {
      accounts.clear();
      keys.clear();
      secrets.clear();
      current.clear();
      inGrace.clear();
      lastEnded.clear();
    },
  };
}
