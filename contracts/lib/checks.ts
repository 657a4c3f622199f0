// The named checks. Each failure names the check, the operation, the request, the status,
// and the exact header or schema path that broke, so a CI log says what to fix.
import { createSchemaValidator, type SchemaValidator } from '../../lib/openapi/schema-validator';
import type { LoadedSpec, SpecOperation } from '../../lib/openapi/load-spec';
import type { HttpResponse } from './http';
import { parseList, type SfItem } from './structured-field';

/** Server-sent text is quoted at most this long in a message. */
const QUOTE_MAX = 200;

/**
 * A value the server sent, for a message: a string quoted and cut to QUOTE_MAX characters
 * with its full length noted, a number or boolean as written, anything else by its kind.
 * Never the whole of a long string: a message is copied into several reports.
 */
export function serverValue(value: unknown, redactText: (text: string) => string = (t) => t): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') {
    // Redacted whole, then cut: a cut first could leave part of a secret no rule knows.
    const shown = redactText(value);
    return shown.length <= QUOTE_MAX ? JSON.stringify(shown) : `${JSON.stringify(shown.slice(0, QUOTE_MAX))}... (${value.length} characters)`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return serverValue(String(value), redactText);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * Server-sent text as a message shows it: cut to QUOTE_MAX characters with its full length
 * noted, unquoted (`error.code is NOPE, not UNAUTHORIZED`).
 */
export function serverText(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? 'missing' : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  return text.length <= QUOTE_MAX ? text : `${text.slice(0, QUOTE_MAX)}... (${text.length} characters)`;
}

/** A broken promise of the spec. The message starts with `[check-name]`. */
export class ContractViolation extends Error {
  constructor(
    readonly check: string,
    op: SpecOperation | undefined,
    res: HttpResponse | undefined,
    detail: string,
  ) {
    const where = op ? `${op.operationId} (${res?.request ?? `${op.method.toUpperCase()} ${op.path}`})` : res?.request ?? '';
    super(`[${check}] ${where}${res ? ` -> ${res.status}` : ''}: ${detail}`);
    this.name = 'ContractViolation';
  }
}

export function fail(check: string, op: SpecOperation | undefined, res: HttpResponse | undefined, detail: string): never {
  throw new ContractViolation(check, op, res, detail);
}

const RATE_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];

export type ResponseCheck = (op: SpecOperation, res: HttpResponse, options?: { clock: boolean }) => void;

/** The check every response must pass against `spec`: documented status, schema, content type, headers. */
export function createResponseCheck(spec: LoadedSpec): ResponseCheck {
  const validator = createSchemaValidator(spec.document);
  return (op, res, options = { clock: true }) => checkResponse(validator, op, res, options);
}

function checkResponse(validator: SchemaValidator, op: SpecOperation, res: HttpResponse, options: { clock: boolean }): void {
  const documented = op.responses[String(res.status)];
  if (!documented) {
    fail('status-documented', op, res, `status ${res.status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`);
  }
  if (documented.schemaPointer) {
    const type = res.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) fail('content-type', op, res, `Content-Type is "${serverText(type)}", not application/json`);
    const failures = validator.validate(documented.schemaPointer, res.body);
    if (failures.length > 0) {
      const f = failures[0];
      fail('body-schema', op, res, `body${f.instancePath || ''} ${f.message} (schema ${f.schemaPath})`);
    }
  } else if (res.text.length > 0) {
    fail('body-schema', op, res, `status ${res.status} documents no body, got ${res.text.length} bytes`);
  }
  for (const [name, header] of Object.entries(documented.headers)) {
    const raw = res.headers[name.toLowerCase()];
    if (raw === undefined) {
      if (header.required && !inIetfForm(name, res)) fail(headerCheck(name), op, res, `header ${name} is missing`);
      continue;
    }
    const value = header.schema.type === 'integer' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    const failures = validator.validate(header.schemaPointer, value);
    if (failures.length > 0) fail(headerCheck(name), op, res, `header ${name}: "${serverText(raw)}" ${failures[0].message} (schema ${failures[0].schemaPath})`);
  }
  // Rate-limit figures agree with each other when present.
  if (RATE_HEADERS.every((h) => res.headers[h] !== undefined)) {
    const limit = Number(res.headers['x-ratelimit-limit']);
    const remaining = Number(res.headers['x-ratelimit-remaining']);
    if (remaining > limit) fail('rate-limit-headers', op, res, `X-RateLimit-Remaining ${remaining} exceeds X-RateLimit-Limit ${limit}`);
  }
  checkRateLimitFields(op, res, options);
  if (res.status === 429) checkRetryAfter(op, res, options);
}

/**
 * Whether a missing X-RateLimit-* field is carried by the IETF fields instead: a server that
 * sends only RateLimit-Policy and RateLimit (the mock's `rate_limit_headers: [ietf]`), as
 * the spec's X-RateLimit-Limit allows: no X- field at all, and both IETF fields, which
 * checkRateLimitFields checks.
 */
function inIetfForm(name: string, res: HttpResponse): boolean {
  // All or nothing: a server that sends part of the X- form is broken, whatever else it sends.
  return (
    name.toLowerCase().startsWith('x-ratelimit-') &&
    RATE_HEADERS.every((h) => res.headers[h] === undefined) &&
    res.headers['ratelimit'] !== undefined &&
    res.headers['ratelimit-policy'] !== undefined
  );
}

/** The one Item of an IETF rate-limit field, its value a String and the given parameters Integers. */
function rateLimitItem(op: SpecOperation, res: HttpResponse, name: string, keys: readonly string[]): { policy: string; figures: Record<string, number> } {
  const raw = res.headers[name.toLowerCase()] ?? '';
  let members: SfItem[];
  try {
    members = parseList(raw);
  } catch (err) {
    return fail('rate-limit-fields', op, res, `${name}: "${serverText(raw)}" is not an RFC 9651 List: ${(err as Error).message}`);
  }
  if (members.length !== 1) fail('rate-limit-fields', op, res, `${name}: "${serverText(raw)}" has ${members.length} members, not the one policy the spec documents`);
  const [{ value, params }] = members;
  if (typeof value !== 'string') fail('rate-limit-fields', op, res, `${name}: the policy's name is not a String in "${serverText(raw)}"`);
  const figures: Record<string, number> = {};
  for (const key of keys) {
    const figure = params.get(key);
    if (typeof figure !== 'number' || !Number.isInteger(figure) || figure < 0) fail('rate-limit-fields', op, res, `${name}: "${key}" is ${serverValue(String(figure ?? 'missing'))}, not a non-negative Integer`);
    figures[key] = figure;
  }
  return { policy: value, figures };
}

/**
 * The IETF rate-limit fields (draft-ietf-httpapi-ratelimit-headers), whenever a server sends
 * either: both present, each one Item naming the same policy, `r` <= `q`, `t` within 0..`w`;
 * the same figures as the X- form when that is sent too (q = Limit, r = Remaining, and with
 * the clock t = Reset minus Date); and a 429's Retry-After never earlier than `t`.
 */
export function checkRateLimitFields(op: SpecOperation, res: HttpResponse, options: { clock: boolean } = { clock: true }): void {
  const hasPolicy = res.headers['ratelimit-policy'] !== undefined;
  const hasLimit = res.headers['ratelimit'] !== undefined;
  if (!hasPolicy && !hasLimit) return;
  if (!hasPolicy || !hasLimit) fail('rate-limit-fields', op, res, `${hasPolicy ? 'RateLimit-Policy' : 'RateLimit'} came without ${hasPolicy ? 'RateLimit' : 'RateLimit-Policy'}`);
  const policy = rateLimitItem(op, res, 'RateLimit-Policy', ['q', 'w']);
  const current = rateLimitItem(op, res, 'RateLimit', ['r', 't']);
  const { q, w } = policy.figures;
  const { r, t } = current.figures;
  if (policy.policy !== current.policy) fail('rate-limit-fields', op, res, `RateLimit names policy ${serverValue(current.policy)}, RateLimit-Policy ${serverValue(policy.policy)}`);
  if (r > q) fail('rate-limit-fields', op, res, `RateLimit r=${r} exceeds RateLimit-Policy q=${q}`);
  if (t > w) fail('rate-limit-fields', op, res, `RateLimit t=${t} is past the window, RateLimit-Policy w=${w}`);
  const xForm = (name: string) => (res.headers[name] === undefined ? undefined : Number(res.headers[name]));
  const limit = xForm('x-ratelimit-limit');
  const remaining = xForm('x-ratelimit-remaining');
  const reset = xForm('x-ratelimit-reset');
  if (limit !== undefined && limit !== q) fail('rate-limit-fields', op, res, `RateLimit-Policy q=${q} differs from X-RateLimit-Limit ${limit}`);
  if (remaining !== undefined && remaining !== r) fail('rate-limit-fields', op, res, `RateLimit r=${r} differs from X-RateLimit-Remaining ${remaining}`);
  const date = Date.parse(res.headers.date ?? '');
  // Against a server whose figures are static examples (Prism), t and Reset share no clock.
  if (options.clock && reset !== undefined && Number.isFinite(date)) {
    const expected = reset - Math.floor(date / 1000);
    // Date has whole-second precision, so one second either way is the same instant.
    if (Math.abs(Math.min(Math.max(expected, 0), w) - t) > 1) fail('rate-limit-fields', op, res, `RateLimit t=${t} is not X-RateLimit-Reset ${reset} minus Date (${expected})`);
  }
  if (res.status === 429) {
    const retryAfter = Number(res.headers['retry-after']);
    if (!(retryAfter >= t)) fail('retry-after', op, res, `Retry-After ${serverValue(res.headers['retry-after'])} is earlier than RateLimit t=${t}: the quota is not back yet`);
  }
}

/**
 * A response's rate-limit figures, from the X- form when sent, else from the IETF fields
 * (Reset as Date plus `t`): what the rate-limit suite counts down, whichever form a server sends.
 */
export function rateLimitFigures(res: HttpResponse): { limit: number; remaining: number; reset: number } {
  if (res.headers['x-ratelimit-limit'] !== undefined || res.headers['ratelimit'] === undefined) {
    return { limit: Number(res.headers['x-ratelimit-limit']), remaining: Number(res.headers['x-ratelimit-remaining']), reset: Number(res.headers['x-ratelimit-reset']) };
  }
  const param = (field: string | undefined, key: string) => {
    try {
      const value = parseList(field ?? '')[0]?.params.get(key);
      return typeof value === 'number' ? value : NaN;
    } catch {
      return NaN;
    }
  };
  const date = Math.floor(Date.parse(res.headers.date ?? '') / 1000);
  return { limit: param(res.headers['ratelimit-policy'], 'q'), remaining: param(res.headers['ratelimit'], 'r'), reset: date + param(res.headers['ratelimit'], 't') };
}

function headerCheck(name: string): string {
  const n = name.toLowerCase();
  if (n.startsWith('x-ratelimit-')) return 'rate-limit-headers';
  if (n === 'www-authenticate') return 'www-authenticate';
  if (n === 'retry-after') return 'retry-after';
  return 'response-headers';
}

/** 429: Retry-After agrees with the body and with X-RateLimit-Reset (RFC 9110 10.2.3). */
export function checkRetryAfter(op: SpecOperation, res: HttpResponse, options: { clock: boolean } = { clock: true }): void {
  const retryAfter = Number(res.headers['retry-after']);
  const details = (res.body as { error?: { details?: Record<string, number> } })?.error?.details ?? {};
  if (details.retry_after_seconds !== retryAfter) {
    fail('retry-after', op, res, `Retry-After ${retryAfter} differs from details.retry_after_seconds ${details.retry_after_seconds}`);
  }
  // A server sending only the IETF fields has no X-RateLimit-Reset: checkRateLimitFields
  // holds Retry-After to their `t`.
  if (res.headers['x-ratelimit-reset'] === undefined && inIetfForm('x-ratelimit-reset', res)) return;
  const reset = Number(res.headers['x-ratelimit-reset']);
  if (details.reset !== undefined && details.reset !== reset) fail('retry-after', op, res, `details.reset ${details.reset} differs from X-RateLimit-Reset ${reset}`);
  const date = Date.parse(res.headers.date ?? '');
  // Against a server whose rate-limit figures are static examples (Prism), skip the clock.
  if (options.clock && Number.isFinite(date)) {
    const expected = reset - Math.floor(date / 1000);
    // Date has whole-second precision, so one second either way is the same instant.
    if (Math.abs(expected - retryAfter) > 1) {
      fail('retry-after', op, res, `Retry-After ${retryAfter} is not X-RateLimit-Reset ${reset} minus Date (${expected})`);
    }
  }
}

/** The status must be exactly this one: 401 and 403 are not interchangeable. */
export function expectStatus(op: SpecOperation, res: HttpResponse, expected: number, why: string): void {
  if (res.status !== expected) fail('expected-status', op, res, `expected ${expected} (${why}), got ${res.status}: ${res.text.slice(0, 200)}`);
}

/** The error body's code and (for 401) reason, and the RFC 6750 challenge. */
export function expectAuthError(op: SpecOperation, res: HttpResponse, kind: { status: 401; reason?: string; presented: boolean } | { status: 403 }): void {
  const error = (res.body as { error?: { code?: string; details?: Record<string, unknown> } })?.error;
  if (!error || typeof error.details !== 'object' || error.details === null) fail('error-shape', op, res, 'the error body has no details object');
  const challenge = res.headers['www-authenticate'] ?? '';
  if (kind.status === 401) {
    if (error.code !== 'UNAUTHORIZED') fail('error-shape', op, res, `error.code is ${serverText(error.code)}, not UNAUTHORIZED`);
    if (kind.reason && error.details!.reason !== kind.reason) fail('auth-reason', op, res, `details.reason is ${serverText(error.details!.reason)}, not ${kind.reason}`);
    // RFC 6750 section 3.1: no error attribute without credentials; invalid_token with them.
    if (kind.presented && !/error="invalid_token"/.test(challenge)) fail('www-authenticate', op, res, `a rejected key needs error="invalid_token", got: ${serverText(challenge)}`);
    if (!kind.presented && /error=/.test(challenge)) fail('www-authenticate', op, res, `no key was sent, so no error attribute is allowed, got: ${serverText(challenge)}`);
  } else {
    if (error.code !== 'FORBIDDEN') fail('error-shape', op, res, `error.code is ${serverText(error.code)}, not FORBIDDEN`);
    const required = error.details!.required_permissions as string[] | undefined;
    if (JSON.stringify(required) !== JSON.stringify(op.requiredPermissions)) {
      fail('forbidden-details', op, res, `details.required_permissions is ${serverText(JSON.stringify(required))}, the spec says ${JSON.stringify(op.requiredPermissions)}`);
    }
    const scope = `scope="${op.requiredPermissions.join(' ')}"`;
    if (!challenge.includes('error="insufficient_scope"') || !challenge.includes(scope)) {
      fail('www-authenticate', op, res, `a 403 needs error="insufficient_scope" and ${scope}, got: ${serverText(challenge)}`);
    }
  }
}
