// @ts-nocheck
// Cursor pagination over an ordered list: the cursor is base64url of the list's name and
// the id of the last item of the previous page, so it stays valid while items are added
// and works only for the list that gave it (a report cursor names a scan id, and was
// accepted by /scans before it named its list).
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
import { ApiError } from '../errors/api-error';
export interface Page<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/** One page of `items` (already in order), after `cursor`, at most `limit` long. */
export function paginate<T extends {
  id: string;
}, V>(items: readonly T[], limit: number, cursor: string | undefined, view: (item: T) => V, cursorPointer: string, list: string): Page<V> {
  if (stryMutAct_9fa48("859")) {
    {}
  } else {
    stryCov_9fa48("859");
    let start = 0;
    if (stryMutAct_9fa48("862") ? cursor === undefined : stryMutAct_9fa48("861") ? false : stryMutAct_9fa48("860") ? true : (stryCov_9fa48("860", "861", "862"), cursor !== undefined)) {
      if (stryMutAct_9fa48("863")) {
        {}
      } else {
        stryCov_9fa48("863");
        const decoded = Buffer.from(cursor, stryMutAct_9fa48("864") ? "" : (stryCov_9fa48("864"), 'base64url')).toString(stryMutAct_9fa48("865") ? "" : (stryCov_9fa48("865"), 'utf8'));
        const id = (stryMutAct_9fa48("866") ? decoded.endsWith(`${list}:`) : (stryCov_9fa48("866"), decoded.startsWith(stryMutAct_9fa48("867") ? `` : (stryCov_9fa48("867"), `${list}:`)))) ? stryMutAct_9fa48("868") ? decoded : (stryCov_9fa48("868"), decoded.slice(stryMutAct_9fa48("869") ? list.length - 1 : (stryCov_9fa48("869"), list.length + 1))) : undefined;
        const index = (stryMutAct_9fa48("872") ? id !== undefined : stryMutAct_9fa48("871") ? false : stryMutAct_9fa48("870") ? true : (stryCov_9fa48("870", "871", "872"), id === undefined)) ? stryMutAct_9fa48("873") ? +1 : (stryCov_9fa48("873"), -1) : items.findIndex(stryMutAct_9fa48("874") ? () => undefined : (stryCov_9fa48("874"), item => stryMutAct_9fa48("877") ? item.id !== id : stryMutAct_9fa48("876") ? false : stryMutAct_9fa48("875") ? true : (stryCov_9fa48("875", "876", "877"), item.id === id)));
        if (stryMutAct_9fa48("880") ? index !== -1 : stryMutAct_9fa48("879") ? false : stryMutAct_9fa48("878") ? true : (stryCov_9fa48("878", "879", "880"), index === (stryMutAct_9fa48("881") ? +1 : (stryCov_9fa48("881"), -1)))) {
          if (stryMutAct_9fa48("882")) {
            {}
          } else {
            stryCov_9fa48("882");
            throw ApiError.invalidRequest(stryMutAct_9fa48("883") ? "" : (stryCov_9fa48("883"), 'Query parameter "cursor" is not a cursor of this list'), stryMutAct_9fa48("884") ? {} : (stryCov_9fa48("884"), {
              parameter: stryMutAct_9fa48("885") ? "" : (stryCov_9fa48("885"), 'cursor'),
              location: stryMutAct_9fa48("886") ? "" : (stryCov_9fa48("886"), 'query'),
              schema_path: cursorPointer,
              reason: stryMutAct_9fa48("887") ? "" : (stryCov_9fa48("887"), 'unknown_cursor')
            }));
          }
        }
        start = stryMutAct_9fa48("888") ? index - 1 : (stryCov_9fa48("888"), index + 1);
      }
    }
    const slice = stryMutAct_9fa48("889") ? items : (stryCov_9fa48("889"), items.slice(start, stryMutAct_9fa48("890") ? start - limit : (stryCov_9fa48("890"), start + limit)));
    const hasMore = stryMutAct_9fa48("894") ? start + limit >= items.length : stryMutAct_9fa48("893") ? start + limit <= items.length : stryMutAct_9fa48("892") ? false : stryMutAct_9fa48("891") ? true : (stryCov_9fa48("891", "892", "893", "894"), (stryMutAct_9fa48("895") ? start - limit : (stryCov_9fa48("895"), start + limit)) < items.length);
    return stryMutAct_9fa48("896") ? {} : (stryCov_9fa48("896"), {
      object: stryMutAct_9fa48("897") ? "" : (stryCov_9fa48("897"), 'list'),
      data: slice.map(view),
      has_more: hasMore,
      next_cursor: hasMore ? Buffer.from(stryMutAct_9fa48("898") ? `` : (stryCov_9fa48("898"), `${list}:${slice[stryMutAct_9fa48("899") ? slice.length + 1 : (stryCov_9fa48("899"), slice.length - 1)].id}`), stryMutAct_9fa48("900") ? "" : (stryCov_9fa48("900"), 'utf8')).toString(stryMutAct_9fa48("901") ? "" : (stryCov_9fa48("901"), 'base64url')) : null
    });
  }
}