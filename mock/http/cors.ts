// CORS on the API, on by default as Prism does, so a front end on another origin (another
// localhost port, say) can call the mock with a test key and read its rate-limit headers.
// The preflight is answered before authentication: browsers never send credentials on it.
// What is allowed and exposed comes from the spec: the methods of each path, the header
// parameters and security schemes it declares, and every response header it documents.
// CORS contributes headers to the response (response-headers.ts); the renderer makes it.
import type { MockRequest } from './exchange';
import type { ResponseHeaders } from './response-headers';
import type { LoadedSpec } from '../../lib/openapi/load-spec';

export interface CorsSettings {
  enabled: boolean;
  /** '*' for any origin, or the exact origins (scheme://host[:port]) allowed. */
  origins: readonly string[] | '*';
}

/** Headers the mock itself reads beyond the spec's parameters: Prism's Prefer for forced outcomes. */
const MOCK_REQUEST_HEADERS = ['Content-Type', 'Prefer'];
/** Headers the mock itself adds to every response. */
const MOCK_RESPONSE_HEADERS = ['X-Request-Id'];

/** What CORS asks of the router: the methods a path has (the pipeline's router, stages/routing.ts). */
export interface PathMethods {
  match(method: string, path: string): { kind: 'method_not_allowed'; allowed: string[] } | { kind: 'operation' | 'not_found' };
}

/** CORS for `spec`'s API; `router` is the pipeline's own, so a preflight knows a path's methods. */
export function createCors(spec: LoadedSpec, settings: CorsSettings, router: PathMethods) {
  const requestHeaders = new Set<string>(MOCK_REQUEST_HEADERS);
  const exposed = new Set<string>(MOCK_RESPONSE_HEADERS);
  for (const op of spec.operations) {
    for (const p of op.parameters) if (p.in === 'header') requestHeaders.add(p.name);
    for (const r of Object.values(op.responses)) for (const h of Object.keys(r.headers)) exposed.add(h);
  }
  for (const scheme of spec.credentialSchemes) if (scheme.in === 'header') requestHeaders.add(scheme.parameter);
  const allowHeaders = [...requestHeaders].join(', ');
  const exposeHeaders = [...exposed].join(', ');

  const originAllowed = (origin: string) => settings.origins === '*' || settings.origins.includes(origin);

  return {
    enabled: settings.enabled,
    /** Whether this is a CORS preflight (RFC 9110 OPTIONS with Access-Control-Request-Method). */
    isPreflight(req: Pick<MockRequest, 'method' | 'headers'>): boolean {
      return settings.enabled && req.method === 'OPTIONS' && typeof req.headers.origin === 'string' && req.headers['access-control-request-method'] !== undefined;
    },
    /** Answers a preflight for `path` (below the base path): 204, with the path's methods. */
    preflight(req: Pick<MockRequest, 'headers'>, headers: ResponseHeaders, path: string): { status: 204 } {
      const origin = String(req.headers.origin);
      headers.set('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
      // No spec operation is OPTIONS, so a known path answers with the methods it has.
      const route = router.match('OPTIONS', path);
      if (route.kind === 'method_not_allowed' && originAllowed(origin)) {
        headers.set('Access-Control-Allow-Origin', origin);
        headers.set('Access-Control-Allow-Methods', route.allowed.join(', '));
        headers.set('Access-Control-Allow-Headers', allowHeaders);
        headers.set('Access-Control-Max-Age', '600');
      }
      return { status: 204 };
    },
    /** Contributes the headers of an actual cross-origin response. */
    decorate(req: Pick<MockRequest, 'headers'>, headers: ResponseHeaders): void {
      if (!settings.enabled) return;
      headers.set('Vary', 'Origin');
      const origin = req.headers.origin;
      if (typeof origin !== 'string' || !originAllowed(origin)) return;
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Expose-Headers', exposeHeaders);
    },
  };
}

export type Cors = ReturnType<typeof createCors>;
