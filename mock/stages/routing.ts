// Routing, the first stage: matches a method and path to a spec operation. Routes are
// compiled once from the spec's path templates (nothing here names a path), and the core
// builds the router once for the pipeline and CORS.
//
// Routing runs first, but a miss is not answered first: the spec's order puts credentials
// (and, by default, the rate limit) before anything that needs the operation, so an unknown
// path with no key is a 401, and with a key its 404 spends budget. Routing records what it
// found (a match, or a miss: no such path, another method, a malformed %-escape), and the
// first stage that needs the operation (permission, validation, operation) reaches it with
// `reach`, which turns a miss into its error at that point of the spec's order.
import { ApiError } from '../errors/api-error';
import { toApiError } from '../http/render';
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
export function createRouter(operations: readonly SpecOperation[]) {
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

/** The router of one spec's operations. */
export type Router = ReturnType<typeof createRouter>;

/** What routing found: a match, a miss, or a path whose %-escapes do not decode. */
export type Route = RouteMatch | { kind: 'malformed'; error: URIError };

/** Routes `method` and `path` (split from its query); a miss is kept, to be answered later. */
export function routeOf(router: Router, method: string, path: string): Route {
  try {
    return router.match(method, path);
  } catch (err) {
    if (err instanceof URIError) return { kind: 'malformed', error: err };
    throw err;
  }
}

/** The operation routing found, once a stage needs it: the route's own match. */
export interface Routed {
  op: SpecOperation;
  params: Record<string, string>;
}

/**
 * Reaches the route of a context: sets its `routed` (routing owns it), or gives the error a
 * miss answers with. The runner then knows the context as routed (`isReached`).
 */
export function reach(ctx: { route: Route; routed: Routed | undefined }): ApiError | undefined {
  const route = ctx.route;
  switch (route.kind) {
    case 'operation':
      ctx.routed = route;
      return undefined;
    case 'not_found':
      return ApiError.notFound('route');
    case 'method_not_allowed':
      return ApiError.methodNotAllowed(route.allowed);
    case 'malformed':
      // A bad %-escape answers as a URIError always has: a 400 malformed_url.
      return toApiError(route.error);
  }
}
