// @ts-nocheck
// Idempotency-Key records: the first response to a (account, operation, key) is kept for a
// day of mock time and replayed for the same body; another body under the same key is a
// conflict. "The same body" is the same JSON value: key order and whitespace do not count.
// Bounded: the oldest records go first past `capacity`. A replayed createApiKey holds its
// secret here, so a retried create returns the key it made instead of a second one: this
// is the one place a plaintext secret lives after its response (see the README).
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
export interface StoredResponse {
  status: number;
  body?: unknown;
}
const TTL_MS = stryMutAct_9fa48("804") ? 24 * 60 * 60 / 1000 : (stryCov_9fa48("804"), (stryMutAct_9fa48("805") ? 24 * 60 / 60 : (stryCov_9fa48("805"), (stryMutAct_9fa48("806") ? 24 / 60 : (stryCov_9fa48("806"), 24 * 60)) * 60)) * 1000);

/** JSON with object keys sorted at every depth (RFC 8785's ordering, for parsed values). */
export function canonicalJson(value: unknown): string {
  if (stryMutAct_9fa48("807")) {
    {}
  } else {
    stryCov_9fa48("807");
    if (stryMutAct_9fa48("809") ? false : stryMutAct_9fa48("808") ? true : (stryCov_9fa48("808", "809"), Array.isArray(value))) return stryMutAct_9fa48("810") ? `` : (stryCov_9fa48("810"), `[${value.map(canonicalJson).join(stryMutAct_9fa48("811") ? "" : (stryCov_9fa48("811"), ','))}]`);
    if (stryMutAct_9fa48("814") ? value !== null || typeof value === 'object' : stryMutAct_9fa48("813") ? false : stryMutAct_9fa48("812") ? true : (stryCov_9fa48("812", "813", "814"), (stryMutAct_9fa48("816") ? value === null : stryMutAct_9fa48("815") ? true : (stryCov_9fa48("815", "816"), value !== null)) && (stryMutAct_9fa48("818") ? typeof value !== 'object' : stryMutAct_9fa48("817") ? true : (stryCov_9fa48("817", "818"), typeof value === (stryMutAct_9fa48("819") ? "" : (stryCov_9fa48("819"), 'object')))))) {
      if (stryMutAct_9fa48("820")) {
        {}
      } else {
        stryCov_9fa48("820");
        const keys = stryMutAct_9fa48("821") ? Object.keys(value) : (stryCov_9fa48("821"), Object.keys(value).sort());
        return stryMutAct_9fa48("822") ? `` : (stryCov_9fa48("822"), `{${keys.map(stryMutAct_9fa48("823") ? () => undefined : (stryCov_9fa48("823"), k => stryMutAct_9fa48("824") ? `` : (stryCov_9fa48("824"), `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`))).join(stryMutAct_9fa48("825") ? "" : (stryCov_9fa48("825"), ','))}}`);
      }
    }
    return JSON.stringify(stryMutAct_9fa48("826") ? value && null : (stryCov_9fa48("826"), value ?? null));
  }
}

/** The fingerprint of a parsed body: the same JSON value gives the same print. */
export function fingerprint(body: unknown): string {
  if (stryMutAct_9fa48("827")) {
    {}
  } else {
    stryCov_9fa48("827");
    return createHash(stryMutAct_9fa48("828") ? "" : (stryCov_9fa48("828"), 'sha256')).update(canonicalJson(body)).digest(stryMutAct_9fa48("829") ? "" : (stryCov_9fa48("829"), 'hex'));
  }
}

/** At most `capacity` records (10,000 by default), each for a day of mock time. */
export function createIdempotencyStore(capacity = 10_000) {
  if (stryMutAct_9fa48("830")) {
    {}
  } else {
    stryCov_9fa48("830");
    const records = new Map<string, {
      fingerprint: string;
      response: StoredResponse;
      at: number;
    }>();
    return stryMutAct_9fa48("831") ? {} : (stryCov_9fa48("831"), {
      /** The earlier outcome for this key: a replay, a conflict, or nothing yet. */
      check(scope: string, key: string, print: string, now: number): {
        kind: 'new';
      } | {
        kind: 'replay';
        response: StoredResponse;
      } | {
        kind: 'conflict';
      } {
        if (stryMutAct_9fa48("832")) {
          {}
        } else {
          stryCov_9fa48("832");
          const id = stryMutAct_9fa48("833") ? `` : (stryCov_9fa48("833"), `${scope}\u0000${key}`);
          const found = records.get(id);
          if (stryMutAct_9fa48("836") ? !found && found.at + TTL_MS <= now : stryMutAct_9fa48("835") ? false : stryMutAct_9fa48("834") ? true : (stryCov_9fa48("834", "835", "836"), (stryMutAct_9fa48("837") ? found : (stryCov_9fa48("837"), !found)) || (stryMutAct_9fa48("840") ? found.at + TTL_MS > now : stryMutAct_9fa48("839") ? found.at + TTL_MS < now : stryMutAct_9fa48("838") ? false : (stryCov_9fa48("838", "839", "840"), (stryMutAct_9fa48("841") ? found.at - TTL_MS : (stryCov_9fa48("841"), found.at + TTL_MS)) <= now)))) return stryMutAct_9fa48("842") ? {} : (stryCov_9fa48("842"), {
            kind: stryMutAct_9fa48("843") ? "" : (stryCov_9fa48("843"), 'new')
          });
          return (stryMutAct_9fa48("846") ? found.fingerprint !== print : stryMutAct_9fa48("845") ? false : stryMutAct_9fa48("844") ? true : (stryCov_9fa48("844", "845", "846"), found.fingerprint === print)) ? stryMutAct_9fa48("847") ? {} : (stryCov_9fa48("847"), {
            kind: stryMutAct_9fa48("848") ? "" : (stryCov_9fa48("848"), 'replay'),
            response: found.response
          }) : stryMutAct_9fa48("849") ? {} : (stryCov_9fa48("849"), {
            kind: stryMutAct_9fa48("850") ? "" : (stryCov_9fa48("850"), 'conflict')
          });
        }
      },
      remember(scope: string, key: string, print: string, response: StoredResponse, now: number) {
        if (stryMutAct_9fa48("851")) {
          {}
        } else {
          stryCov_9fa48("851");
          const id = stryMutAct_9fa48("852") ? `` : (stryCov_9fa48("852"), `${scope}\u0000${key}`);
          records.delete(id);
          records.set(id, stryMutAct_9fa48("853") ? {} : (stryCov_9fa48("853"), {
            fingerprint: print,
            response,
            at: now
          }));
          if (stryMutAct_9fa48("857") ? records.size <= capacity : stryMutAct_9fa48("856") ? records.size >= capacity : stryMutAct_9fa48("855") ? false : stryMutAct_9fa48("854") ? true : (stryCov_9fa48("854", "855", "856", "857"), records.size > capacity)) records.delete(records.keys().next().value as string);
        }
      },
      clear: stryMutAct_9fa48("858") ? () => undefined : (stryCov_9fa48("858"), () => records.clear())
    });
  }
}
export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;