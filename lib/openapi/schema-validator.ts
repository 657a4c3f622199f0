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

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every object of a document, by identity, to its JSON pointer. */
function indexObjects(root: unknown, prefix: string, into: Map<object, string>): void {
  const walk = (node: unknown, at: string) => {
    if (node === null || typeof node !== 'object' || into.has(node)) return;
    into.set(node, at);
    for (const [k, v] of Object.entries(node)) walk(v, `${at}/${escape(k)}`);
  };
  walk(root, prefix);
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

const cache = new WeakMap<object, SchemaValidator>();

/**
 * A validator over `document`, shared by every caller with the same document object (the
 * compiled functions hold no state). Unknown keywords (example, x-*) are ignored.
 * `related` maps file names that `document` references (`cortex-edr.yaml`) to their content.
 */
export function createSchemaValidator(document: object, related: Record<string, object> = {}): SchemaValidator {
  const cached = cache.get(document);
  if (cached) return cached;
  // verbose: errors carry the schema object that failed, which locates it in the document.
  // validateSchema off: the document is linted by Spectral; checking it again costs start-up.
  const ajv = new Ajv2020({ strict: false, allErrors: false, verbose: true, validateSchema: false });
  addFormats(ajv);
  const pointers = new Map<object, string>();
  const files = new Map(Object.keys(related).map((name, i) => [name, `urn:cortex-edr:related:${i}`]));
  for (const [name, doc] of Object.entries(related)) {
    ajv.addSchema({ ...doc, $id: files.get(name) });
    indexObjects(doc, `${name}#`, pointers);
  }
  const main = files.size > 0 ? (rewriteRefs(document, files) as object) : document;
  indexObjects(main, '#', pointers);
  ajv.addSchema({ ...main, $id: DOC_ID });
  const compiled = new Map<string, (value: unknown) => SchemaFailure[]>();

  function toFailure(e: ErrorObject): SchemaFailure {
    const at = e.parentSchema ? pointers.get(e.parentSchema) : undefined;
    return {
      instancePath: e.instancePath,
      schemaPath: at !== undefined ? `${at}/${escape(e.keyword)}` : e.schemaPath,
      keyword: e.keyword,
      message: e.message ?? 'is invalid',
      params: e.params as Record<string, unknown>,
    };
  }

  function compile(pointer: string): (value: unknown) => SchemaFailure[] {
    let fn = compiled.get(pointer);
    if (fn) return fn;
    const validate = ajv.getSchema(`${DOC_ID}${pointer}`) as ValidateFunction | undefined;
    if (!validate) throw new Error(`no schema at ${pointer}`);
    fn = (value: unknown) => (validate(value) ? [] : (validate.errors ?? []).map(toFailure));
    compiled.set(pointer, fn);
    return fn;
  }

  const validator: SchemaValidator = { compile, validate: (pointer, value) => compile(pointer)(value) };
  cache.set(document, validator);
  return validator;
}
