// docs/adding-an-operation.md, done: its worked example (the YAML block, read from the
// page) is added to a copy of the spec, with handlers given through the mock's `handlers`
// option and nothing else. The mock routes the new operations, enforces their permissions
// and validates their input as the spec says; the harness and the fuzz suite find an id
// for the new path parameter through the spec's links; and the harness's suites run the
// new operations and pass, with no change to contracts/. If the page's steps stop being
// enough, this fails.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import request from 'supertest';
import { createHarness } from '../../contracts/lib/harness';
import { createTransport } from '../../contracts/lib/http';
import { evaluateEach, sourcesOf } from '../../contracts/lib/links';
import { runCases, type RunOutcome } from '../../contracts/lib/runner';
import { SUITES } from '../../contracts/suites';
import { createSchemaValidator } from '../../lib/openapi/schema-validator';
import { HANDLERS } from '../../mock/domain/operations';
import { pageOf } from '../../mock/domain/operations/list';
import type { AnyHandler } from '../../mock/domain/operations/types';
import { ApiError } from '../../mock/errors/api-error';
import { startMockServer } from '../../mock/server';
import { KEYS, bearer, specWith, testMock, T0 } from '../helpers/fixtures';
import { specProblems } from '../helpers/spec-check';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');
const page = readFileSync(join(root, 'docs', 'adding-an-operation.md'), 'utf8');

/** The page's worked example: its one YAML block. */
function workedExample(): { tags: unknown[]; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } } {
  const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toHaveLength(1);
  return yaml.load(blocks[0]) as ReturnType<typeof workedExample>;
}

const example = workedExample();
const spec = specWith((doc) => {
  doc.tags.push(...example.tags);
  Object.assign(doc.paths, example.paths);
  Object.assign(doc.components.schemas, example.components.schemas);
});
const validator = createSchemaValidator(spec.document);
const op = (id: string) => spec.operations.find((o) => o.operationId === id)!;

// The page's handlers, as it writes them.
const NOTES = [{ id: 'note_1', object: 'note', text: 'Patch Tuesday' }];
const listNotes: AnyHandler = (ctx) => pageOf(ctx, NOTES, (n) => n);
const getNote: AnyHandler = (ctx) => {
  const note = NOTES.find((n) => n.id === ctx.params.note_id);
  if (!note) throw ApiError.notFound('note', ctx.params.note_id);
  return note;
};
const handlers = { ...(HANDLERS as Record<string, AnyHandler>), listNotes, getNote };

describe('adding an operation as docs/adding-an-operation.md says', () => {
  const mock = testMock({ spec, handlers });

  it('names files that exist', () => {
    const named = [...page.matchAll(/`((?:openapi|mock|contracts|test|lib|docs)\/[^`*<>\s]+\.(?:ts|yaml|md))`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  it('routes the new operations to their handlers, with spec-valid answers', async () => {
    const list = await request(mock.handler).get('/v1/notes').set(bearer(KEYS.read));
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual(NOTES);
    expect(specProblems(op('listNotes'), list, validator)).toEqual([]);
    const one = await request(mock.handler).get('/v1/notes/note_1').set(bearer(KEYS.admin));
    expect(one.status).toBe(200);
    expect(one.body).toEqual(NOTES[0]);
    expect(specProblems(op('getNote'), one, validator)).toEqual([]);
    const missing = await request(mock.handler).get('/v1/notes/note_2').set(bearer(KEYS.admin));
    expect(missing.status).toBe(404);
    expect(specProblems(op('getNote'), missing, validator)).toEqual([]);
  });

  it('returns 403 with the permission the spec names when a read key gets a note', async () => {
    const res = await request(mock.handler).get('/v1/notes/note_1').set(bearer(KEYS.read));
    expect(res.status).toBe(403);
    expect(res.body.error.details.required_permissions).toEqual(['admin']);
    expect(res.headers['www-authenticate']).toMatch(/error="insufficient_scope".*scope="admin"/);
    expect(specProblems(op('getNote'), res, validator)).toEqual([]);
  });

  it('answers 400 naming the parameter to an id that breaks the pattern, and to limit=0', async () => {
    const id = await request(mock.handler).get('/v1/notes/NOTE').set(bearer(KEYS.admin));
    expect(id.status).toBe(400);
    expect(id.body.error.details.parameter).toBe('note_id');
    expect(specProblems(op('getNote'), id, validator)).toEqual([]);
    const limit = await request(mock.handler).get('/v1/notes?limit=0').set(bearer(KEYS.read));
    expect(limit.status).toBe(400);
    expect(limit.body.error.details.parameter).toBe('limit');
    expect(specProblems(op('listNotes'), limit, validator)).toEqual([]);
  });

  it('gives the harness and the fuzz suite the new path parameter through the list\'s link', () => {
    const read = sourcesOf(spec, 'note_id').read;
    expect(read?.operation.operationId).toBe('listNotes');
    expect(evaluateEach(read!.expression, { object: 'list', data: NOTES, has_more: false, next_cursor: null })).toEqual(['note_1']);
  });

  it('is checked by the harness\'s suites with no change to contracts/: every case of the new operations passes', async () => {
    const server = await startMockServer({ spec, handlers, config: { clock: new Date(T0).toISOString() } });
    const transport = createTransport();
    try {
      const harness = createHarness(
        {
          baseUrl: server.baseUrl, target: 'mock',
          keys: { read: KEYS.read, write: KEYS.write, admin: KEYS.admin, noPerm: KEYS.noPerms, expired: KEYS.expired, revoked: KEYS.revoked },
          allowWrites: false, allowExhaust: false, allowLive: false, preferCodes: true, timeoutMs: 10_000, deadline: Date.now() + 100_000, maxResponseBytes: 1_000_000,
          controlUrl: `${server.url}/_mock`, reportDir: '/tmp',
        },
        transport,
        async () => undefined,
        Date.now,
        spec,
      );
      for (const [name, suite] of SUITES) harness.suite(name, () => suite.register(harness));
      const mine = harness.cases.filter((c) => /Notes?\b/.test(c.name));
      harness.cases.splice(0, harness.cases.length, ...mine);
      const outcome: RunOutcome = { results: [] };
      await runCases(harness, outcome);
      const ran = outcome.results.filter((r) => r.status !== 'skipped');
      expect(ran.filter((r) => r.status !== 'passed').map((r) => `${r.name}: ${r.message}`)).toEqual([]);
      // The responses, auth matrix, validation and forced-outcome suites each reach them.
      expect(new Set(ran.map((r) => r.suite))).toEqual(new Set(['responses', 'auth matrix', 'validation', 'forced outcomes', 'natural outcomes']));
      for (const id of ['listNotes', 'getNote']) {
        expect(harness.coverage.filter((c) => c.operationId === id && c.auth === 'valid' && c.status === op(id).successStatus).length).toBeGreaterThan(0);
      }
      expect(harness.coverage.some((c) => c.operationId === 'getNote' && c.status === 403)).toBe(true);
    } finally {
      transport.close();
      await server.close();
    }
  });
});
