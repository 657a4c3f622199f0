// @ts-nocheck
// Parses an Authorization header value into scheme and credentials (RFC 9110 section
// 11.6.2). Knows nothing of policy: credentials.ts decides what a parse result means.

/** The parsed header: the scheme (as sent) and the rest. */function stryNS_9fa48() {
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
export interface ParsedAuthorization {
  scheme: string;
  credentials: string;
}

/**
 * Splits `Scheme credentials`. Returns null for a value with no scheme. Whitespace around
 * the value is ignored; one or more spaces separate scheme and credentials.
 */
export function parseAuthorization(value: string): ParsedAuthorization | null {
  if (stryMutAct_9fa48("0")) {
    {}
  } else {
    stryCov_9fa48("0");
    const trimmed = stryMutAct_9fa48("1") ? value : (stryCov_9fa48("1"), value.trim());
    if (stryMutAct_9fa48("4") ? trimmed !== '' : stryMutAct_9fa48("3") ? false : stryMutAct_9fa48("2") ? true : (stryCov_9fa48("2", "3", "4"), trimmed === (stryMutAct_9fa48("5") ? "Stryker was here!" : (stryCov_9fa48("5"), '')))) return null;
    const space = trimmed.search(stryMutAct_9fa48("6") ? /[^ \t]/ : (stryCov_9fa48("6"), /[ \t]/));
    if (stryMutAct_9fa48("9") ? space !== -1 : stryMutAct_9fa48("8") ? false : stryMutAct_9fa48("7") ? true : (stryCov_9fa48("7", "8", "9"), space === (stryMutAct_9fa48("10") ? +1 : (stryCov_9fa48("10"), -1)))) return stryMutAct_9fa48("11") ? {} : (stryCov_9fa48("11"), {
      scheme: trimmed,
      credentials: stryMutAct_9fa48("12") ? "Stryker was here!" : (stryCov_9fa48("12"), '')
    });
    return stryMutAct_9fa48("13") ? {} : (stryCov_9fa48("13"), {
      scheme: stryMutAct_9fa48("14") ? trimmed : (stryCov_9fa48("14"), trimmed.slice(0, space)),
      credentials: stryMutAct_9fa48("16") ? trimmed.trim() : stryMutAct_9fa48("15") ? trimmed.slice(space) : (stryCov_9fa48("15", "16"), trimmed.slice(space).trim())
    });
  }
}

/** RFC 9110 section 11.1: auth scheme names are case-insensitive. */
export function isBearer(parsed: ParsedAuthorization): boolean {
  if (stryMutAct_9fa48("17")) {
    {}
  } else {
    stryCov_9fa48("17");
    return stryMutAct_9fa48("20") ? parsed.scheme.toLowerCase() !== 'bearer' : stryMutAct_9fa48("19") ? false : stryMutAct_9fa48("18") ? true : (stryCov_9fa48("18", "19", "20"), (stryMutAct_9fa48("21") ? parsed.scheme.toUpperCase() : (stryCov_9fa48("21"), parsed.scheme.toLowerCase())) === (stryMutAct_9fa48("22") ? "" : (stryCov_9fa48("22"), 'bearer')));
  }
}