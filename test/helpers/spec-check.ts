// Checks a response against the spec: the status is documented for the operation, the body
// validates against that status's schema, and the required headers are present and valid.
// controlProblems does the same for the control API (openapi/control.yaml).
import { createSchemaValidator, type SchemaValidator } from '../../lib/openapi/schema-validator';
import { CONTROL_SPEC_PATH, HTTP_METHODS, PUBLIC_SPEC_PATH, deref, pointerSegment, readSpecFile, type SpecOperation } from '../../lib/openapi/load-spec';
import { SPEC } from './fixtures';

const validator = createSchemaValidator(SPEC.document);

export function operation(id: string): SpecOperation {
  const op = SPEC.operations.find((o) => o.operationId === id);
  if (!op) throw new Error(`no operation ${id}`);
  return op;
}

/**
 * Whether a missing X-RateLimit-* field is carried by the IETF fields instead: a mock whose
 * `rate_limit_headers` is `[ietf]` sends RateLimit-Policy and RateLimit alone, as the spec's
 * X-RateLimit-Limit says. No X- field may be there, and both IETF fields must; their figures are checked by the tests that
 * parse them (test/limits/ietf-wiring.test.ts), and by the harness.
 */
export function inIetfForm(name: string, headers: Record<string, string | string[] | undefined>): boolean {
  // All or nothing: part of the X- form is a broken response, whatever else it carries.
  const xForm = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];
  return /^x-ratelimit-/i.test(name) && xForm.every((h) => headers[h] === undefined) && headers['ratelimit'] !== undefined && headers['ratelimit-policy'] !== undefined;
}

/** Problems with a response, empty when it obeys the spec (`against`: the validator of the document `op` comes from). */
export function specProblems(
  op: SpecOperation,
  res: { status: number; body: unknown; headers: Record<string, string | string[] | undefined> },
  against: SchemaValidator = validator,
): string[] {
  const documented = op.responses[String(res.status)];
  if (!documented) return [`status ${res.status} is not documented for ${op.operationId}`];
  const problems: string[] = [];
  if (documented.schemaPointer) {
    for (const f of against.validate(documented.schemaPointer, res.body)) {
      problems.push(`body${f.instancePath} ${f.message} (${f.schemaPath})`);
    }
  } else if (res.body !== undefined && res.body !== '' && !(typeof res.body === 'object' && res.body !== null && Object.keys(res.body).length === 0)) {
    problems.push(`status ${res.status} documents no body`);
  }
  for (const [name, header] of Object.entries(documented.headers)) {
    const raw = res.headers[name.toLowerCase()];
    if (raw === undefined) {
      if (header.required && !inIetfForm(name, res.headers)) problems.push(`header ${name} is missing`);
      continue;
    }
    const value = header.schema.type === 'integer' && /^-?\d+$/.test(String(raw)) ? Number(raw) : raw;
    for (const f of against.validate(header.schemaPointer, value)) problems.push(`header ${name} ${f.message}`);
  }
  return problems;
}

const CONTROL = readSpecFile(CONTROL_SPEC_PATH) as Record<string, any>;
const controlValidator = createSchemaValidator(CONTROL, { 'cortex-edr.yaml': readSpecFile(PUBLIC_SPEC_PATH) });

/** Problems with a control API response, empty when control.yaml documents its status and body. */
export function controlProblems(operationId: string, res: { status: number; body: unknown; text?: string }): string[] {
  const found = Object.entries(CONTROL.paths as Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>)
    .flatMap(([path, item]) => HTTP_METHODS.filter((m) => item[m]?.operationId === operationId).map((m) => ({ op: item[m], pointer: `#/paths/${pointerSegment(path)}/${m}` })))[0];
  if (!found) throw new Error(`no control operation ${operationId}`);
  const raw = found.op.responses[String(res.status)];
  if (!raw) return [`status ${res.status} is not documented for ${operationId}`];
  const { value: response, pointer } = deref<{ content?: Record<string, { schema?: unknown }> }>(CONTROL, raw, `${found.pointer}/responses/${res.status}`);
  const [type] = Object.keys(response.content ?? {});
  if (type === undefined) {
    const empty = res.body === undefined || res.body === '' || (typeof res.body === 'object' && res.body !== null && Object.keys(res.body).length === 0 && !res.text);
    return empty ? [] : [`status ${res.status} documents no body`];
  }
  if (type !== 'application/json') return [];
  return controlValidator.validate(`${pointer}/content/${pointerSegment(type)}/schema`, res.body).map((f) => `body${f.instancePath} ${f.message} (${f.schemaPath})`);
}
