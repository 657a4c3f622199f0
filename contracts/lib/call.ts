// What one call of an operation sends: its URL (the path's parameters filled in, the
// query), its headers (the key by the chosen method) and its body, built from the options
// a suite gives.
import type { SpecOperation } from '../../lib/openapi/load-spec';
import type { SendInit } from './budget';

export interface CallOptions {
  key?: string;
  via?: 'header' | 'query';
  /** What the call exercises, for the matrix: valid, none, malformed, unknown, expired, revoked, forbidden, forced... */
  auth: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Skip the universal checks (the caller checks the failure it expects). */
  unchecked?: boolean;
  /** The exact status due, checked before anything else: a wrong status is the diagnosis. */
  expect?: { status: number; why: string };
  /** When the run signs requests: false for an unsigned one, or how to sign it (signing suite). */
  sign?: SendInit['sign'];
}

/** The URL and what goes with it for a call of `op` below `baseUrl`. */
export function buildCall(baseUrl: string, op: SpecOperation, options: CallOptions): SendInit & { url: string } {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(options.params?.[name] ?? `missing_${name}`));
  const query = new URLSearchParams(options.query ?? {});
  const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) };
  if (options.key !== undefined) {
    if (options.via === 'query') query.set('api_key', options.key);
    else headers.Authorization = `Bearer ${options.key}`;
  }
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  const qs = query.toString();
  return { url: `${baseUrl}${path}${qs ? `?${qs}` : ''}`, headers, body, ...(options.sign !== undefined ? { sign: options.sign } : {}) };
}
