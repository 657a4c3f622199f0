// @ts-nocheck
// Requests built from the spec's own schemas, for the generative phase: valid ones (every
// parameter and body from its schema, edges of lengths and bounds included) and invalid
// ones that break exactly one rule (wrong type, out of bounds, missing required, extra
// property, broken pattern or format), each knowing which parameter a 400 must name.
import fc, { type Arbitrary } from 'fast-check';
import { deref, type JsonSchema, type LoadedSpec, type SpecOperation } from '../../lib/openapi/load-spec';
import { arbitraryFor } from './arbitraries';

/** One request, before it is sent. */
export interface GeneratedRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
}

/** A request that breaks one rule, and the parameter (or body field) a 400 must name. */
export interface Violation {
  request: GeneratedRequest;
  /** What was broken, for messages: `body.target: too long`. */
  rule: string;
  /** The name the 400's details.parameter must start with. */
  names: string;
}

const resolve = (spec: LoadedSpec, schema: JsonSchema): JsonSchema => (schema?.$ref ? deref<JsonSchema>(spec.document, schema, schema.$ref).value : schema);

/** Strings at the edges of a pattern's length bounds, where the pattern allows them. */
function edgeStrings(schema: JsonSchema): string[] {
  if (typeof schema.pattern !== 'string') return [];
  const re = new RegExp(schema.pattern);
  const lengths = [schema.minLength ?? 1, schema.maxLength].filter((n): n is number => typeof n === 'number' && n > 0 && n <= 1000);
  const out: string[] = [];
  for (const length of lengths) {
    for (const c of ['a', '0', 'A']) {
      const s = c.repeat(length);
      if (re.test(s)) {
        out.push(s);
        break;
      }
    }
  }
  return out;
}

/** A value for a parameter or field: from its schema, edges more often than chance would give. */
function valueOf(spec: LoadedSpec, raw: JsonSchema, header = false): Arbitrary<unknown> {
  const schema = resolve(spec, raw);
  if (header && schema.type === 'string' && !schema.enum && !schema.pattern) {
    // Header values travel as visible ASCII.
    return fc.stringMatching(new RegExp(`^[\\x21-\\x7e]{${Math.max(1, schema.minLength ?? 1)},${Math.min(64, schema.maxLength ?? 64)}}$`));
  }
  const edges = schema.type === 'string' ? edgeStrings(schema) : [];
  const base = arbitraryFor(spec.document, schema);
  return edges.length ? fc.oneof({ arbitrary: base, weight: 3 }, { arbitrary: fc.constantFrom(...edges), weight: 1 }) : base;
}

/** Body values, field by field, with edge strings for patterned fields. */
function bodyOf(spec: LoadedSpec, raw: JsonSchema): Arbitrary<unknown> {
  const schema = resolve(spec, raw);
  if (schema.type !== 'object' || !schema.properties) return arbitraryFor(spec.document, schema);
  const required = (schema.required ?? []) as string[];
  const record = fc.record(Object.fromEntries(Object.entries(schema.properties as Record<string, JsonSchema>).map(([name, s]) => [name, valueOf(spec, s)])), { requiredKeys: required }) as Arbitrary<Record<string, unknown>>;
  return schema.minProperties ? record.filter((o) => Object.keys(o).length >= schema.minProperties) : record;
}

/**
 * Valid requests for `op`. Path parameters are the ids given (resources that exist);
 * a cursor is left out: only a list gives one.
 */
export function validRequests(spec: LoadedSpec, op: SpecOperation, ids: Record<string, string>, isValidBody: (value: unknown) => boolean): Arbitrary<GeneratedRequest> {
  const query = op.parameters.filter((p) => p.in === 'query' && p.name !== 'cursor');
  const headers = op.parameters.filter((p) => p.in === 'header');
  const pick = (ps: typeof query, header = false) =>
    fc.record(Object.fromEntries(ps.map((p) => [p.name, valueOf(spec, p.schema, header).map(String)])), { requiredKeys: ps.filter((p) => p.required).map((p) => p.name) }) as Arbitrary<Record<string, string>>;
  const body = op.requestBody ? bodyOf(spec, op.requestBody.schema).filter(isValidBody) : fc.constant(undefined);
  return fc.record({ params: fc.constant({ ...ids }), query: pick(query), headers: pick(headers, true), body }).map((r) => (r.body === undefined ? { params: r.params, query: r.query, headers: r.headers } : r));
}

/** Values that break one keyword of `schema`, with what they break. */
function breakersOf(spec: LoadedSpec, raw: JsonSchema): Array<{ value: unknown; rule: string }> {
  const s = resolve(spec, raw);
  const out: Array<{ value: unknown; rule: string }> = [];
  const type = Array.isArray(s.type) ? s.type.filter((t: string) => t !== 'null')[0] : s.type;
  if (type === 'string' || s.enum) out.push({ value: 12345, rule: 'a number where a string is due' });
  if (type === 'integer' || type === 'number') {
    out.push({ value: 'abc', rule: 'a word where a number is due' });
    if (typeof s.minimum === 'number') out.push({ value: s.minimum - 1, rule: `below its minimum ${s.minimum}` });
    if (typeof s.maximum === 'number') out.push({ value: s.maximum + 1, rule: `above its maximum ${s.maximum}` });
  }
  if (type === 'array') {
    out.push({ value: 'not-a-list', rule: 'a string where a list is due' });
    if (typeof s.maxItems === 'number') out.push({ value: Array.from({ length: s.maxItems + 1 }, () => 'read'), rule: `more than ${s.maxItems} items` });
  }
  if (type === 'boolean') out.push({ value: 'maybe', rule: 'a word where a boolean is due' });
  if (s.enum) out.push({ value: 'not-one-of-them', rule: 'a value outside its enum' });
  if (typeof s.minLength === 'number' && s.minLength > 0) out.push({ value: '', rule: `shorter than ${s.minLength}` });
  if (typeof s.maxLength === 'number' && s.maxLength < 10_000) out.push({ value: 'a'.repeat(s.maxLength + 1), rule: `longer than ${s.maxLength}` });
  if (typeof s.pattern === 'string') out.push({ value: '!! not it !!', rule: `breaking its pattern ${s.pattern}` });
  if (s.format === 'email') out.push({ value: 'not-an-email', rule: 'not an email' });
  if (s.format === 'date-time') out.push({ value: '2026-12-31T23:59:60Z', rule: 'a leap second, which no Date holds' });
  return out;
}

/** Every single-rule violation of a valid request for `op`. */
export function violations(spec: LoadedSpec, op: SpecOperation, valid: GeneratedRequest): Violation[] {
  const out: Violation[] = [];
  const copy = (): GeneratedRequest => JSON.parse(JSON.stringify(valid));
  for (const p of op.parameters) {
    if (p.in === 'cookie' || p.in === 'header') continue;
    for (const b of breakersOf(spec, p.schema)) {
      // A path or query value is text: a number breaks nothing there.
      if (typeof b.value === 'number' && b.rule.includes('where a string')) continue;
      if (typeof b.value !== 'string' && typeof b.value !== 'number') continue;
      if (p.in === 'path' && (b.value === '' || String(b.value).includes('/'))) continue;
      const request = copy();
      (p.in === 'path' ? request.params : request.query)[p.name] = String(b.value);
      out.push({ request, rule: `${p.in} ${p.name}: ${b.rule}`, names: p.name });
    }
    if (p.required && p.in === 'query') {
      const request = copy();
      delete request.query[p.name];
      out.push({ request, rule: `query ${p.name}: missing`, names: p.name });
    }
  }
  if (op.requestBody && valid.body && typeof valid.body === 'object' && !Array.isArray(valid.body)) {
    const schema = resolve(spec, op.requestBody.schema);
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema.required ?? []) as string[]) {
      const request = copy();
      delete (request.body as Record<string, unknown>)[name];
      out.push({ request, rule: `body ${name}: missing`, names: name });
    }
    if (schema.additionalProperties === false) {
      const request = copy();
      (request.body as Record<string, unknown>).x_unexpected = 1;
      out.push({ request, rule: 'body: an extra property x_unexpected', names: 'x_unexpected' });
    }
    for (const [name, s] of Object.entries(props)) {
      for (const b of breakersOf(spec, s)) {
        const request = copy();
        (request.body as Record<string, unknown>)[name] = b.value;
        out.push({ request, rule: `body ${name}: ${b.rule}`, names: name });
      }
    }
    if (schema.minProperties) {
      out.push({ request: { ...copy(), body: {} }, rule: `body: fewer than ${schema.minProperties} properties`, names: 'body' });
    }
  }
  return out;
}

/** A curl command that sends `request`, with the key as an environment variable. */
export function curlOf(baseUrl: string, op: SpecOperation, request: GeneratedRequest, keyVariable: string | undefined): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(request.params[name] ?? ''));
  const qs = new URLSearchParams(request.query).toString();
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = ['curl -i', `-X ${op.method.toUpperCase()}`, quote(`${baseUrl}${path}${qs ? `?${qs}` : ''}`)];
  if (keyVariable) parts.push(`-H "Authorization: Bearer $${keyVariable}"`);
  for (const [k, v] of Object.entries(request.headers)) parts.push(`-H ${quote(`${k}: ${v}`)}`);
  if (request.body !== undefined) parts.push(`-H 'Content-Type: application/json'`, `-d ${quote(JSON.stringify(request.body))}`);
  return parts.join(' ');
}
