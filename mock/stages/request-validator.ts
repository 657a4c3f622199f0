// Validates a request's parameters and body against its operation's schemas, compiled once
// per operation. A failure is a 400 naming the parameter and the schema path that broke.
import { ApiError, type ParameterLocation } from '../errors/api-error';
import { failureToError, LOCATION_NAME } from './invalid';
import { deref, type LoadedSpec, type SpecOperation, type JsonSchema } from '../../lib/openapi/load-spec';
import type { SchemaFailure, SchemaValidator } from '../../lib/openapi/schema-validator';

interface CompiledParameter {
  name: string;
  /** The name in lower case: how node:http keys a header. */
  lower: string;
  in: ParameterLocation;
  required: boolean;
  type: string | undefined;
  default: unknown;
  pointer: string;
  check: (value: unknown) => SchemaFailure[];
}

export interface ValidatedParameters {
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  /** The parsed body, once the validation stage has read and checked it (none yet here). */
  body: unknown;
}

/** Coerces a query, path or header string to the schema's type; leaves it when it can't. */
function coerce(raw: string, type: string | undefined): unknown {
  if (type === 'integer' && /^-?\d{1,15}$/.test(raw)) return Number(raw);
  if (type === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

export function createRequestValidator(spec: LoadedSpec, schemas: SchemaValidator) {
  const compiled = new Map<string, { parameters: CompiledParameter[]; body?: (value: unknown) => SchemaFailure[] }>();

  function compile(op: SpecOperation) {
    let entry = compiled.get(op.operationId);
    if (entry) return entry;
    entry = {
      parameters: op.parameters
        .filter((p) => p.in !== 'cookie')
        .map((p) => {
          const resolved = deref<JsonSchema>(spec.document, p.schema, p.schemaPointer).value;
          return {
            name: p.name,
            lower: p.name.toLowerCase(),
            in: p.in as ParameterLocation,
            required: p.required,
            type: resolved.type,
            default: resolved.default,
            pointer: p.schemaPointer,
            check: schemas.compile(p.schemaPointer),
          };
        }),
      body: op.requestBody ? schemas.compile(op.requestBody.schemaPointer) : undefined,
    };
    compiled.set(op.operationId, entry);
    return entry;
  }

  return {
    /** Checks path, query and header parameters. Throws ApiError (400). */
    parameters(
      op: SpecOperation,
      pathParams: Record<string, string>,
      search: URLSearchParams,
      headers: Record<string, string | string[] | undefined>,
    ): ValidatedParameters {
      const out: ValidatedParameters = { params: {}, query: {}, headers: {}, body: undefined };
      for (const p of compile(op).parameters) {
        let raw: string | undefined;
        if (p.in === 'path') raw = pathParams[p.name];
        else if (p.in === 'query') {
          const all = search.getAll(p.name);
          if (all.length > 1) {
            throw ApiError.invalidRequest(`Query parameter "${p.name}" must not be repeated`, {
              parameter: p.name,
              location: 'query',
              schema_path: p.pointer,
              reason: 'repeated',
            });
          }
          raw = all[0];
        } else {
          const h = headers[p.lower];
          raw = Array.isArray(h) ? h.join(', ') : h;
        }
        if (raw === undefined) {
          if (p.required) {
            throw ApiError.invalidRequest(`${LOCATION_NAME[p.in]} "${p.name}" is required`, {
              parameter: p.name,
              location: p.in,
              schema_path: p.pointer,
              reason: 'missing',
            });
          }
          if (p.in === 'query' && p.default !== undefined) out.query[p.name] = p.default;
          continue;
        }
        const value = coerce(raw, p.type);
        const failures = p.check(value);
        if (failures.length > 0) throw failureToError(p.in, p.name, failures[0]);
        if (p.in === 'path') out.params[p.name] = raw;
        else if (p.in === 'query') out.query[p.name] = value;
        else out.headers[p.name] = raw;
      }
      return out;
    },
    /** Checks a parsed JSON body. Throws ApiError (400). */
    body(op: SpecOperation, value: unknown): void {
      const check = compile(op).body;
      if (!check) return;
      const failures = check(value);
      if (failures.length > 0) throw failureToError('body', 'body', failures[0]);
    },
  };
}

export type RequestValidator = ReturnType<typeof createRequestValidator>;
