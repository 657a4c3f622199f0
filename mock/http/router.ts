// Matches a method and path to a spec operation. Routes are compiled once from the spec's
// path templates; nothing here names a path.
import type { SpecOperation } from '../../lib/openapi/load-spec';

export type RouteMatch =
  | { kind: 'operation'; op: SpecOperation; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allowed: string[] }
  | { kind: 'not_found' };

interface CompiledPath {
  regex: RegExp;
  names: string[];
  byMethod: Map<string, SpecOperation>;
  /** Literal paths are tried before templated ones. */
  literal: boolean;
}

/** Compiles the routes of `operations`; `match` then takes a path relative to the base path. */
export function createRouter(operations: SpecOperation[]) {
  const paths = new Map<string, CompiledPath>();
  for (const op of operations) {
    let compiled = paths.get(op.path);
    if (!compiled) {
      const names: string[] = [];
      const source = op.path
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const m = /^\{(.+)\}$/.exec(part);
          if (m) {
            names.push(m[1]);
            return '([^/]+)';
          }
          return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('');
      compiled = { regex: new RegExp(`^${source}/?$`), names, byMethod: new Map(), literal: names.length === 0 };
      paths.set(op.path, compiled);
    }
    compiled.byMethod.set(op.method.toUpperCase(), op);
  }
  const ordered = [...paths.values()].sort((a, b) => Number(b.literal) - Number(a.literal));

  return {
    /** `path` is already split from the query. Throws URIError on bad %-encoding. */
    match(method: string, path: string): RouteMatch {
      for (const route of ordered) {
        const m = route.regex.exec(path);
        if (!m) continue;
        const op = route.byMethod.get(method) ?? (method === 'HEAD' ? route.byMethod.get('GET') : undefined);
        if (!op) return { kind: 'method_not_allowed', allowed: [...route.byMethod.keys()] };
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1]);
        });
        return { kind: 'operation', op, params };
      }
      return { kind: 'not_found' };
    },
  };
}
