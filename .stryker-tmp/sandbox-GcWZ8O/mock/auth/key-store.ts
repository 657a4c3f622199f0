// @ts-nocheck
// API keys and accounts, held per app. Secrets are kept only as SHA-256 hashes: a
// presented key is hashed and looked up, never compared as text.
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import { createHash } from 'node:crypto';

/** SHA-256 of a secret, hex. */
export function hashSecret(secret: string): string {
  if (stryMutAct_9fa48("127")) {
    {}
  } else {
    stryCov_9fa48("127");
    return createHash(stryMutAct_9fa48("128") ? "" : (stryCov_9fa48("128"), 'sha256')).update(secret).digest(stryMutAct_9fa48("129") ? "" : (stryCov_9fa48("129"), 'hex'));
  }
}
export type KeyMode = 'test' | 'live';
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
}
interface SecretEntry {
  keyId: string;
  /** When a rotated-out secret stops working; null for the current secret. */
  validUntil: number | null;
}

/** What a presented secret resolves to. */
export type KeyLookup = {
  ok: true;
  key: KeyRecord;
  account: Account;
} | {
  ok: false;
  reason: 'unknown' | 'expired' | 'revoked';
};
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
  clear(): void;
}
export function modeOf(secret: string): KeyMode {
  if (stryMutAct_9fa48("130")) {
    {}
  } else {
    stryCov_9fa48("130");
    return (stryMutAct_9fa48("131") ? secret.endsWith('sk_live_') : (stryCov_9fa48("131"), secret.startsWith(stryMutAct_9fa48("132") ? "" : (stryCov_9fa48("132"), 'sk_live_')))) ? stryMutAct_9fa48("133") ? "" : (stryCov_9fa48("133"), 'live') : stryMutAct_9fa48("134") ? "" : (stryCov_9fa48("134"), 'test');
  }
}
export function createKeyStore(): KeyStore {
  if (stryMutAct_9fa48("135")) {
    {}
  } else {
    stryCov_9fa48("135");
    const accounts = new Map<string, Account>();
    const keys = new Map<string, KeyRecord>();
    const secrets = new Map<string, SecretEntry>();
    const status = stryMutAct_9fa48("136") ? () => undefined : (stryCov_9fa48("136"), (() => {
      const status = (key: KeyRecord, now: number): KeyStatus => key.revoked ? stryMutAct_9fa48("137") ? "" : (stryCov_9fa48("137"), 'revoked') : (stryMutAct_9fa48("140") ? key.expiresAt !== null || key.expiresAt <= now : stryMutAct_9fa48("139") ? false : stryMutAct_9fa48("138") ? true : (stryCov_9fa48("138", "139", "140"), (stryMutAct_9fa48("142") ? key.expiresAt === null : stryMutAct_9fa48("141") ? true : (stryCov_9fa48("141", "142"), key.expiresAt !== null)) && (stryMutAct_9fa48("145") ? key.expiresAt > now : stryMutAct_9fa48("144") ? key.expiresAt < now : stryMutAct_9fa48("143") ? true : (stryCov_9fa48("143", "144", "145"), key.expiresAt <= now)))) ? stryMutAct_9fa48("146") ? "" : (stryCov_9fa48("146"), 'expired') : stryMutAct_9fa48("147") ? "" : (stryCov_9fa48("147"), 'active');
      return status;
    })());
    return stryMutAct_9fa48("148") ? {} : (stryCov_9fa48("148"), {
      addAccount: stryMutAct_9fa48("149") ? () => undefined : (stryCov_9fa48("149"), account => void accounts.set(account.id, account)),
      getAccount: stryMutAct_9fa48("150") ? () => undefined : (stryCov_9fa48("150"), id => accounts.get(id)),
      accounts: stryMutAct_9fa48("151") ? () => undefined : (stryCov_9fa48("151"), () => stryMutAct_9fa48("152") ? [] : (stryCov_9fa48("152"), [...accounts.values()])),
      addKey(key, secret) {
        if (stryMutAct_9fa48("153")) {
          {}
        } else {
          stryCov_9fa48("153");
          this.addKeyByHash(key, hashSecret(secret));
        }
      },
      addKeyByHash(key, secretSha256) {
        if (stryMutAct_9fa48("154")) {
          {}
        } else {
          stryCov_9fa48("154");
          keys.set(key.id, key);
          secrets.set(secretSha256, stryMutAct_9fa48("155") ? {} : (stryCov_9fa48("155"), {
            keyId: key.id,
            validUntil: null
          }));
        }
      },
      getKey: stryMutAct_9fa48("156") ? () => undefined : (stryCov_9fa48("156"), id => keys.get(id)),
      keysOf: stryMutAct_9fa48("157") ? () => undefined : (stryCov_9fa48("157"), accountId => stryMutAct_9fa48("158") ? [...keys.values()] : (stryCov_9fa48("158"), (stryMutAct_9fa48("159") ? [] : (stryCov_9fa48("159"), [...keys.values()])).filter(stryMutAct_9fa48("160") ? () => undefined : (stryCov_9fa48("160"), k => stryMutAct_9fa48("163") ? k.accountId !== accountId : stryMutAct_9fa48("162") ? false : stryMutAct_9fa48("161") ? true : (stryCov_9fa48("161", "162", "163"), k.accountId === accountId))))),
      lookup(secret, now) {
        if (stryMutAct_9fa48("164")) {
          {}
        } else {
          stryCov_9fa48("164");
          const entry = secrets.get(hashSecret(secret));
          const key = stryMutAct_9fa48("167") ? entry || keys.get(entry.keyId) : stryMutAct_9fa48("166") ? false : stryMutAct_9fa48("165") ? true : (stryCov_9fa48("165", "166", "167"), entry && keys.get(entry.keyId));
          const account = stryMutAct_9fa48("170") ? key || accounts.get(key.accountId) : stryMutAct_9fa48("169") ? false : stryMutAct_9fa48("168") ? true : (stryCov_9fa48("168", "169", "170"), key && accounts.get(key.accountId));
          if (stryMutAct_9fa48("173") ? (!entry || !key) && !account : stryMutAct_9fa48("172") ? false : stryMutAct_9fa48("171") ? true : (stryCov_9fa48("171", "172", "173"), (stryMutAct_9fa48("175") ? !entry && !key : stryMutAct_9fa48("174") ? false : (stryCov_9fa48("174", "175"), (stryMutAct_9fa48("176") ? entry : (stryCov_9fa48("176"), !entry)) || (stryMutAct_9fa48("177") ? key : (stryCov_9fa48("177"), !key)))) || (stryMutAct_9fa48("178") ? account : (stryCov_9fa48("178"), !account)))) return stryMutAct_9fa48("179") ? {} : (stryCov_9fa48("179"), {
            ok: stryMutAct_9fa48("180") ? true : (stryCov_9fa48("180"), false),
            reason: stryMutAct_9fa48("181") ? "" : (stryCov_9fa48("181"), 'unknown')
          });
          const state = status(key, now);
          if (stryMutAct_9fa48("184") ? state === 'active' : stryMutAct_9fa48("183") ? false : stryMutAct_9fa48("182") ? true : (stryCov_9fa48("182", "183", "184"), state !== (stryMutAct_9fa48("185") ? "" : (stryCov_9fa48("185"), 'active')))) return stryMutAct_9fa48("186") ? {} : (stryCov_9fa48("186"), {
            ok: stryMutAct_9fa48("187") ? true : (stryCov_9fa48("187"), false),
            reason: state
          });
          if (stryMutAct_9fa48("190") ? entry.validUntil !== null || entry.validUntil <= now : stryMutAct_9fa48("189") ? false : stryMutAct_9fa48("188") ? true : (stryCov_9fa48("188", "189", "190"), (stryMutAct_9fa48("192") ? entry.validUntil === null : stryMutAct_9fa48("191") ? true : (stryCov_9fa48("191", "192"), entry.validUntil !== null)) && (stryMutAct_9fa48("195") ? entry.validUntil > now : stryMutAct_9fa48("194") ? entry.validUntil < now : stryMutAct_9fa48("193") ? true : (stryCov_9fa48("193", "194", "195"), entry.validUntil <= now)))) return stryMutAct_9fa48("196") ? {} : (stryCov_9fa48("196"), {
            ok: stryMutAct_9fa48("197") ? true : (stryCov_9fa48("197"), false),
            reason: stryMutAct_9fa48("198") ? "" : (stryCov_9fa48("198"), 'expired')
          });
          return stryMutAct_9fa48("199") ? {} : (stryCov_9fa48("199"), {
            ok: stryMutAct_9fa48("200") ? false : (stryCov_9fa48("200"), true),
            key,
            account
          });
        }
      },
      hasSecret: stryMutAct_9fa48("201") ? () => undefined : (stryCov_9fa48("201"), secret => secrets.has(hashSecret(secret))),
      status,
      rotate(keyId, secret, previousValidUntil) {
        if (stryMutAct_9fa48("202")) {
          {}
        } else {
          stryCov_9fa48("202");
          for (const entry of secrets.values()) {
            if (stryMutAct_9fa48("203")) {
              {}
            } else {
              stryCov_9fa48("203");
              if (stryMutAct_9fa48("206") ? entry.keyId === keyId || entry.validUntil === null : stryMutAct_9fa48("205") ? false : stryMutAct_9fa48("204") ? true : (stryCov_9fa48("204", "205", "206"), (stryMutAct_9fa48("208") ? entry.keyId !== keyId : stryMutAct_9fa48("207") ? true : (stryCov_9fa48("207", "208"), entry.keyId === keyId)) && (stryMutAct_9fa48("210") ? entry.validUntil !== null : stryMutAct_9fa48("209") ? true : (stryCov_9fa48("209", "210"), entry.validUntil === null)))) entry.validUntil = previousValidUntil;
            }
          }
          secrets.set(hashSecret(secret), stryMutAct_9fa48("211") ? {} : (stryCov_9fa48("211"), {
            keyId,
            validUntil: null
          }));
          const key = keys.get(keyId);
          if (stryMutAct_9fa48("213") ? false : stryMutAct_9fa48("212") ? true : (stryCov_9fa48("212", "213"), key)) key.last4 = stryMutAct_9fa48("214") ? secret : (stryCov_9fa48("214"), secret.slice(stryMutAct_9fa48("215") ? +4 : (stryCov_9fa48("215"), -4)));
        }
      },
      revoke(keyId) {
        if (stryMutAct_9fa48("216")) {
          {}
        } else {
          stryCov_9fa48("216");
          const key = keys.get(keyId);
          if (stryMutAct_9fa48("218") ? false : stryMutAct_9fa48("217") ? true : (stryCov_9fa48("217", "218"), key)) key.revoked = stryMutAct_9fa48("219") ? false : (stryCov_9fa48("219"), true);
        }
      },
      clear() {
        if (stryMutAct_9fa48("220")) {
          {}
        } else {
          stryCov_9fa48("220");
          accounts.clear();
          keys.clear();
          secrets.clear();
        }
      }
    });
  }
}