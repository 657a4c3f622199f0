// @ts-nocheck
// fast-check arbitraries derived from JSON Schema 2020-12 as the spec uses it: types (and
// type lists with null), enum, const, formats (date-time, email), pattern, length and
// numeric bounds, required, additionalProperties, minProperties, uniqueItems, allOf,
// oneOf and $ref. A value it makes is meant to be valid; callers that must be sure filter
// through the schema validator as well.
import fc, { type Arbitrary } from 'fast-check';
import { deref, type JsonSchema } from '../../lib/openapi/load-spec';

const DATE_TIMES = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const EMAILS = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,15}$/), fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/), fc.constantFrom('example', 'corp.example', 'test'))
  .map(([user, host, tld]) => `${user}@${host}.${tld}`);

/** Merges the members of an allOf (properties, required, the rest last-wins). */
function mergeAllOf(doc: unknown, schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const part of schema.allOf as JsonSchema[]) {
    const s = resolve(doc, part);
    const merged = s.allOf ? mergeAllOf(doc, s) : s;
    for (const [k, v] of Object.entries(merged)) {
      if (k === 'properties') out.properties = { ...(out.properties ?? {}), ...(v as object) };
      else if (k === 'required') out.required = [...new Set([...(out.required ?? []), ...(v as string[])])];
      else out[k] = v;
    }
  }
  const { allOf: _a, ...rest } = schema;
  return { ...out, ...rest };
}

function resolve(doc: unknown, schema: JsonSchema): JsonSchema {
  return schema && typeof schema.$ref === 'string' ? deref<JsonSchema>(doc, schema, schema.$ref).value : schema;
}

/** An arbitrary of values valid against `schema`, a schema of document `doc`. */
export function arbitraryFor(doc: unknown, input: JsonSchema, depth = 0): Arbitrary<unknown> {
  let schema = resolve(doc, input);
  if (schema.allOf) schema = mergeAllOf(doc, schema);
  if (depth > 8) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.oneOf)) return fc.oneof(...(schema.oneOf as JsonSchema[]).map((s) => arbitraryFor(doc, s, depth + 1)));
  if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as JsonSchema[]).map((s) => arbitraryFor(doc, s, depth + 1)));
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ['object'] : ['string'];
  return fc.oneof(...types.map((t) => forType(doc, schema, t, depth)));
}

function forType(doc: unknown, schema: JsonSchema, type: string, depth: number): Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'string':
      return stringFor(schema);
    case 'array': {
      const items = schema.items ? arbitraryFor(doc, schema.items, depth + 1) : fc.jsonValue();
      const constraints = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 5) };
      return schema.uniqueItems ? fc.uniqueArray(items, { ...constraints, selector: (v) => JSON.stringify(v) }) : fc.array(items, constraints);
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      const names = Object.keys(properties);
      const record = fc.record(
        Object.fromEntries(names.map((n) => [n, arbitraryFor(doc, properties[n], depth + 1)])),
        { requiredKeys: required.filter((r) => names.includes(r)) },
      ) as Arbitrary<Record<string, unknown>>;
      const min = schema.minProperties ?? 0;
      return min > 0 ? record.filter((o) => Object.keys(o).length >= min) : record;
    }
    default:
      return fc.constant(null);
  }
}

function stringFor(schema: JsonSchema): Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 40;
  const fits = (s: string) => s.length >= min && s.length <= max;
  if (schema.format === 'date-time') return DATE_TIMES;
  if (schema.format === 'email') return EMAILS.filter(fits);
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  }
  return fc.string({ minLength: min, maxLength: Math.min(max, Math.max(min, 40)) });
}
