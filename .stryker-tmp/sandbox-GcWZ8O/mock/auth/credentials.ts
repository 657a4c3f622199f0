// @ts-nocheck
// Turns the credentials a request carries into a principal, or a reason why there is none.
// Knows nothing of HTTP statuses: the pipeline maps outcomes to 400 and 401.
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
import type { UnauthorizedReason } from '../errors/api-error';
import { isBearer, parseAuthorization } from './bearer';
import { modeOf, type Account, type KeyRecord, type KeyStore } from './key-store';

/** Who is calling: the key, its account, and how the key arrived. */
export interface Principal {
  key: KeyRecord;
  account: Account;
  via: 'header' | 'query';
}

/** The credentials found on a request, before any policy. */
export interface PresentedCredentials {
  /** Every Authorization header value (a repeated header gives several). */
  authorization: string[];
  /** Every `api_key` query value. */
  apiKeys: string[];
}
export type CredentialOutcome = {
  kind: 'principal';
  principal: Principal;
} | {
  kind: 'refused';
  reason: UnauthorizedReason;
  via: 'header' | 'query' | 'none';
}
/** RFC 6750 section 2: more than one method, or one method more than once. */ | {
  kind: 'ambiguous';
  parameter: 'Authorization' | 'api_key';
  location: 'header' | 'query';
};
export interface CredentialPolicy {
  /** The spec's ApiKeySecret pattern: the only shape a key can have. */
  keyPattern: RegExp;
  allowLiveKeys: boolean;
  allowLiveKeysInQuery: boolean;
}

/** Decides who the caller is. Pure apart from the store lookup. */
export function resolveCredentials(presented: PresentedCredentials, store: KeyStore, policy: CredentialPolicy, now: number): CredentialOutcome {
  if (stryMutAct_9fa48("23")) {
    {}
  } else {
    stryCov_9fa48("23");
    const {
      authorization,
      apiKeys
    } = presented;
    if (stryMutAct_9fa48("27") ? authorization.length <= 1 : stryMutAct_9fa48("26") ? authorization.length >= 1 : stryMutAct_9fa48("25") ? false : stryMutAct_9fa48("24") ? true : (stryCov_9fa48("24", "25", "26", "27"), authorization.length > 1)) return stryMutAct_9fa48("28") ? {} : (stryCov_9fa48("28"), {
      kind: stryMutAct_9fa48("29") ? "" : (stryCov_9fa48("29"), 'ambiguous'),
      parameter: stryMutAct_9fa48("30") ? "" : (stryCov_9fa48("30"), 'Authorization'),
      location: stryMutAct_9fa48("31") ? "" : (stryCov_9fa48("31"), 'header')
    });
    if (stryMutAct_9fa48("35") ? apiKeys.length <= 1 : stryMutAct_9fa48("34") ? apiKeys.length >= 1 : stryMutAct_9fa48("33") ? false : stryMutAct_9fa48("32") ? true : (stryCov_9fa48("32", "33", "34", "35"), apiKeys.length > 1)) return stryMutAct_9fa48("36") ? {} : (stryCov_9fa48("36"), {
      kind: stryMutAct_9fa48("37") ? "" : (stryCov_9fa48("37"), 'ambiguous'),
      parameter: stryMutAct_9fa48("38") ? "" : (stryCov_9fa48("38"), 'api_key'),
      location: stryMutAct_9fa48("39") ? "" : (stryCov_9fa48("39"), 'query')
    });
    if (stryMutAct_9fa48("42") ? authorization.length === 1 || apiKeys.length === 1 : stryMutAct_9fa48("41") ? false : stryMutAct_9fa48("40") ? true : (stryCov_9fa48("40", "41", "42"), (stryMutAct_9fa48("44") ? authorization.length !== 1 : stryMutAct_9fa48("43") ? true : (stryCov_9fa48("43", "44"), authorization.length === 1)) && (stryMutAct_9fa48("46") ? apiKeys.length !== 1 : stryMutAct_9fa48("45") ? true : (stryCov_9fa48("45", "46"), apiKeys.length === 1)))) {
      if (stryMutAct_9fa48("47")) {
        {}
      } else {
        stryCov_9fa48("47");
        return stryMutAct_9fa48("48") ? {} : (stryCov_9fa48("48"), {
          kind: stryMutAct_9fa48("49") ? "" : (stryCov_9fa48("49"), 'ambiguous'),
          parameter: stryMutAct_9fa48("50") ? "" : (stryCov_9fa48("50"), 'api_key'),
          location: stryMutAct_9fa48("51") ? "" : (stryCov_9fa48("51"), 'query')
        });
      }
    }
    let secret: string;
    let via: 'header' | 'query';
    if (stryMutAct_9fa48("54") ? authorization.length !== 1 : stryMutAct_9fa48("53") ? false : stryMutAct_9fa48("52") ? true : (stryCov_9fa48("52", "53", "54"), authorization.length === 1)) {
      if (stryMutAct_9fa48("55")) {
        {}
      } else {
        stryCov_9fa48("55");
        via = stryMutAct_9fa48("56") ? "" : (stryCov_9fa48("56"), 'header');
        const parsed = parseAuthorization(authorization[0]);
        // An empty header carries no authentication information (RFC 6750 section 3.1).
        if (stryMutAct_9fa48("59") ? false : stryMutAct_9fa48("58") ? true : stryMutAct_9fa48("57") ? parsed : (stryCov_9fa48("57", "58", "59"), !parsed)) return stryMutAct_9fa48("60") ? {} : (stryCov_9fa48("60"), {
          kind: stryMutAct_9fa48("61") ? "" : (stryCov_9fa48("61"), 'refused'),
          reason: stryMutAct_9fa48("62") ? "" : (stryCov_9fa48("62"), 'missing'),
          via: stryMutAct_9fa48("63") ? "" : (stryCov_9fa48("63"), 'none')
        });
        if (stryMutAct_9fa48("66") ? !isBearer(parsed) && parsed.credentials === '' : stryMutAct_9fa48("65") ? false : stryMutAct_9fa48("64") ? true : (stryCov_9fa48("64", "65", "66"), (stryMutAct_9fa48("67") ? isBearer(parsed) : (stryCov_9fa48("67"), !isBearer(parsed))) || (stryMutAct_9fa48("69") ? parsed.credentials !== '' : stryMutAct_9fa48("68") ? false : (stryCov_9fa48("68", "69"), parsed.credentials === (stryMutAct_9fa48("70") ? "Stryker was here!" : (stryCov_9fa48("70"), '')))))) return stryMutAct_9fa48("71") ? {} : (stryCov_9fa48("71"), {
          kind: stryMutAct_9fa48("72") ? "" : (stryCov_9fa48("72"), 'refused'),
          reason: stryMutAct_9fa48("73") ? "" : (stryCov_9fa48("73"), 'malformed'),
          via
        });
        secret = parsed.credentials;
      }
    } else if (stryMutAct_9fa48("76") ? apiKeys.length !== 1 : stryMutAct_9fa48("75") ? false : stryMutAct_9fa48("74") ? true : (stryCov_9fa48("74", "75", "76"), apiKeys.length === 1)) {
      if (stryMutAct_9fa48("77")) {
        {}
      } else {
        stryCov_9fa48("77");
        via = stryMutAct_9fa48("78") ? "" : (stryCov_9fa48("78"), 'query');
        secret = apiKeys[0];
        if (stryMutAct_9fa48("81") ? secret !== '' : stryMutAct_9fa48("80") ? false : stryMutAct_9fa48("79") ? true : (stryCov_9fa48("79", "80", "81"), secret === (stryMutAct_9fa48("82") ? "Stryker was here!" : (stryCov_9fa48("82"), '')))) return stryMutAct_9fa48("83") ? {} : (stryCov_9fa48("83"), {
          kind: stryMutAct_9fa48("84") ? "" : (stryCov_9fa48("84"), 'refused'),
          reason: stryMutAct_9fa48("85") ? "" : (stryCov_9fa48("85"), 'missing'),
          via: stryMutAct_9fa48("86") ? "" : (stryCov_9fa48("86"), 'none')
        });
      }
    } else {
      if (stryMutAct_9fa48("87")) {
        {}
      } else {
        stryCov_9fa48("87");
        return stryMutAct_9fa48("88") ? {} : (stryCov_9fa48("88"), {
          kind: stryMutAct_9fa48("89") ? "" : (stryCov_9fa48("89"), 'refused'),
          reason: stryMutAct_9fa48("90") ? "" : (stryCov_9fa48("90"), 'missing'),
          via: stryMutAct_9fa48("91") ? "" : (stryCov_9fa48("91"), 'none')
        });
      }
    }
    if (stryMutAct_9fa48("94") ? false : stryMutAct_9fa48("93") ? true : stryMutAct_9fa48("92") ? policy.keyPattern.test(secret) : (stryCov_9fa48("92", "93", "94"), !policy.keyPattern.test(secret))) return stryMutAct_9fa48("95") ? {} : (stryCov_9fa48("95"), {
      kind: stryMutAct_9fa48("96") ? "" : (stryCov_9fa48("96"), 'refused'),
      reason: stryMutAct_9fa48("97") ? "" : (stryCov_9fa48("97"), 'malformed'),
      via
    });
    // Live keys are refused before any lookup: a local tool must never make someone paste a
    // production secret, and a live key in a URL has already leaked into logs.
    if (stryMutAct_9fa48("100") ? modeOf(secret) !== 'live' : stryMutAct_9fa48("99") ? false : stryMutAct_9fa48("98") ? true : (stryCov_9fa48("98", "99", "100"), modeOf(secret) === (stryMutAct_9fa48("101") ? "" : (stryCov_9fa48("101"), 'live')))) {
      if (stryMutAct_9fa48("102")) {
        {}
      } else {
        stryCov_9fa48("102");
        if (stryMutAct_9fa48("105") ? via === 'query' || !policy.allowLiveKeysInQuery : stryMutAct_9fa48("104") ? false : stryMutAct_9fa48("103") ? true : (stryCov_9fa48("103", "104", "105"), (stryMutAct_9fa48("107") ? via !== 'query' : stryMutAct_9fa48("106") ? true : (stryCov_9fa48("106", "107"), via === (stryMutAct_9fa48("108") ? "" : (stryCov_9fa48("108"), 'query')))) && (stryMutAct_9fa48("109") ? policy.allowLiveKeysInQuery : (stryCov_9fa48("109"), !policy.allowLiveKeysInQuery)))) return stryMutAct_9fa48("110") ? {} : (stryCov_9fa48("110"), {
          kind: stryMutAct_9fa48("111") ? "" : (stryCov_9fa48("111"), 'refused'),
          reason: stryMutAct_9fa48("112") ? "" : (stryCov_9fa48("112"), 'live_key_in_query'),
          via
        });
        if (stryMutAct_9fa48("115") ? false : stryMutAct_9fa48("114") ? true : stryMutAct_9fa48("113") ? policy.allowLiveKeys : (stryCov_9fa48("113", "114", "115"), !policy.allowLiveKeys)) return stryMutAct_9fa48("116") ? {} : (stryCov_9fa48("116"), {
          kind: stryMutAct_9fa48("117") ? "" : (stryCov_9fa48("117"), 'refused'),
          reason: stryMutAct_9fa48("118") ? "" : (stryCov_9fa48("118"), 'live_key_refused'),
          via
        });
      }
    }
    const found = store.lookup(secret, now);
    if (stryMutAct_9fa48("121") ? false : stryMutAct_9fa48("120") ? true : stryMutAct_9fa48("119") ? found.ok : (stryCov_9fa48("119", "120", "121"), !found.ok)) return stryMutAct_9fa48("122") ? {} : (stryCov_9fa48("122"), {
      kind: stryMutAct_9fa48("123") ? "" : (stryCov_9fa48("123"), 'refused'),
      reason: found.reason,
      via
    });
    return stryMutAct_9fa48("124") ? {} : (stryCov_9fa48("124"), {
      kind: stryMutAct_9fa48("125") ? "" : (stryCov_9fa48("125"), 'principal'),
      principal: stryMutAct_9fa48("126") ? {} : (stryCov_9fa48("126"), {
        key: found.key,
        account: found.account,
        via
      })
    });
  }
}