// Compiles JSON Schemas of the OpenAPI document with Ajv (JSON Schema 2020-12, the dialect
// of OpenAPI 3.1) and validates values against them by JSON pointer into the document.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type Ajv2020 from 'ajv/dist/2020';
import { loadValidatorModule, newAjv, validatorCacheFile, type AjvOptions } from './precompiled';

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

/**
 * What a schema failure is about, in words: the path to the field it names (a missing or
 * unknown property included) and why. The one describer of the mock's 400s and of its
 * config errors, which then spell the path their own way.
 */
export function describeFailure(f: { instancePath: string; keyword: string; message?: string; params: Record<string, unknown>; propertyName?: string }): { path: string[]; reason: string } {
  const path = f.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let reason = f.message ?? 'is invalid';
  if (f.keyword === 'additionalProperties') {
    path.push(String(f.params.additionalProperty));
    reason = 'is not a known field';
  } else if (f.propertyName !== undefined) {
    // A propertyNames failure: the key itself is wrong, so name it.
    path.push(f.propertyName);
    reason = `is not a known name; must be one of ${((f.params.allowedValues as unknown[] | undefined) ?? []).join(', ')}`;
  } else if (f.keyword === 'enum') {
    reason = `must be one of ${((f.params.allowedValues as unknown[] | undefined) ?? []).join(', ')}`;
  } else if (f.keyword === 'required') {
    path.push(String(f.params.missingProperty));
    reason = 'is required';
  } else if (f.keyword === 'format' && f.params.format === 'date-time') {
    reason = 'must be an RFC 3339 date-time that JavaScript can hold (no leap second, a real day of the month, an offset with minutes)';
  }
  return { path, reason };
}

/** Validates values against schemas inside one OpenAPI document, compiled once each. */
export interface SchemaValidator {
  validate(pointer: string, value: unknown): SchemaFailure[];
  /** A compiled validator for a pointer, for hot paths that call it many times. */
  compile(pointer: string): (value: unknown) => SchemaFailure[];
  /** Whether the build compiled this pointer's validator (see precompiled.ts). */
  isPrecompiled(pointer: string): boolean;
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Where a schema object sits in its document; Ajv's verbose errors carry it back. */
export const POINTER_KEYWORD = 'x-cortex-pointer';

export const SPEC_AJV_OPTIONS: AjvOptions = { strict: false, allErrors: false, verbose: true, validateSchema: false };
const DOC_ID = 'urn:cortex-edr:spec';

// JSON Schema 2020-12 keywords whose value is a schema, a map of schemas or a list of them.
const ONE_SCHEMA = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema']);
const SCHEMA_MAP = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/**
 * A copy of an OpenAPI document in which every schema object names its own location
 * (`x-cortex-pointer`), so a failure can be traced to the document whether the validator
 * was compiled now or by the build. Examples and value keywords are copied untouched.
 */
function annotate(node: unknown, at: string, isSchema: boolean): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((v, i) => annotate(v, `${at}/${i}`, false));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    const child = `${at}/${escape(k)}`;
    if (k === 'example' || k === 'examples') out[k] = v;
    else if (isSchema && ONE_SCHEMA.has(k)) out[k] = annotate(v, child, true);
    else if (isSchema && SCHEMA_MAP.has(k) && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, annotate(s, `${child}/${escape(name)}`, true)]));
    } else if (isSchema && SCHEMA_LIST.has(k) && Array.isArray(v)) out[k] = v.map((s, i) => annotate(s, `${child}/${i}`, true));
    else if (!isSchema && k === 'schema') out[k] = annotate(v, child, true);
    else if (!isSchema && k === 'schemas' && at.endsWith('#/components') && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, annotate(s, `${child}/${escape(name)}`, true)]));
    } else if (isSchema) out[k] = v; // a value keyword: type, enum, const, pattern, required...
    else out[k] = annotate(v, child, false);
  }
  if (isSchema) out[POINTER_KEYWORD] = at;
  return out;
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

/** The documents as Ajv is given them: annotated, with ids, related ones first. */
export function prepareDocuments(document: object, related: Record<string, object> = {}): Array<{ $id: string }> {
  const files = new Map(Object.keys(related).map((name, i) => [name, `urn:cortex-edr:related:${i}`]));
  const docs = Object.entries(related).map(([name, doc]) => ({ ...(annotate(doc, `${name}#`, false) as object), $id: files.get(name)! }));
  const main = annotate(document, '#', false);
  docs.push({ ...((files.size > 0 ? rewriteRefs(main, files) : main) as object), $id: DOC_ID });
  return docs;
}

/**
 * Where the build puts the validators of a document. Named by the document as given: the
 * build that writes it also compiled the code that annotates it.
 */
export const specValidatorFile = (document: object, related: Record<string, object> = {}) =>
  validatorCacheFile('spec', SPEC_AJV_OPTIONS, { document, related });

/** The Ajv reference of a pointer into the main document. */
export const schemaRef = (pointer: string) => `${DOC_ID}${pointer}`;

/** What the build writes for a document: validators by pointer. */
export interface ValidatorModule {
  pointers: Record<string, string>;
  [exportName: string]: unknown;
}

// Keyed by the document object, for validators of a document that references nothing:
// with `related` documents, what a pointer means depends on them too, so none is shared.
const cache = new WeakMap<object, SchemaValidator>();

/**
 * A validator over `document`, shared by every caller with the same document object (the
 * compiled functions hold no state). Unknown keywords (example, x-*) are ignored.
 * `related` maps file names that `document` references (`cortex-edr.yaml`) to their content.
 * Validators the build compiled for this exact document are used as they are; any other
 * pointer is compiled with Ajv on first use.
 */
export function createSchemaValidator(document: object, related: Record<string, object> = {}, { useBuild = true } = {}): SchemaValidator {
  const shared = useBuild && Object.keys(related).length === 0;
  const cached = shared ? cache.get(document) : undefined;
  if (cached) return cached;
  const built = useBuild ? loadValidatorModule<ValidatorModule>(specValidatorFile(document, related)) : undefined;
  let ajv: Ajv2020 | undefined;
  const compiled = new Map<string, (value: unknown) => SchemaFailure[]>();

  function toFailure(e: ErrorObject): SchemaFailure {
    const at = (e.parentSchema as Record<string, unknown> | undefined)?.[POINTER_KEYWORD];
    return {
      instancePath: e.instancePath,
      schemaPath: typeof at === 'string' ? `${at}/${escape(e.keyword)}` : e.schemaPath,
      keyword: e.keyword,
      message: e.message ?? 'is invalid',
      params: e.params as Record<string, unknown>,
    };
  }

  function load(pointer: string): ValidateFunction {
    const exportName = built?.pointers[pointer];
    if (exportName !== undefined) return built![exportName] as ValidateFunction;
    if (!ajv) {
      ajv = newAjv(SPEC_AJV_OPTIONS);
      for (const doc of prepareDocuments(document, related)) ajv.addSchema(doc);
    }
    const validate = ajv.getSchema(schemaRef(pointer)) as ValidateFunction | undefined;
    if (!validate) throw new Error(`no schema at ${pointer}`);
    return validate;
  }

  function compile(pointer: string): (value: unknown) => SchemaFailure[] {
    let fn = compiled.get(pointer);
    if (fn) return fn;
    const validate = load(pointer);
    fn = (value: unknown) => (validate(value) ? [] : (validate.errors ?? []).map(toFailure));
    compiled.set(pointer, fn);
    return fn;
  }

  const validator: SchemaValidator = {
    compile,
    validate: (pointer, value) => compile(pointer)(value),
    isPrecompiled: (pointer) => built?.pointers[pointer] !== undefined,
  };
  if (shared) cache.set(document, validator);
  return validator;
}
