// Where a path parameter's value comes from, read from the spec's OpenAPI links: an
// operation that needs no id of its own and whose success response links a value to the
// parameter. A list (a GET) gives an existing one; a create gives a new one, made with the
// body of its `x-cortex-throwaway`. No table of parameters lives in code: an operation or a
// resource whose responses carry links is picked up as it is (docs/adding-an-operation.md).
import type { LoadedSpec, SpecOperation } from '../../lib/openapi/load-spec';

/** An operation whose response gives a parameter's value, and the runtime expression that picks it out. */
export interface ParamSource {
  operation: SpecOperation;
  /** `$response.body#/data/0/id` (OpenAPI 3.1 section 4.8.20.4). */
  expression: string;
}

/** How a value is had: read from what exists (a list), or made (a create). */
export interface ParamSources {
  read?: ParamSource;
  create?: ParamSource;
}

const BODY_EXPRESSION = /^\$response\.body#(\/.*)?$/;

/** The parameter a link's key names: `scan_id`, or `path.scan_id` (qualified by location). */
const linkedName = (key: string) => key.replace(/^path\./, '');

/** The sources of the path parameter `name`, from the links of every operation that takes no path parameter. */
export function sourcesOf(spec: LoadedSpec, name: string): ParamSources {
  const sources: ParamSources = {};
  for (const op of spec.operations) {
    if (op.parameters.some((p) => p.in === 'path')) continue;
    const links = Object.values(op.responses[String(op.successStatus)]?.links ?? {});
    const expression = links.flatMap((l) => Object.entries(l.parameters)).find(([key, expr]) => linkedName(key) === name && BODY_EXPRESSION.test(expr))?.[1];
    if (!expression) continue;
    const kind = op.method === 'get' ? 'read' : 'create';
    sources[kind] ??= { operation: op, expression };
  }
  return sources;
}

function segments(expression: string): string[] | undefined {
  const m = BODY_EXPRESSION.exec(expression);
  if (!m) return undefined;
  return (m[1] ?? '').split('/').slice(1).map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const child = (node: unknown, key: string) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined);

/** Evaluates `$response.body#/pointer` against a response body: the string there, or undefined. */
export function evaluate(expression: string, body: unknown): string | undefined {
  const path = segments(expression);
  if (!path) return undefined;
  const value = path.reduce<unknown>(child, body);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Every value an expression into the first item of a list stands for: `#/data/0/id` gives
 * the id of each item of `data` (a link to the first item of a page links every item the
 * same way). An expression with no index gives its one value.
 */
export function evaluateEach(expression: string, body: unknown): string[] {
  const path = segments(expression);
  if (!path) return [];
  let node = body;
  for (let i = 0; i < path.length; i++) {
    if (Array.isArray(node) && /^\d+$/.test(path[i])) {
      const rest = path.slice(i + 1);
      return node.map((item) => rest.reduce<unknown>(child, item)).filter((v): v is string => typeof v === 'string');
    }
    node = child(node, path[i]);
  }
  return typeof node === 'string' ? [node] : [];
}

/** The query that asks a list for its first `n` items, when it takes a `limit` (cursor pagination). */
export function firstItems(list: SpecOperation, n: number): Record<string, string> {
  return list.parameters.some((p) => p.in === 'query' && p.name === 'limit') ? { limit: String(n) } : {};
}

/**
 * The body a create makes a resource of the run's own with: the request body's
 * `x-cortex-throwaway`, `{unique}` in its strings replaced by `unique`; else the request
 * example.
 */
export function throwawayBody(spec: LoadedSpec, create: SpecOperation, unique: string): unknown {
  const media = requestMedia(spec, create);
  const template = media?.['x-cortex-throwaway'] ?? media?.example;
  const fill = (v: unknown): unknown =>
    typeof v === 'string' ? v.replace(/\{unique\}/g, unique) : Array.isArray(v) ? v.map(fill) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)])) : v;
  return fill(template);
}

/** The request example of `op`, as the spec writes it. */
export function exampleBodyOf(spec: LoadedSpec, op: SpecOperation): unknown {
  return requestMedia(spec, op)?.example;
}

function requestMedia(spec: LoadedSpec, op: SpecOperation): Record<string, unknown> | undefined {
  const doc = spec.document as unknown as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, Record<string, unknown>> } }>> };
  return doc.paths[op.path][op.method].requestBody?.content['application/json'];
}
