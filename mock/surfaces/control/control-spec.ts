// What control.yaml says about each control operation, read and compiled on first use (a
// mock that is never controlled never pays for it): its request body and query parameters,
// to read and validate a request by; and the control API's own description, bundled so it
// stands alone, with an index of its endpoints.
import type { Request } from 'express';
import { readJsonBody } from '../../http/body';
import { fromIncoming } from '../../http/incoming';
import { failureToError } from '../../stages/invalid';
import { CONTROL_SPEC_PATH, HTTP_METHODS, PUBLIC_SPEC_PATH, deref, pointerSegment, readSpecFile } from '../../../lib/openapi/load-spec';
import { bundleControlSpec } from '../../../lib/openapi/bundle';
import { createSchemaValidator, type SchemaValidator } from '../../../lib/openapi/schema-validator';

/** Where a control schema is in control.yaml: `#/components/schemas/<name>`. */
export const schemaOf = (name: string) => `#/components/schemas/${name}`;

interface RequestBody {
  required: boolean;
  /** Where its JSON schema is: the component it names, or the inline schema's place. */
  pointer: string;
}

interface QueryParameter {
  name: string;
  /** Where its schema is, to validate against and to name in a 400. */
  pointer: string;
  type?: string;
  default?: unknown;
}

/** Each control operation's query parameters, by operationId, as control.yaml declares them. */
function queryParameters(doc: Record<string, unknown>): Map<string, QueryParameter[]> {
  const table = new Map<string, QueryParameter[]>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId?: string; parameters?: unknown[] }>>)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op?.operationId) continue;
      const params = (op.parameters ?? []).map((raw, i) => deref<{ name: string; in: string; schema: { type?: string; default?: unknown } }>(doc, raw, `#/paths/${pointerSegment(path)}/${method}/parameters/${i}`));
      table.set(
        op.operationId,
        params.filter((p) => p.value.in === 'query').map((p) => ({ name: p.value.name, pointer: `${p.pointer}/schema`, type: p.value.schema.type, default: p.value.schema.default })),
      );
    }
  }
  return table;
}

/** Each control operation's request body, by operationId, as control.yaml declares it. */
function requestBodies(doc: Record<string, unknown>): Map<string, RequestBody> {
  const bodies = new Map<string, RequestBody>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId?: string; requestBody?: { required?: boolean; content?: Record<string, { schema?: { $ref?: string } }> } }>>)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op?.operationId || !op.requestBody) continue;
      const schema = op.requestBody.content?.['application/json']?.schema;
      if (!schema) throw new Error(`${CONTROL_SPEC_PATH}: ${op.operationId} takes a body that is not application/json`);
      const pointer = schema.$ref?.startsWith('#/') ? schema.$ref : `#/paths/${pointerSegment(path)}/${method}/requestBody/content/application~1json/schema`;
      bodies.set(op.operationId, { required: op.requestBody.required === true, pointer });
    }
  }
  return bodies;
}

/** The control API's description: its spec as JSON and YAML, and its index (links relative to the mount). */
export interface ControlDescription {
  json: string;
  yaml: string;
  index: { name: string; description: string; docs: string; endpoints: Array<{ method: string; path: string; operation_id?: string; summary?: string }> };
}

/** Reads a control request as control.yaml declares its operation. */
export interface ControlSpec {
  /** The operation's body: read, validated, or undefined when it may be absent. */
  body<T>(req: Request, operationId: string): Promise<T | undefined>;
  /** The same, for an operation whose body is required. */
  requiredBody<T>(req: Request, operationId: string): Promise<T>;
  /**
   * The operation's required body, read as JSON but left to the caller to check (a fault rule
   * is checked by its own checks, which name the field a oneOf failure is about).
   */
  unvalidatedBody(req: Request, operationId: string): Promise<unknown>;
  /** Validates a value against a control.yaml schema (`#/components/...`): its failures, none when valid. */
  validate(pointer: string, value: unknown): ReturnType<SchemaValidator['validate']>;
  /** A schema of control.yaml's components, as written (to read its consts and branches). */
  schema(name: string): Record<string, unknown>;
  /** The operation's query parameters: coerced, defaulted, validated; and where each one's schema is. */
  query<T>(req: Request, operationId: string): T & { pointers: Record<string, string> };
  /** The control API's own description, bundled on first use. */
  described(): ControlDescription;
}

export function createControlSpec(): ControlSpec {
  let control: { doc: Record<string, unknown>; validator: SchemaValidator; maxBodyBytes: number; bodies: Map<string, RequestBody>; queries: Map<string, QueryParameter[]> } | undefined;
  const compiled = () => {
    if (!control) {
      const doc = readSpecFile(CONTROL_SPEC_PATH);
      const limits = doc['x-cortex-limits'] as { max_body_bytes?: number } | undefined;
      if (typeof limits?.max_body_bytes !== 'number') throw new Error(`${CONTROL_SPEC_PATH}: x-cortex-limits.max_body_bytes is missing`);
      control = { doc, validator: createSchemaValidator(doc, { 'cortex-edr.yaml': readSpecFile(PUBLIC_SPEC_PATH) }), maxBodyBytes: limits.max_body_bytes, bodies: requestBodies(doc), queries: queryParameters(doc) };
    }
    return control;
  };

  async function body<T>(req: Request, operationId: string): Promise<T | undefined> {
    const { validator, maxBodyBytes, bodies } = compiled();
    const declared = bodies.get(operationId);
    if (!declared) throw new Error(`${CONTROL_SPEC_PATH}: ${operationId} declares no request body`);
    const value = await readJsonBody(fromIncoming(req), maxBodyBytes, declared.required, declared.pointer);
    if (value === undefined) return undefined;
    const failures = validator.validate(declared.pointer, value);
    if (failures.length > 0) throw failureToError('body', 'body', failures[0]);
    return value as T;
  }

  async function unvalidatedBody(req: Request, operationId: string): Promise<unknown> {
    const { maxBodyBytes, bodies } = compiled();
    const declared = bodies.get(operationId);
    if (!declared) throw new Error(`${CONTROL_SPEC_PATH}: ${operationId} declares no request body`);
    return readJsonBody(fromIncoming(req), maxBodyBytes, true, declared.pointer);
  }

  function query<T>(req: Request, operationId: string): T & { pointers: Record<string, string> } {
    const { validator, queries } = compiled();
    const sent = new URLSearchParams(req.url.split('?')[1] ?? '');
    const values: Record<string, unknown> = {};
    const pointers: Record<string, string> = {};
    for (const param of queries.get(operationId) ?? []) {
      pointers[param.name] = param.pointer;
      const raw = sent.get(param.name);
      if (raw === null) {
        if (param.default !== undefined) values[param.name] = param.default;
        continue;
      }
      const value = param.type === 'integer' && /^-?\d{1,16}$/.test(raw) ? Number(raw) : raw;
      const failures = validator.validate(param.pointer, value);
      if (failures.length > 0) throw failureToError('query', param.name, failures[0]);
      values[param.name] = value;
    }
    return { ...(values as T), pointers };
  }

  let bundled: ControlDescription | undefined;
  const described = () => {
    if (!bundled) {
      const doc = bundleControlSpec(readSpecFile(CONTROL_SPEC_PATH), readSpecFile(PUBLIC_SPEC_PATH));
      const { dump } = require('js-yaml') as typeof import('js-yaml');
      const endpoints = Object.entries(doc.paths as Record<string, Record<string, { operationId?: string; summary?: string }>>).flatMap(([path, item]) =>
        HTTP_METHODS.filter((m) => item[m]).map((m) => ({ method: m.toUpperCase(), path: `/_mock${path === '/' ? '' : path}`, operation_id: item[m].operationId, summary: item[m].summary })),
      );
      bundled = {
        json: JSON.stringify(doc),
        yaml: dump(doc, { lineWidth: 100, noRefs: true }),
        index: {
          name: 'cortex-edr-mock control API',
          description: 'Drives the mock from tests: reset, clock, keys, accounts, the request journal. Bodies are application/json; a change without one needs no Content-Type.',
          docs: '/docs/?urls.primaryName=Mock%20control%20API%20(%2F_mock)',
          endpoints,
        },
      };
    }
    return bundled;
  };

  return {
    body,
    requiredBody: async <T>(req: Request, operationId: string) => (await body<T>(req, operationId))!,
    unvalidatedBody,
    validate: (pointer, value) => compiled().validator.validate(pointer, value),
    schema: (name) => {
      const found = (compiled().doc.components as { schemas?: Record<string, Record<string, unknown>> } | undefined)?.schemas?.[name];
      if (!found) throw new Error(`${CONTROL_SPEC_PATH}: components/schemas/${name} is missing`);
      return found;
    },
    query,
    described,
  };
}
