// @ts-nocheck
// Decides allow or deny for (operation, principal) from the spec's role lists and its
// x-cortex-permissions implications (admin implies read and write).
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
export type PermissionDecision = {
  allowed: true;
} | {
  allowed: false;
  required: string[];
  provided: string[];
};

/** Creates the permission check for one spec's implication table. */
export function createPermissionCheck(implications: Record<string, string[]>) {
  if (stryMutAct_9fa48("221")) {
    {}
  } else {
    stryCov_9fa48("221");
    /** Every permission a key's declared permissions grant, implications followed. */
    function effective(declared: readonly string[]): Set<string> {
      if (stryMutAct_9fa48("222")) {
        {}
      } else {
        stryCov_9fa48("222");
        const granted = new Set<string>();
        const queue = stryMutAct_9fa48("223") ? [] : (stryCov_9fa48("223"), [...declared]);
        while (stryMutAct_9fa48("226") ? queue.length <= 0 : stryMutAct_9fa48("225") ? queue.length >= 0 : stryMutAct_9fa48("224") ? false : (stryCov_9fa48("224", "225", "226"), queue.length > 0)) {
          if (stryMutAct_9fa48("227")) {
            {}
          } else {
            stryCov_9fa48("227");
            const p = queue.pop()!;
            if (stryMutAct_9fa48("229") ? false : stryMutAct_9fa48("228") ? true : (stryCov_9fa48("228", "229"), granted.has(p))) continue;
            granted.add(p);
            queue.push(...(stryMutAct_9fa48("230") ? implications[p] && [] : (stryCov_9fa48("230"), implications[p] ?? (stryMutAct_9fa48("231") ? ["Stryker was here"] : (stryCov_9fa48("231"), [])))));
          }
        }
        return granted;
      }
    }
    return stryMutAct_9fa48("232") ? {} : (stryCov_9fa48("232"), {
      effective,
      decide(required: readonly string[], declared: readonly string[]): PermissionDecision {
        if (stryMutAct_9fa48("233")) {
          {}
        } else {
          stryCov_9fa48("233");
          if (stryMutAct_9fa48("236") ? required.length !== 0 : stryMutAct_9fa48("235") ? false : stryMutAct_9fa48("234") ? true : (stryCov_9fa48("234", "235", "236"), required.length === 0)) return stryMutAct_9fa48("237") ? {} : (stryCov_9fa48("237"), {
            allowed: stryMutAct_9fa48("238") ? false : (stryCov_9fa48("238"), true)
          });
          const granted = effective(declared);
          if (stryMutAct_9fa48("241") ? required.some(p => granted.has(p)) : stryMutAct_9fa48("240") ? false : stryMutAct_9fa48("239") ? true : (stryCov_9fa48("239", "240", "241"), required.every(stryMutAct_9fa48("242") ? () => undefined : (stryCov_9fa48("242"), p => granted.has(p))))) return stryMutAct_9fa48("243") ? {} : (stryCov_9fa48("243"), {
            allowed: stryMutAct_9fa48("244") ? false : (stryCov_9fa48("244"), true)
          });
          return stryMutAct_9fa48("245") ? {} : (stryCov_9fa48("245"), {
            allowed: stryMutAct_9fa48("246") ? true : (stryCov_9fa48("246"), false),
            required: stryMutAct_9fa48("247") ? [] : (stryCov_9fa48("247"), [...required]),
            provided: stryMutAct_9fa48("248") ? [] : (stryCov_9fa48("248"), [...declared])
          });
        }
      }
    });
  }
}