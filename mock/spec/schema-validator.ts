// Compiles JSON Schemas of the OpenAPI document with Ajv (JSON Schema 2020-12, the dialect
// of OpenAPI 3.1) and validates values against them by JSON pointer into the document.
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const DOC_ID = 'urn:cortex-edr:spec';

/** A failed check: the JSON pointer of the failing keyword in the document, and a message. */
export interface SchemaFailure {
  /** Where in the value: `/target`, or '' for the value itself. */
  instancePath: string;
  /** JSON pointer (with leading `#`) to the schema keyword in the document that failed. */
  schemaPath: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

/** Validates values against schemas inside one OpenAPI document, compiled once each. */
export interface SchemaValidator {
  validate(pointer: string, value: unknown): SchemaFailure[];
  /** A compiled validator for a pointer, for hot paths that call it many times. */
  compile(pointer: string): (value: unknown) => SchemaFailure[];
}

/** Rewrites `$ref: ./file.yaml#/x` into a reference to that document's Ajv id. */
function rewriteRefs(node: unknown, files: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, files));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) {
      const [file, fragment = ''] = v.split('#');
      const id = files.get(file.replace(/^\.\//, ''));
      out[k] = id ? `${id}#${fragment}` : v;
    } else {
      out[k] = rewriteRefs(v, files);
    }
  }
  return out;
}

/**
 * Creates a validator over `document`. Unknown keywords (example, x-*) are ignored.
 * `related` maps file names that `document` references (`cortex-edr.yaml`) to their content.
 */
export function createSchemaValidator(document: object, related: Record<string, object> = {}): SchemaValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  const files = new Map(Object.keys(related).map((name, i) => [name, `urn:cortex-edr:related:${i}`]));
  Object.entries(related).forEach(([name, doc]) => ajv.addSchema({ ...doc, $id: files.get(name) }));
  ajv.addSchema({ ...(rewriteRefs(document, files) as object), $id: DOC_ID });
  const cache = new Map<string, (value: unknown) => SchemaFailure[]>();

  function compile(pointer: string): (value: unknown) => SchemaFailure[] {
    let fn = cache.get(pointer);
    if (fn) return fn;
    const validate = ajv.getSchema(`${DOC_ID}${pointer}`) as ValidateFunction | undefined;
    if (!validate) throw new Error(`no schema at ${pointer}`);
    fn = (value: unknown) => (validate(value) ? [] : (validate.errors ?? []).map((e) => toFailure(pointer, e)));
    cache.set(pointer, fn);
    return fn;
  }

  return { compile, validate: (pointer, value) => compile(pointer)(value) };
}

function toFailure(base: string, e: ErrorObject): SchemaFailure {
  // Ajv reports schemaPath relative to the compiled fragment until a $ref is crossed, and
  // from the document's root after it (`#/components/...`). Top-level OpenAPI fields are
  // never JSON Schema keywords, so the prefix tells the two apart.
  let schemaPath = e.schemaPath.startsWith(DOC_ID) ? e.schemaPath.slice(DOC_ID.length) : e.schemaPath;
  if (!/^#\/(components|paths|webhooks)\//.test(schemaPath)) schemaPath = base + schemaPath.slice(1);
  return {
    instancePath: e.instancePath,
    schemaPath,
    keyword: e.keyword,
    message: e.message ?? 'is invalid',
    params: e.params as Record<string, unknown>,
  };
}
