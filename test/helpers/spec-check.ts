// Checks a response against the spec: the status is documented for the operation, the body
// validates against that status's schema, and the required headers are present and valid.
import { createSchemaValidator, type SchemaValidator } from '../../lib/openapi/schema-validator';
import type { SpecOperation } from '../../lib/openapi/load-spec';
import { SPEC } from './fixtures';

const validator = createSchemaValidator(SPEC.document);

export function operation(id: string): SpecOperation {
  const op = SPEC.operations.find((o) => o.operationId === id);
  if (!op) throw new Error(`no operation ${id}`);
  return op;
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
      if (header.required) problems.push(`header ${name} is missing`);
      continue;
    }
    const value = header.schema.type === 'integer' && /^-?\d+$/.test(String(raw)) ? Number(raw) : raw;
    for (const f of against.validate(header.schemaPointer, value)) problems.push(`header ${name} ${f.message}`);
  }
  return problems;
}
