// The document's own promises: every operation is complete enough for the mock and the
// contract harness to be derived from it.
import { loadPublicSpec, resolvePointer, type SpecOperation } from '../../lib/openapi/load-spec';
import { createSchemaValidator } from '../../lib/openapi/schema-validator';
import { sourcesOf, throwawayBody } from '../../contracts/lib/links';

const spec = loadPublicSpec();
const doc = spec.document as Record<string, any>;
const rawOperation = (op: SpecOperation) => doc.paths[op.path][op.method];
const ERROR_REF = '#/components/schemas/Error';

/** True when the schema is the error schema, or an allOf built on it. */
/**
 * The one error shape, narrowed: {error: {code, message, details}} with a code from the
 * ErrorCode enum, the shared message schema and an object of details. Each error schema
 * stands alone (no allOf), so generators and Specmatic see every field.
 */
function isErrorSchema(schema: Record<string, any> | undefined): boolean {
  if (!schema) return false;
  if (schema.$ref === ERROR_REF) return true;
  if (schema.$ref) return isErrorSchema(resolvePointer(doc, schema.$ref) as Record<string, any>);
  const error = schema.properties?.error;
  const codes = (resolvePointer(doc, '#/components/schemas/ErrorCode') as { enum: string[] }).enum;
  return (
    JSON.stringify(error?.required) === JSON.stringify(['code', 'message', 'details']) &&
    codes.includes(error.properties.code.const) &&
    error.properties.message.$ref === '#/components/schemas/ErrorMessage' &&
    error.properties.details.type === 'object'
  );
}

describe('the CortexEDR OpenAPI document', () => {
  it('is OpenAPI 3.1 with the production server and the local mock', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.servers.map((s: { url: string }) => s.url)).toEqual([
      'https://api.cortex-edr.com/v1',
      'http://127.0.0.1:4010/v1',
    ]);
    expect(spec.basePath).toBe('/v1');
  });

  it('declares the bearer and query API key schemes', () => {
    const schemes = doc.components.securitySchemes;
    expect(schemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.bearerAuth.bearerFormat).toMatch(/sk_live_.*sk_test_|sk_test_.*sk_live_/);
    expect(schemes.apiKeyQuery).toMatchObject({ type: 'apiKey', in: 'query', name: 'api_key' });
    expect(schemes.apiKeyQuery.description).toMatch(/development only/i);
    expect(schemes.apiKeyQuery.description).toMatch(/logs/i);
  });

  // The design's resources and what each must do (DESIGN.md, "Resources"): the document
  // may grow, and an operation added to it needs no change here, but it never loses one.
  it('covers scans, reports, users, API keys and whoami', () => {
    const design = [
      'listScans', 'createScan', 'getScan', 'cancelScan',
      'listReports', 'getReport',
      'listUsers', 'createUser', 'getUser', 'updateUser', 'deleteUser',
      'listApiKeys', 'createApiKey', 'getApiKey', 'rotateApiKey', 'revokeApiKey',
      'getWhoami',
    ];
    expect(spec.operations.map((o) => o.operationId)).toEqual(expect.arrayContaining(design));
    // Every operation is on a resource the document declares.
    const tags = doc.tags.map((t: { name: string }) => t.name);
    for (const op of spec.operations) expect({ op: op.operationId, tags: rawOperation(op).tags.filter((t: string) => !tags.includes(t)) }).toEqual({ op: op.operationId, tags: [] });
  });

  it('states that admin implies read and write', () => {
    expect(spec.permissionImplications).toEqual({ read: [], write: [], admin: ['read', 'write'] });
  });

  it('holds the three plans with their per-minute limits', () => {
    expect(spec.plans.map((p) => [p.name, p.requests_per_window, p.window_seconds])).toEqual([
      ['Vibe Coder', 100, 60],
      ['Developer', 500, 60],
      ['Enterprise', 2000, 60],
    ]);
    expect(doc.components.schemas.PlanId.enum).toEqual(spec.plans.map((p) => p.id));
  });

  it('documents the order of checks', () => {
    expect(spec.checkOrder).toEqual(['credentials', 'rate_limit', 'permission', 'validation', 'operation']);
  });

  // The harness, the fuzz suite and the tests find ids for path parameters through links
  // (contracts/lib/links.ts): no table of parameters lives in code.
  it('links every path parameter to a list that gives an existing value', () => {
    const params = [...new Set(spec.operations.flatMap((op) => op.parameters.filter((p) => p.in === 'path').map((p) => p.name)))];
    expect(params.length).toBeGreaterThan(0);
    for (const name of params) {
      const read = sourcesOf(spec, name).read;
      expect({ name, list: read?.operation.operationId, expression: read?.expression }).toEqual({ name, list: expect.stringMatching(/^list/), expression: expect.stringMatching(/^\$response\.body#\/data\/0\//) });
    }
  });

  it('names in every link an operation of the document and parameters it takes', () => {
    const links = spec.operations.flatMap((op) => Object.values(op.responses).flatMap((r) => Object.values(r.links).map((link) => ({ from: op.operationId, ...link }))));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      const target = spec.operations.find((o) => o.operationId === link.operationId);
      const takes = target?.parameters.map((p) => p.name) ?? [];
      expect({ ...link, unknown: Object.keys(link.parameters).filter((name) => !takes.includes(name.replace(/^path\./, ''))) }).toEqual({ ...link, operationId: target?.operationId, unknown: [] });
    }
  });

  it('gives every create that links to what it made an x-cortex-throwaway body its schema accepts', () => {
    const validator = createSchemaValidator(doc);
    const creates = spec.operations.filter((op) => op.method !== 'get' && !op.parameters.some((p) => p.in === 'path') && Object.keys(op.responses[String(op.successStatus)].links).length);
    expect(creates.map((op) => op.operationId).sort()).toEqual(expect.arrayContaining(['createApiKey', 'createScan', 'createUser']));
    for (const op of creates) {
      const media = rawOperation(op).requestBody.content['application/json'];
      expect({ op: op.operationId, template: media['x-cortex-throwaway'] !== undefined }).toEqual({ op: op.operationId, template: true });
      const body = throwawayBody(spec, op, 'x0');
      expect(JSON.stringify(body)).not.toContain('{unique}');
      expect({ op: op.operationId, problems: validator.validate(op.requestBody!.schemaPointer, body) }).toEqual({ op: op.operationId, problems: [] });
    }
  });

  describe.each(spec.operations.map((op) => [op.operationId, op] as const))('operation %s', (_id, op) => {
    const raw = rawOperation(op);

    it('has an operationId, a summary, a description and a tag', () => {
      expect(raw.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(raw.summary).toBeTruthy();
      expect(raw.description).toBeTruthy();
      expect(raw.tags?.length).toBeGreaterThan(0);
    });

    it('lists the same permission roles for the bearer and the query scheme', () => {
      expect(raw.security).toHaveLength(2);
      const bearer = raw.security.find((r: object) => 'bearerAuth' in r);
      const query = raw.security.find((r: object) => 'apiKeyQuery' in r);
      expect(Array.isArray(bearer?.bearerAuth)).toBe(true);
      expect(query?.apiKeyQuery).toEqual(bearer.bearerAuth);
      for (const role of bearer.bearerAuth) expect(Object.keys(spec.permissionImplications)).toContain(role);
    });

    it('documents 400, 401 and 429 with the error schema, and 403 exactly when a permission is needed', () => {
      for (const status of ['400', '401', '429']) expect(isErrorSchema(op.responses[status]?.schema)).toBe(true);
      if (op.requiredPermissions.length > 0) expect(isErrorSchema(op.responses['403']?.schema)).toBe(true);
      else expect(op.responses['403']).toBeUndefined();
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) expect(isErrorSchema(response.schema)).toBe(true);
      }
    });

    it('documents Retry-After and the three rate-limit headers on 429', () => {
      const headers = op.responses['429'].headers;
      for (const name of ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) {
        expect(headers[name]?.required).toBe(true);
      }
    });

    it('documents the rate-limit headers on every authenticated response', () => {
      for (const [status, response] of Object.entries(op.responses)) {
        if (status === '401') continue; // not authenticated
        for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) {
          expect(response.headers[name]).toBeDefined();
        }
      }
    });

    it('documents RateLimit-Policy and RateLimit, not required, on every response that documents X-RateLimit-*', () => {
      for (const response of Object.values(op.responses)) {
        if (!response.headers['X-RateLimit-Limit']) continue;
        // Not required: a server may send only the X- form (the mock's rate_limit_headers: [x]).
        expect([response.headers['RateLimit-Policy']?.required, response.headers['RateLimit']?.required]).toEqual([false, false]);
      }
    });

    it('documents WWW-Authenticate on 401 (always) and 403 (when a permission is missing)', () => {
      expect(op.responses['401'].headers['WWW-Authenticate']?.required).toBe(true);
      // A 403 for a host the mock does not serve comes before authentication, without a
      // challenge; the harness checks the challenge of every permission 403 itself.
      if (op.responses['403']) expect(op.responses['403'].headers['WWW-Authenticate']?.schema.pattern).toMatch(/insufficient_scope/);
    });

    it('takes cursor pagination with limit 1..100 when it lists', () => {
      if (!op.operationId.startsWith('list')) return;
      const limit = op.parameters.find((p) => p.name === 'limit');
      expect(limit?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
      expect(op.parameters.find((p) => p.name === 'cursor')).toBeDefined();
    });

    it('accepts an Idempotency-Key when it creates', () => {
      if (!op.operationId.startsWith('create')) return;
      expect(op.parameters.find((p) => p.in === 'header' && p.name === 'Idempotency-Key')).toBeDefined();
    });
  });

  it('shows a key secret only in the create and rotate responses', () => {
    const withSecret = spec.operations.filter((op) =>
      Object.values(op.responses).some((r) => JSON.stringify(r.schema ?? {}).match(/ApiKeyWithSecret|ApiKeyRotated/)),
    );
    expect(withSecret.map((o) => o.operationId).sort()).toEqual(['createApiKey', 'rotateApiKey']);
    expect(doc.components.schemas.ApiKey.properties.secret).toBeUndefined();
    expect(Object.keys(doc.components.schemas.ApiKey.properties).sort()).toEqual(
      ['account_id', 'created_at', 'expires_at', 'id', 'last4', 'mode', 'name', 'object', 'permissions', 'plan', 'status'],
    );
  });

  it('lists the 401 reasons a client can act on', () => {
    expect(doc.components.schemas.UnauthorizedReason.enum).toEqual(
      expect.arrayContaining(['missing', 'malformed', 'unknown', 'expired', 'revoked', 'live_key_in_query']),
    );
  });
});

describe('the examples in the document', () => {
  const validator = createSchemaValidator(doc);
  const cases: Array<[string, string, unknown]> = [];
  for (const op of spec.operations) {
    for (const [status, response] of Object.entries(op.responses)) {
      if (response.schemaPointer) cases.push([`${op.operationId} ${status}`, response.schemaPointer, response.example]);
    }
    if (op.requestBody) {
      const raw = rawOperation(op).requestBody.content['application/json'];
      cases.push([`${op.operationId} request`, op.requestBody.schemaPointer, raw.example]);
    }
  }

  it.each(cases)('%s has an example that validates against its schema', (_name, pointer, example) => {
    expect(example).toBeDefined();
    expect(validator.validate(pointer, example)).toEqual([]);
  });

  it('fail validation when they break the schema (the check can fail)', () => {
    const pointer = spec.operations.find((o) => o.operationId === 'getScan')!.responses['200'].schemaPointer!;
    expect(validator.validate(pointer, { id: 'scan_1' }).length).toBeGreaterThan(0);
  });
});
