// @ts-nocheck
// The spec's examples work as given: every operation, sent with its own examples (path,
// query, headers, body) and the admin key to a fresh mock with the default configuration,
// gets its documented success status. Tools that send examples (Swagger UI's "Try it
// out", Prism, Specmatic) then meet real ids and cursors, not 404s and 400s.
import request from 'supertest';
import { createMock } from '../../mock/app';
import { deref, type SpecOperation } from '../../lib/openapi/load-spec';
import { KEYS, SPEC } from '../helpers/fixtures';
import { specProblems } from '../helpers/spec-check';

/** Reads before changes, creates before updates, rotations and cancels, deletes last. */
const rank = (op: SpecOperation) => (op.method === 'get' ? 0 : op.method === 'post' && !/\{/.test(op.path) ? 1 : op.method === 'patch' ? 2 : op.method === 'post' ? 3 : 4);

function exampleRequest(op: SpecOperation) {
  const values: Record<'path' | 'query' | 'header', Record<string, string>> = { path: {}, query: {}, header: {} };
  const raw = (SPEC.document.paths as Record<string, Record<string, { parameters?: unknown[]; requestBody?: { content: Record<string, { example?: unknown }> } }>>)[op.path][op.method];
  for (const p of raw.parameters ?? []) {
    const param = deref<{ name: string; in: 'path' | 'query' | 'header'; example?: unknown }>(SPEC.document, p, '#').value;
    if (param.example !== undefined) values[param.in][param.name] = String(param.example);
  }
  const path = SPEC.basePath + op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => values.path[name] ?? `no-example-for-${name}`);
  const qs = new URLSearchParams(values.query).toString();
  return { url: qs ? `${path}?${qs}` : path, headers: values.header, body: raw.requestBody?.content['application/json'].example };
}

it('answers every operation sent with its examples with the documented success status', async () => {
  const mock = createMock({});
  const seen: string[] = [];
  for (const op of [...SPEC.operations].sort((a, b) => rank(a) - rank(b))) {
    const { url, headers, body } = exampleRequest(op);
    let req = (request(mock.handler) as unknown as Record<string, (u: string) => request.Test>)[op.method](url).set('Authorization', `Bearer ${KEYS.admin}`).set(headers);
    if (body !== undefined) req = req.send(body as object);
    const res = await req;
    seen.push(`${op.operationId} ${res.status}`);
    expect({ op: op.operationId, url, status: res.status, error: res.status >= 400 ? res.body.error : undefined }).toEqual({ op: op.operationId, url, status: op.successStatus, error: undefined });
    expect(specProblems(op, res)).toEqual([]);
  }
  expect(seen).toHaveLength(SPEC.operations.length);
});
