// Asserts a response's status and that it obeys the spec for it: the status is documented
// for the operation, the body validates against that status's schema, the documented
// headers are present and valid. /v1 answers are checked against openapi/cortex-edr.yaml,
// /_mock answers against openapi/control.yaml. The operation is found from the request's
// method and path through the spec's own path templates, or named by the caller.
import { bundleControlSpec } from '../../lib/openapi/bundle';
import { CONTROL_SPEC_PATH, deref, indexSpec, readSpecFile, type LoadedSpec, type SpecOperation } from '../../lib/openapi/load-spec';
import { createSchemaValidator, type SchemaValidator } from '../../lib/openapi/schema-validator';
import { SPEC } from './fixtures';
import { specProblems } from './spec-check';

interface Indexed {
  name: string;
  spec: LoadedSpec;
  validator: SchemaValidator;
  /** Each operation with the pattern of the paths it answers (any mount prefix before the base path). */
  routes: Array<{ op: SpecOperation; pattern: RegExp; params: number }>;
}

function indexed(name: string, spec: LoadedSpec): Indexed {
  const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const routes = spec.operations.map((op) => {
    const template = op.path === '/' ? '/?' : op.path.split(/(\{[^}]+\})/).map((part) => (/^\{.+\}$/.test(part) ? '[^/]+' : escape(part))).join('');
    return { op, pattern: new RegExp(`^(?:/.*)?${escape(spec.basePath)}${template}$`), params: (op.path.match(/\{/g) ?? []).length };
  });
  // A literal segment wins over a template (`/keys/x` before `/keys/{key_id}`).
  routes.sort((a, b) => a.params - b.params);
  return { name, spec, validator: createSchemaValidator(spec.document), routes };
}

let specs: Indexed[] | undefined;
/** The public spec and the control spec, indexed once. */
function allSpecs(): Indexed[] {
  if (specs) return specs;
  // The control document borrows schemas from the public one (bundled in, as the mock serves
  // it); indexSpec also wants the public document's extensions (plans, vocabulary), so the
  // control paths are indexed on top of the public document.
  const pub = SPEC.document as Record<string, any>;
  const control = bundleControlSpec(readSpecFile(CONTROL_SPEC_PATH), pub) as Record<string, any>;
  const components: Record<string, unknown> = { ...pub.components };
  for (const [section, entries] of Object.entries((control.components ?? {}) as Record<string, object>)) components[section] = { ...(pub.components?.[section] ?? {}), ...entries };
  const controlSpec = indexSpec({ ...pub, servers: control.servers, security: control.security, paths: control.paths, components } as never);
  specs = [indexed('cortex-edr.yaml', SPEC), indexed('control.yaml', controlSpec)];
  return specs;
}

/**
 * Where a response came from: an operationId, or `METHOD /path` as requested (`POST /v1/scans`).
 * `{ spec }` checks a mock built on a changed copy of the public spec (specWith) against that
 * copy, with the operation found from the request or named by `operationId`.
 */
export type Where = string | { method: string; path: string } | { spec: LoadedSpec; operationId?: string };

const copies = new WeakMap<LoadedSpec, Indexed>();
/** The specs a response is checked against: the public one (or the given copy), then the control spec. */
function specsFor(copy: LoadedSpec | undefined): Indexed[] {
  const [pub, control] = allSpecs();
  if (!copy || copy === SPEC) return [pub, control];
  let own = copies.get(copy);
  if (!own) copies.set(copy, (own = indexed('a copy of cortex-edr.yaml', copy)));
  return [own, control];
}

function find(where: string | { method: string; path: string }, all: Indexed[]): { spec: Indexed; op: SpecOperation } {
  if (typeof where === 'string' && !where.includes(' ')) {
    for (const spec of all) {
      const op = spec.spec.operations.find((o) => o.operationId === where);
      if (op) return { spec, op };
    }
    throw new Error(`no operation ${where} in ${all.map((s) => s.name).join(' or ')}`);
  }
  const { method, path } = typeof where === 'string' ? { method: where.slice(0, where.indexOf(' ')), path: where.slice(where.indexOf(' ') + 1) } : where;
  const bare = path.replace(/^[a-z]+:\/\/[^/]+/i, '').split(/[?#]/)[0];
  for (const spec of all) {
    const route = spec.routes.find((r) => r.op.method === method.toLowerCase() && r.pattern.test(bare));
    if (route) return { spec, op: route.op };
  }
  throw new Error(`no operation in ${all.map((s) => s.name).join(' or ')} answers ${method.toUpperCase()} ${bare}`);
}

/** The media types the spec documents for a status of an operation (from the document itself). */
function documentedMedia(spec: Indexed, op: SpecOperation, status: number): string[] {
  const raw = (spec.spec.document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[op.path][op.method].responses[String(status)];
  if (raw === undefined) return [];
  const { value } = deref<{ content?: Record<string, unknown> }>(spec.spec.document, raw, `${op.pointer}/responses/${status}`);
  return Object.keys(value.content ?? {});
}

/** A response as the checks read it: status, lowercased headers, and the body as received. */
interface Received {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the text of a non-JSON body, or undefined when empty. */
  body: unknown;
  contentType: string;
  where?: { method: string; path: string };
}

type Headerish = Record<string, string | string[] | undefined> | Headers | { get(name: string): string | null };

function headerRecord(headers: Headerish | undefined, lookup?: (name: string) => string | null): Record<string, string | string[] | undefined> {
  if (lookup) {
    // An answer that only offers header(name): read the names the spec can ask for.
    return new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? (lookup(name) ?? undefined) : undefined) });
  }
  if (!headers) return {};
  if (typeof (headers as Headers).entries === 'function' && typeof (headers as Headers).get === 'function') return Object.fromEntries((headers as Headers).entries());
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const h = headers as { get(name: string): string | null };
    return new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? (h.get(name) ?? undefined) : undefined) });
  }
  return Object.fromEntries(Object.entries(headers as Record<string, string | string[] | undefined>).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * What this helper accepts: a supertest response (its request says where it went), an
 * openapi-fetch result (`{ data | error, response }`), or a plain answer
 * `{ status, body, headers }` (headers as a record, a Headers, or a `header(name)` function).
 */
export type Checkable =
  | { status: number; body?: unknown; text?: string; headers?: Headerish; header?: unknown; req?: { method?: string; path?: string } }
  | { response: Response; data?: unknown; error?: unknown };

function received(res: Checkable): Received {
  if (typeof Response !== 'undefined' && res instanceof Response) {
    throw new Error('a fetch Response: use `await expectFetched(res, status, where)`, which reads a clone of its body');
  }
  if ('response' in res && res.response instanceof Response) {
    const headers = headerRecord(res.response.headers);
    return { status: res.response.status, headers, body: res.data ?? res.error, contentType: String(headers['content-type'] ?? '') };
  }
  const r = res as Extract<Checkable, { status: number }>;
  const lookup = typeof r.header === 'function' ? (r.header as (name: string) => string | null) : undefined;
  const headers = headerRecord(lookup ? undefined : r.headers, lookup);
  const contentType = String(headers['content-type'] ?? '');
  // supertest parses JSON into body and leaves any other body in text.
  const body = r.text !== undefined && !isJson(contentType) ? r.text || undefined : r.body;
  const where = r.req?.method && r.req.path ? { method: r.req.method, path: r.req.path } : undefined;
  return { status: r.status, headers, body, contentType, where };
}

const isJson = (contentType: string) => /^application\/json\s*(;|$)/i.test(contentType);
const preview = (body: unknown) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text === undefined ? '(no body)' : text.length > 600 ? `${text.slice(0, 600)}...` : text;
};

/**
 * The schema of a mock's Host refusal (the spec's x-cortex-host-refusal), for a response that
 * is one and whose operation documents no such status: the refusal comes before routing.
 */
function hostRefusal(spec: Indexed, op: SpecOperation, status: number, body: unknown): string | undefined {
  const refusal = (spec.spec.document as { 'x-cortex-host-refusal'?: { status: number; reason: string } })['x-cortex-host-refusal'];
  if (!refusal || op.responses[String(status)] || status !== refusal.status) return undefined;
  const reason = (body as { error?: { details?: { reason?: unknown } } } | undefined)?.error?.details?.reason;
  return reason === refusal.reason ? '#/x-cortex-host-refusal/schema' : undefined;
}

function check(got: Received, status: number, where: Where | undefined): void {
  const copy = where !== undefined && typeof where === 'object' && 'spec' in where ? where : undefined;
  const at = copy ? (copy.operationId ?? got.where) : (where ?? got.where);
  if (!at) throw new Error('expectResponse: name the operation (an operationId or `METHOD /path`): this response does not say where it came from');
  const { spec, op } = find(at as string | { method: string; path: string }, specsFor(copy?.spec));
  const label = `${op.operationId} (${op.method.toUpperCase()} ${spec.spec.basePath}${op.path}, ${spec.name})`;
  if (got.status !== status) throw new Error(`${label} answered ${got.status}, expected ${status}: ${preview(got.body)}`);
  const media = documentedMedia(spec, op, status);
  const mediaType = got.contentType.split(';')[0].trim().toLowerCase();
  const problems: string[] = [];
  let body = got.body;
  if (media.length > 0 && body !== undefined && !media.includes(mediaType)) problems.push(`Content-Type ${got.contentType || '(none)'} is not documented (${media.join(', ')})`);
  // A documented body in another media type (YAML, HTML) has no JSON schema to check.
  if (mediaType !== 'application/json' && media.includes(mediaType)) body = undefined;
  const refusal = hostRefusal(spec, op, got.status, body);
  if (refusal) problems.push(...spec.validator.validate(refusal, body).map((f) => `body${f.instancePath} ${f.message} (${f.schemaPath})`));
  else problems.push(...specProblems(op, { status: got.status, body, headers: got.headers }, spec.validator));
  if (problems.length > 0) throw new Error(`${label} ${status} breaks the spec:\n  ${problems.join('\n  ')}\nbody: ${preview(got.body)}`);
}

/**
 * Asserts `res` has `status` and obeys the spec for it: the status is documented for the
 * operation, the body matches its schema, the documented headers are present and valid.
 * `where` names the operation when the response cannot (an operationId, or `METHOD /path`).
 * The error names the operation, the status and each schema path that broke.
 */
export function expectResponse(res: Checkable, status: number, where?: Where): void {
  check(received(res), status, where);
}

/** The same check as a supertest assertion: `.expect(specStatus(200))` in place of `.expect(200)`. */
export function specStatus(status: number, where?: Where): (res: Checkable) => void {
  return (res) => expectResponse(res, status, where);
}

/**
 * The same check for a fetch Response, reading a clone of its body (the caller can still
 * read it). Without `where`, the method is taken as GET.
 */
export async function expectFetched(res: Response, status: number, where?: Where): Promise<void> {
  const text = await res.clone().text();
  const headers = headerRecord(res.headers);
  const contentType = String(headers['content-type'] ?? '');
  let body: unknown = text === '' ? undefined : text;
  if (text !== '' && isJson(contentType)) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${res.url}: a JSON Content-Type with a body that is not JSON: ${preview(text)}`);
    }
  }
  check({ status: res.status, headers, body, contentType, where: { method: 'GET', path: res.url } }, status, where);
}
