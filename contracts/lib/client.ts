// Calls an operation of the spec on the target, runs the universal checks, and records
// what was exercised for the coverage matrix.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SpecOperation } from '../../lib/openapi/load-spec';
import { SPEC, checkResponse, expectStatus } from './checks';
import { send, type HttpResponse } from './http';
import { readSettings, CANNOT, type Capability, type Settings } from './settings';

export const settings: Settings = readSettings();
mkdirSync(settings.reportDir, { recursive: true });

export function operation(id: string): SpecOperation {
  const op = SPEC.operations.find((o) => o.operationId === id);
  if (!op) throw new Error(`no operation ${id} in the spec`);
  return op;
}

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
}

/** Calls `op` and checks the response against the spec. */
export async function call(op: SpecOperation, options: CallOptions): Promise<HttpResponse> {
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
  const res = await send(op.method, `${settings.baseUrl}${path}${qs ? `?${qs}` : ''}`, { headers, body, timeoutMs: settings.timeoutMs });
  appendFileSync(
    join(settings.reportDir, 'coverage.jsonl'),
    `${JSON.stringify({ operationId: op.operationId, status: res.status, auth: options.auth })}\n`,
  );
  if (options.expect) expectStatus(op, res, options.expect.status, options.expect.why);
  if (!options.unchecked) checkResponse(op, res, { clock: cannot('rate-limits') === undefined });
  return res;
}

/** Notes a scenario the run leaves out, and why, for the summary. */
export function skipped(scenario: string, reason: string): void {
  appendFileSync(join(settings.reportDir, 'skipped.jsonl'), `${JSON.stringify({ scenario, reason })}\n`);
}

/** The reason this target cannot do `capability`, or undefined when it can. */
export function cannot(capability: Capability): string | undefined {
  return CANNOT[settings.target][capability];
}

/**
 * `it`, or `it.skip` with the reason recorded when a precondition fails. Each
 * precondition is [ok, reason].
 */
export function itWhen(preconditions: Array<[boolean, string]>) {
  const missing = preconditions.find(([ok]) => !ok);
  if (!missing) return it;
  return (name: string, fn: () => Promise<void>) => {
    skipped(name, missing[1]);
    it.skip(`${name} (skipped: ${missing[1]})`, fn);
  };
}

export const isLive = (key: string | undefined) => key?.startsWith('sk_live_') ?? false;
