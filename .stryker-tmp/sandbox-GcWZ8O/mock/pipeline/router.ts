// @ts-nocheck
// Matches a method and path to a spec operation. Routes are compiled once from the spec's
// path templates; nothing here names a path.
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
import type { SpecOperation } from '../../lib/openapi/load-spec';
export type RouteMatch = {
  kind: 'operation';
  op: SpecOperation;
  params: Record<string, string>;
} | {
  kind: 'method_not_allowed';
  allowed: string[];
} | {
  kind: 'not_found';
};
interface CompiledPath {
  regex: RegExp;
  names: string[];
  byMethod: Map<string, SpecOperation>;
  /** Literal paths are tried before templated ones. */
  literal: boolean;
}

/** Compiles the routes of `operations`; `match` then takes a path relative to the base path. */
export function createRouter(operations: SpecOperation[]) {
  if (stryMutAct_9fa48("672")) {
    {}
  } else {
    stryCov_9fa48("672");
    const paths = new Map<string, CompiledPath>();
    for (const op of operations) {
      if (stryMutAct_9fa48("673")) {
        {}
      } else {
        stryCov_9fa48("673");
        let compiled = paths.get(op.path);
        if (stryMutAct_9fa48("676") ? false : stryMutAct_9fa48("675") ? true : stryMutAct_9fa48("674") ? compiled : (stryCov_9fa48("674", "675", "676"), !compiled)) {
          if (stryMutAct_9fa48("677")) {
            {}
          } else {
            stryCov_9fa48("677");
            const names: string[] = stryMutAct_9fa48("678") ? ["Stryker was here"] : (stryCov_9fa48("678"), []);
            const source = op.path.split(stryMutAct_9fa48("680") ? /(\{[}]+\})/ : stryMutAct_9fa48("679") ? /(\{[^}]\})/ : (stryCov_9fa48("679", "680"), /(\{[^}]+\})/)).map(part => {
              if (stryMutAct_9fa48("681")) {
                {}
              } else {
                stryCov_9fa48("681");
                const m = (stryMutAct_9fa48("684") ? /^\{(.)\}$/ : stryMutAct_9fa48("683") ? /^\{(.+)\}/ : stryMutAct_9fa48("682") ? /\{(.+)\}$/ : (stryCov_9fa48("682", "683", "684"), /^\{(.+)\}$/)).exec(part);
                if (stryMutAct_9fa48("686") ? false : stryMutAct_9fa48("685") ? true : (stryCov_9fa48("685", "686"), m)) {
                  if (stryMutAct_9fa48("687")) {
                    {}
                  } else {
                    stryCov_9fa48("687");
                    names.push(m[1]);
                    return stryMutAct_9fa48("688") ? "" : (stryCov_9fa48("688"), '([^/]+)');
                  }
                }
                return part.replace(stryMutAct_9fa48("689") ? /[^.*+?^${}()|[\]\\]/g : (stryCov_9fa48("689"), /[.*+?^${}()|[\]\\]/g), stryMutAct_9fa48("690") ? "" : (stryCov_9fa48("690"), '\\$&'));
              }
            }).join(stryMutAct_9fa48("691") ? "Stryker was here!" : (stryCov_9fa48("691"), ''));
            compiled = stryMutAct_9fa48("692") ? {} : (stryCov_9fa48("692"), {
              regex: new RegExp(stryMutAct_9fa48("693") ? `` : (stryCov_9fa48("693"), `^${source}/?$`)),
              names,
              byMethod: new Map(),
              literal: stryMutAct_9fa48("696") ? names.length !== 0 : stryMutAct_9fa48("695") ? false : stryMutAct_9fa48("694") ? true : (stryCov_9fa48("694", "695", "696"), names.length === 0)
            });
            paths.set(op.path, compiled);
          }
        }
        compiled.byMethod.set(stryMutAct_9fa48("697") ? op.method.toLowerCase() : (stryCov_9fa48("697"), op.method.toUpperCase()), op);
      }
    }
    const ordered = stryMutAct_9fa48("698") ? [...paths.values()] : (stryCov_9fa48("698"), (stryMutAct_9fa48("699") ? [] : (stryCov_9fa48("699"), [...paths.values()])).sort(stryMutAct_9fa48("700") ? () => undefined : (stryCov_9fa48("700"), (a, b) => stryMutAct_9fa48("701") ? Number(b.literal) + Number(a.literal) : (stryCov_9fa48("701"), Number(b.literal) - Number(a.literal)))));
    return stryMutAct_9fa48("702") ? {} : (stryCov_9fa48("702"), {
      /** `path` is already split from the query. Throws URIError on bad %-encoding. */
      match(method: string, path: string): RouteMatch {
        if (stryMutAct_9fa48("703")) {
          {}
        } else {
          stryCov_9fa48("703");
          for (const route of ordered) {
            if (stryMutAct_9fa48("704")) {
              {}
            } else {
              stryCov_9fa48("704");
              const m = route.regex.exec(path);
              if (stryMutAct_9fa48("707") ? false : stryMutAct_9fa48("706") ? true : stryMutAct_9fa48("705") ? m : (stryCov_9fa48("705", "706", "707"), !m)) continue;
              const op = stryMutAct_9fa48("708") ? route.byMethod.get(method) && (method === 'HEAD' ? route.byMethod.get('GET') : undefined) : (stryCov_9fa48("708"), route.byMethod.get(method) ?? ((stryMutAct_9fa48("711") ? method !== 'HEAD' : stryMutAct_9fa48("710") ? false : stryMutAct_9fa48("709") ? true : (stryCov_9fa48("709", "710", "711"), method === (stryMutAct_9fa48("712") ? "" : (stryCov_9fa48("712"), 'HEAD')))) ? route.byMethod.get(stryMutAct_9fa48("713") ? "" : (stryCov_9fa48("713"), 'GET')) : undefined));
              if (stryMutAct_9fa48("716") ? false : stryMutAct_9fa48("715") ? true : stryMutAct_9fa48("714") ? op : (stryCov_9fa48("714", "715", "716"), !op)) return stryMutAct_9fa48("717") ? {} : (stryCov_9fa48("717"), {
                kind: stryMutAct_9fa48("718") ? "" : (stryCov_9fa48("718"), 'method_not_allowed'),
                allowed: stryMutAct_9fa48("719") ? [] : (stryCov_9fa48("719"), [...route.byMethod.keys()])
              });
              const params: Record<string, string> = {};
              route.names.forEach((name, i) => {
                if (stryMutAct_9fa48("720")) {
                  {}
                } else {
                  stryCov_9fa48("720");
                  params[name] = decodeURIComponent(m[stryMutAct_9fa48("721") ? i - 1 : (stryCov_9fa48("721"), i + 1)]);
                }
              });
              return stryMutAct_9fa48("722") ? {} : (stryCov_9fa48("722"), {
                kind: stryMutAct_9fa48("723") ? "" : (stryCov_9fa48("723"), 'operation'),
                op,
                params
              });
            }
          }
          return stryMutAct_9fa48("724") ? {} : (stryCov_9fa48("724"), {
            kind: stryMutAct_9fa48("725") ? "" : (stryCov_9fa48("725"), 'not_found')
          });
        }
      }
    });
  }
}