// Reads the OpenAPI document and turns it into the index the mock runs on: operations with
// their routes, required permissions, parameters and documented responses, plus the
// project's x- extensions (plans, permission implications, limits). Nothing here is a
// second table: every value comes from the document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIV3_1 } from 'openapi-types';

import { SPEC_DIR } from '../paths';
import { parseYaml } from './precompiled';

export { SPEC_DIR };
export const PUBLIC_SPEC_PATH = join(SPEC_DIR, 'cortex-edr.yaml');
export const CONTROL_SPEC_PATH = join(SPEC_DIR, 'control.yaml');

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A plan from the document's `x-cortex-plans`. */
export interface Plan {
  id: string;
  name: string;
  requests_per_window: number;
  window_seconds: number;
}

/** A parameter with its `$ref`s resolved. */
export interface SpecParameter {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required: boolean;
  schema: JsonSchema;
  /** JSON pointer of the parameter's schema in the document, for error details. */
  schemaPointer: string;
}

export interface SpecResponse {
  status: string;
  description: string;
  /** Header name (as the document spells it) to its resolved header object. */
  headers: Record<string, { required: boolean; schema: JsonSchema; schemaPointer: string }>;
  /** The JSON schema of the application/json body, if any. */
  schema?: JsonSchema;
  schemaPointer?: string;
  example?: unknown;
  /**
   * The body's examples by name: `examples` as written, and a lone `example` as `default`
   * (Prism's name for it), for `Prefer: example=NAME`.
   */
  examples: Record<string, unknown>;
  /** OpenAPI links: operations this response leads to, with runtime expressions for their parameters. */
  links: Record<string, { operationId: string; parameters: Record<string, string> }>;
}

/** One operation of the document, ready for routing and checks. */
export interface SpecOperation {
  operationId: string;
  method: HttpMethod;
  /** The path template as written, without the server's base path: `/scans/{scan_id}`. */
  path: string;
  /** Scheme names allowed, in the order of the security alternatives. */
  schemes: string[];
  /**
   * The security requirement alternatives, OR'd as OpenAPI says: scheme name to the roles
   * (permissions) it needs. `{}` lets a request in without credentials.
   */
  security: Array<Record<string, string[]>>;
  /** The permissions of the first alternative: what a refusal names as required. */
  requiredPermissions: string[];
  parameters: SpecParameter[];
  /** `mediaTypes`: the media types the body may be sent as, the keys of its `content`. */
  requestBody?: { required: boolean; schema: JsonSchema; schemaPointer: string; mediaTypes: string[] };
  responses: Record<string, SpecResponse>;
  /** The documented 2xx status the operation answers with on success. */
  successStatus: number;
  pointer: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSchema = Record<string, any>;

/** The stages a spec's x-cortex-check-order can name. */
export const STAGES = ['credentials', 'rate_limit', 'permission', 'validation', 'operation'] as const;
export type StageName = (typeof STAGES)[number];

/**
 * Checks a check order: every stage once, credentials first (the others need the caller),
 * the operation last. Throws a message naming the extension.
 */
export function checkStageOrder(order: readonly string[]): StageName[] {
  const where = 'x-cortex-check-order';
  const unknown = order.filter((s) => !(STAGES as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`${where}: unknown stage ${unknown.join(', ')} (stages: ${STAGES.join(', ')})`);
  const missing = STAGES.filter((s) => !order.includes(s));
  if (missing.length || order.length !== STAGES.length) throw new Error(`${where}: name each of ${STAGES.join(', ')} once`);
  if (order[0] !== 'credentials') throw new Error(`${where}: credentials comes first; the other stages need the caller`);
  if (order[order.length - 1] !== 'operation') throw new Error(`${where}: operation comes last`);
  return order as StageName[];
}

/** How a key arrives, from `components.securitySchemes`. */
export interface CredentialScheme {
  /** The scheme's name in the document: `bearerAuth`. */
  name: string;
  /** `bearer`: an Authorization header with that scheme; `apiKey`: a named header or query parameter. */
  kind: 'bearer' | 'apiKey';
  in: 'header' | 'query';
  /** The header or query parameter it travels in: `Authorization`, `api_key`. */
  parameter: string;
}

/** Words and shapes of the API the mock speaks, read from the document. */
export interface SpecVocabulary {
  /** The WWW-Authenticate realm (bearerAuth's x-cortex-realm). */
  realm: string;
  /** The message of each 401 reason (UnauthorizedReason's x-cortex-messages). */
  unauthorizedMessages: Record<string, string>;
  /** The secret prefix of each key mode (ApiKeySecret's x-cortex-key-modes). */
  keyModes: { test: string; live: string };
  /** Id prefixes, from the id patterns: `scan_`, `rpt_` (a report's id is its scan's under this prefix), `usr_`, `key_`, `acct_`. */
  idPrefixes: { scan: string; report: string; user: string; api_key: string; account: string };
  /** Id patterns, for ids a config file names. */
  idPatterns: { api_key: string; account: string };
}

/** The document plus the index derived from it. */
export interface LoadedSpec {
  /** The file it was read from, when it was read from one. */
  source?: string;
  document: OpenAPIV3_1.Document & Record<string, unknown>;
  /** `/v1`: the path of the first server URL. */
  basePath: string;
  operations: SpecOperation[];
  plans: Plan[];
  /** Permission name to the permissions it implies (admin implies read and write). */
  permissionImplications: Record<string, string[]>;
  /** The stages every request passes, in order (`x-cortex-check-order`), checked. */
  checkOrder: StageName[];
  /** The schemes a key can arrive by, in document order. */
  credentialSchemes: CredentialScheme[];
  vocabulary: SpecVocabulary;
  limits: { max_body_bytes: number };
  /** Failed authentications allowed per client address and window; `policy` names it in RateLimit-Policy. */
  authFailureLimit: { max_failures: number; window_seconds: number; policy: string };
}

/** Escapes one JSON pointer segment (RFC 6901 section 3). */
export function pointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Resolves a local `#/...` JSON pointer in `doc`. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  if (!pointer.startsWith('#')) throw new Error(`only local references are supported: ${pointer}`);
  const parts = pointer.slice(1).split('/').slice(1);
  let node: unknown = doc;
  for (const raw of parts) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in (node as object))) {
      throw new Error(`unresolvable reference ${pointer}`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Follows `$ref` chains on one object and returns the target and its pointer. */
export function deref<T>(doc: unknown, node: unknown, pointer: string): { value: T; pointer: string } {
  let current = node as Record<string, unknown>;
  let at = pointer;
  const seen = new Set<string>();
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`circular reference ${ref}`);
    seen.add(ref);
    at = ref;
    current = resolvePointer(doc, ref) as Record<string, unknown>;
  }
  return { value: current as T, pointer: at };
}

/** A media type's examples by name; a lone `example` is `default`, as Prism names it. */
function namedExamples(doc: unknown, media: OpenAPIV3_1.MediaTypeObject | undefined): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  if (!media) return named;
  if (media.example !== undefined) named.default = media.example;
  for (const [name, raw] of Object.entries(media.examples ?? {})) {
    const { value } = deref<OpenAPIV3_1.ExampleObject>(doc, raw, '');
    if (value && value.value !== undefined) named[name] = value.value;
  }
  return named;
}

/** Parses a YAML or JSON OpenAPI file (from the build's JSON copy when it is unchanged). */
export function readSpecFile(path: string): OpenAPIV3_1.Document & Record<string, unknown> {
  return parseYaml(readFileSync(path, 'utf8')) as OpenAPIV3_1.Document & Record<string, unknown>;
}

/** Builds the operation index of a document. Throws on a document the mock cannot serve. */
export function indexSpec(document: OpenAPIV3_1.Document & Record<string, unknown>): LoadedSpec {
  const serverUrl = document.servers?.[0]?.url ?? '/';
  const basePath = new URL(serverUrl, 'http://placeholder').pathname.replace(/\/$/, '');
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!item) continue;
    const pathPointer = `#/paths/${pointerSegment(path)}`;
    for (const method of HTTP_METHODS) {
      const op = (item as Record<string, unknown>)[method] as OpenAPIV3_1.OperationObject | undefined;
      if (!op) continue;
      operations.push(indexOperation(document, path, method, op, item, `${pathPointer}/${method}`));
    }
  }
  return {
    document,
    basePath,
    operations,
    plans: required<Plan[]>(document, 'x-cortex-plans'),
    permissionImplications: Object.fromEntries(
      Object.entries(required<Record<string, { implies?: string[] }>>(document, 'x-cortex-permissions')).map(([name, p]) => [name, p.implies ?? []]),
    ),
    checkOrder: checkStageOrder(required<string[]>(document, 'x-cortex-check-order')),
    credentialSchemes: indexSchemes(document),
    vocabulary: indexVocabulary(document),
    limits: required<{ max_body_bytes: number }>(document, 'x-cortex-limits'),
    authFailureLimit: required<{ max_failures: number; window_seconds: number; policy: string }>(document, 'x-cortex-auth-failure-limit'),
  };
}

function indexVocabulary(document: OpenAPIV3_1.Document): SpecVocabulary {
  const at = <T>(pointer: string): T => resolvePointer(document, pointer) as T;
  const patternOf = (pointer: string) => at<{ pattern?: string }>(pointer).pattern ?? '';
  const prefixOf = (pointer: string) => {
    const m = /^\^([a-z]+_)/.exec(patternOf(pointer));
    if (!m) throw new Error(`${pointer}: an id pattern starts with its prefix (^xyz_), the mock takes it from there`);
    return m[1];
  };
  const schemas = '#/components/schemas';
  return {
    realm: at<string>('#/components/securitySchemes/bearerAuth/x-cortex-realm'),
    unauthorizedMessages: at<Record<string, string>>(`${schemas}/UnauthorizedReason/x-cortex-messages`),
    keyModes: at<{ test: string; live: string }>(`${schemas}/ApiKeySecret/x-cortex-key-modes`),
    idPrefixes: {
      scan: prefixOf(`${schemas}/ScanIdValue`),
      report: prefixOf(`${schemas}/Report/properties/id`),
      user: prefixOf(`${schemas}/User/properties/id`),
      api_key: prefixOf(`${schemas}/ApiKey/properties/id`),
      account: prefixOf(`${schemas}/AccountId`),
    },
    idPatterns: { api_key: patternOf(`${schemas}/ApiKey/properties/id`), account: patternOf(`${schemas}/AccountId`) },
  };
}

/** An extension the mock cannot run without: no fallback in code, the document decides. */
function required<T>(document: Record<string, unknown>, name: string): T {
  const value = document[name];
  if (value === undefined || value === null) throw new Error(`the document has no ${name}: the mock takes it from there`);
  return value as T;
}

function indexSchemes(document: OpenAPIV3_1.Document): CredentialScheme[] {
  const out: CredentialScheme[] = [];
  for (const [name, raw] of Object.entries(document.components?.securitySchemes ?? {})) {
    const { value: scheme } = deref<OpenAPIV3_1.SecuritySchemeObject>(document, raw, `#/components/securitySchemes/${pointerSegment(name)}`);
    if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'bearer') out.push({ name, kind: 'bearer', in: 'header', parameter: 'Authorization' });
    else if (scheme.type === 'apiKey' && (scheme.in === 'header' || scheme.in === 'query')) out.push({ name, kind: 'apiKey', in: scheme.in, parameter: scheme.name });
    else throw new Error(`securitySchemes.${name}: the mock serves http bearer and apiKey (header or query) schemes only`);
  }
  return out;
}

function indexOperation(
  doc: unknown,
  path: string,
  method: HttpMethod,
  op: OpenAPIV3_1.OperationObject,
  item: OpenAPIV3_1.PathItemObject,
  pointer: string,
): SpecOperation {
  if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
  const security = op.security ?? (doc as OpenAPIV3_1.Document).security ?? [];
  const schemes: string[] = [];
  for (const requirement of security) for (const scheme of Object.keys(requirement)) if (!schemes.includes(scheme)) schemes.push(scheme);
  const firstRoles = Object.values(security[0] ?? {})[0] ?? [];

  const parameters: SpecParameter[] = [];
  const rawParams = [
    ...((item.parameters ?? []).map((p, i) => [p, `#/paths/${pointerSegment(path)}/parameters/${i}`] as const)),
    ...((op.parameters ?? []).map((p, i) => [p, `${pointer}/parameters/${i}`] as const)),
  ];
  for (const [raw, at] of rawParams) {
    const { value: param, pointer: paramPointer } = deref<OpenAPIV3_1.ParameterObject>(doc, raw, at);
    parameters.push({
      name: param.name,
      in: param.in as SpecParameter['in'],
      required: param.required === true,
      schema: (param.schema ?? {}) as JsonSchema,
      schemaPointer: `${paramPointer}/schema`,
    });
  }

  let requestBody: SpecOperation['requestBody'];
  if (op.requestBody) {
    const { value: body, pointer: bodyPointer } = deref<OpenAPIV3_1.RequestBodyObject>(
      doc,
      op.requestBody,
      `${pointer}/requestBody`,
    );
    const media = body.content?.['application/json'];
    if (!media?.schema) throw new Error(`${op.operationId}: request body must have an application/json schema`);
    requestBody = {
      required: body.required === true,
      schema: media.schema as JsonSchema,
      schemaPointer: `${bodyPointer}/content/application~1json/schema`,
      mediaTypes: Object.keys(body.content ?? {}).map((type) => type.toLowerCase()),
    };
  }

  const responses: Record<string, SpecResponse> = {};
  for (const [status, raw] of Object.entries(op.responses ?? {})) {
    const { value: response, pointer: responsePointer } = deref<OpenAPIV3_1.ResponseObject>(
      doc,
      raw,
      `${pointer}/responses/${status}`,
    );
    const headers: SpecResponse['headers'] = {};
    for (const [name, rawHeader] of Object.entries(response.headers ?? {})) {
      const { value: header, pointer: headerPointer } = deref<OpenAPIV3_1.HeaderObject>(
        doc,
        rawHeader,
        `${responsePointer}/headers/${pointerSegment(name)}`,
      );
      headers[name] = {
        required: header.required === true,
        schema: (header.schema ?? {}) as JsonSchema,
        schemaPointer: `${headerPointer}/schema`,
      };
    }
    const media = response.content?.['application/json'];
    responses[status] = {
      status,
      description: response.description,
      headers,
      schema: media?.schema as JsonSchema | undefined,
      schemaPointer: media?.schema ? `${responsePointer}/content/application~1json/schema` : undefined,
      example: media?.example,
      examples: namedExamples(doc, media),
      links: Object.fromEntries(
        Object.entries((response as { links?: Record<string, { operationId?: string; parameters?: Record<string, string> }> }).links ?? {}).map(([name, link]) => [
          name,
          { operationId: link.operationId ?? '', parameters: link.parameters ?? {} },
        ]),
      ),
    };
  }
  const success = Object.keys(responses).find((s) => /^2\d\d$/.test(s));
  if (!success) throw new Error(`${op.operationId} documents no 2xx response`);

  return {
    operationId: op.operationId,
    method,
    path,
    schemes,
    security: security.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, [...v]]))),
    requiredPermissions: [...firstRoles],
    parameters,
    requestBody,
    responses,
    successStatus: Number(success),
    pointer,
  };
}

/** Loads and indexes the public CortexEDR document. */
export function loadPublicSpec(path: string = PUBLIC_SPEC_PATH): LoadedSpec {
  return { ...indexSpec(readSpecFile(path)), source: path };
}
