// Builds a valid request for any operation of the spec: for path parameters the ids the
// spec's own examples name (ids of the default configuration's seeded data, which
// test/spec/examples.test.ts proves), and the spec's own request example for the body.
import type { Mock } from '../../mock/app';
import { deref, type LoadedSpec, type SpecOperation } from '../../lib/openapi/load-spec';
import { SPEC } from './fixtures';

export interface BuiltRequest {
  method: string;
  path: string;
  body?: unknown;
}

type RawOperation = { parameters?: unknown[]; requestBody?: { content: Record<string, { example?: unknown }> } };

const rawOperation = (spec: LoadedSpec, op: SpecOperation) => (spec.document.paths as Record<string, Record<string, RawOperation> & { parameters?: unknown[] }>)[op.path];

/** The `example` the spec gives the path parameter `name` of `op` (on the path or the operation), if any. */
export function pathExample(op: SpecOperation, name: string, spec: LoadedSpec = SPEC): string | undefined {
  const item = rawOperation(spec, op);
  const params = [...(item.parameters ?? []), ...(item[op.method].parameters ?? [])].map((p) => deref<{ name: string; in: string; example?: unknown }>(spec.document, p, '#').value);
  const example = params.find((p) => p.name === name && p.in === 'path')?.example;
  return example === undefined ? undefined : String(example);
}

/** A request `mock` (on the default configuration's data) answers with the operation's success. */
export function buildRequest(_mock: Mock, op: SpecOperation): BuiltRequest {
  const path = SPEC.basePath + op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => pathExample(op, name) ?? `no-example-for-${name}`);
  return { method: op.method, path, body: rawOperation(SPEC, op)[op.method].requestBody?.content['application/json'].example };
}
