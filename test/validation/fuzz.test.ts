// Property-based fuzzing (fast-check, seeded): 10,000 generated requests across every
// operation. About half are hostile (credentials, ids, query values and bodies), half are
// valid requests built from the spec's schemas with a key of the right permission and ids
// of resources that exist, so the handlers are reached: at least 30% must get a 2xx.
// Every response must be a documented status, never a 5xx, with a body valid against the
// spec and no stack trace.
import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import { startMockServer, type RunningMock } from '../../mock/server';
import { arbitraryFor } from '../../contracts/lib/arbitraries';
import { evaluateEach, sourcesOf } from '../../contracts/lib/links';
import type { SpecOperation } from '../../lib/openapi/load-spec';
import { createSchemaValidator } from '../../lib/openapi/schema-validator';
import { KEYS, SPEC, T0_ISO } from '../helpers/fixtures';
import { pathExample } from '../helpers/requests';
import { specProblems } from '../helpers/spec-check';

const SEED = 20261126;
const RUNS = 10_000;

interface Wire {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function send(port: number, method: string, path: string, headers: string[], body?: Buffer): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const keepAlive = new (require('node:http').Agent)({ keepAlive: true, maxSockets: 8 });

const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 40 });
const validKey = fc.constantFrom(...Object.values(KEYS));
const hostileToken = fc.oneof(
  validKey,
  latin1,
  fc.constant(''),
  fc.constant('   '),
  fc.constant(`sk_test_${'A'.repeat(10_000)}`),
  fc.constant('sk_live_MOCK_fixture_not_a_real_key_08'),
  fc.stringMatching(/^sk_(test|live)_[A-Za-z0-9_]{0,120}$/),
  fc.constant('sk_test_ünïcödé_ключ_00000000000000'),
);
const authorization = fc.oneof(
  fc.constant<string[]>([]),
  hostileToken.map((t) => ['Authorization', `Bearer ${t}`]),
  fc.tuple(fc.constantFrom('Basic', 'Token', 'bearer', 'BEARER', 'Digest', ''), hostileToken).map(([s, t]) => ['Authorization', `${s} ${t}`]),
  fc.tuple(hostileToken, hostileToken).map(([a, b]) => ['Authorization', `Bearer ${a}`, 'Authorization', `Bearer ${b}`]),
  latin1.map((v) => ['Authorization', v]),
);
const queryValue = fc.oneof(latin1, fc.integer().map(String), fc.constantFrom('0', '1', '100', '101', '-1', '1e3', '20.5', 'NaN', ''), fc.string({ maxLength: 300 }));
const query = fc.record(
  {
    limit: queryValue,
    cursor: queryValue,
    status: fc.oneof(queryValue, fc.constantFrom('queued', 'running', 'completed', 'failed', 'cancelled')),
    api_key: fc.oneof(hostileToken, queryValue),
    scan_id: queryValue,
    extra: queryValue,
  },
  { requiredKeys: [] },
);
// Never empty: an empty id is a request to the parent path, another operation.
const pathId = fc.oneof(
  fc.constantFrom('scan_q78r3ftb4dg70d45', 'rpt_0000', 'usr_0000', 'key_read', 'key_admin', 'scan_', '..', '%2e%2e', 'a%2Fb'),
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.string({ minLength: 100, maxLength: 2000 }),
);
const deep = fc.integer({ min: 100, max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
const body = fc.oneof(
  fc.constant<string | undefined>(undefined),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ target: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), scan_type: fc.oneof(fc.constantFrom('quick', 'full', 'memory'), fc.string()) }).map((v) => JSON.stringify(v)),
  fc.record({ email: fc.oneof(fc.emailAddress(), fc.string()), name: fc.string(), role: fc.constantFrom('admin', 'viewer', 'x') }).map((v) => JSON.stringify(v)),
  fc.record({ name: fc.string(), permissions: fc.array(fc.constantFrom('read', 'write', 'admin', 'root')), expires_at: fc.oneof(fc.constant(null), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string()) }).map((v) => JSON.stringify(v)),
  fc.record({ previous_secret_expires_in_seconds: fc.oneof(fc.integer(), fc.double(), fc.string()) }).map((v) => JSON.stringify(v)),
  deep,
  fc.constant('{"target": "x'.padEnd(70_000, 'x')),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '[', '{"a":', 'null', 'true', '"x"', '\u0000'),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/merge-patch+json', '', 'application/jsonx');
const extraHeaders = fc.oneof(
  fc.constant<string[]>([]),
  fc.constantFrom('code=400', 'code=418', 'code=201', 'code=abc', 'code=4290', '').map((p) => ['Prefer', p]),
  latin1.map((v) => ['Idempotency-Key', v]),
  fc.constant(['Idempotency-Key', 'k'.repeat(300)]),
);

const hostile = fc.record({
  op: fc.constantFrom(...SPEC.operations),
  id: pathId,
  query,
  authorization,
  body,
  contentType,
  extra: extraHeaders,
});

// Valid requests run on an account of their own, so no hostile request (which may rotate
// or revoke the well-known keys) can take their keys away.
const FUZZ = {
  account: { id: 'acct_fuzz', name: 'Fuzz', plan: 'enterprise' as const },
  read: 'sk_test_fuzz_read_00000000000000000001',
  write: 'sk_test_fuzz_write_0000000000000000002',
  admin: 'sk_test_fuzz_admin_0000000000000000003',
};
const fuzzKeys = (['read', 'write', 'admin'] as const).map((p) => ({ id: `key_fuzz_${p}`, name: `fuzz ${p}`, secret: FUZZ[p], account_id: 'acct_fuzz', permissions: [p] }));
const FUZZ_KEY_IDS = new Set(fuzzKeys.map((k) => k.id));
const keyFor = (op: SpecOperation) => (op.requiredPermissions.includes('admin') ? FUZZ.admin : op.requiredPermissions.includes('write') ? FUZZ.write : FUZZ.read);

const schemas = createSchemaValidator(SPEC.document);
/** A body the spec accepts: generated from its schema, checked against it. */
const validBody = (op: SpecOperation) =>
  op.requestBody ? arbitraryFor(SPEC.document, op.requestBody.schema).filter((v) => schemas.validate(op.requestBody!.schemaPointer, v).length === 0) : fc.constant(undefined);
/** Query values the spec accepts, for every query parameter but the cursor. */
const validQuery = (op: SpecOperation) =>
  fc.record(
    Object.fromEntries(op.parameters.filter((p) => p.in === 'query' && p.name !== 'cursor').map((p) => [p.name, arbitraryFor(SPEC.document, p.schema)])),
    { requiredKeys: [] },
  );
const valid = fc.constantFrom(...SPEC.operations).chain((op) => fc.record({ op: fc.constant(op), pick: fc.nat(), query: validQuery(op), body: validBody(op) }));

const request = fc.oneof(hostile.map((r) => ({ kind: 'hostile' as const, ...r })), valid.map((r) => ({ kind: 'valid' as const, ...r })));

describe('fuzzing every operation', () => {
  let server: RunningMock;
  let count = 0;
  let validCount = 0;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    server = await startMockServer({
      config: {
        clock: T0_ISO,
        plans: { developer: { requests_per_window: 1_000_000_000 }, vibe_coder: { requests_per_window: 1_000_000_000 }, enterprise: { requests_per_window: 1_000_000_000 } },
        auth_failure_limit: { max_failures: 1_000_000 },
        accounts: [FUZZ.account],
        keys: fuzzKeys,
        max_keys_per_account: 100_000,
        max_users_per_account: 100_000,
      },
    });
  });
  afterAll(async () => {
    keepAlive.destroy();
    await server.close();
    const ok = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
    process.stdout.write(`fuzz: ${count} requests (${validCount} valid), ${ok} 2xx (${((100 * ok) / Math.max(1, count)).toFixed(1)}%), statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
  });

  /**
   * An id of a resource of the fuzz account that exists now, for each path parameter: one
   * of the items of the list the spec links to the parameter (contracts/lib/links.ts),
   * asked for as the fuzz account's key of the list's permission; the spec's example (an id
   * of another account) when the list is empty.
   */
  async function existing(op: SpecOperation, name: string, pick: number): Promise<string> {
    const source = sourcesOf(SPEC, name).read;
    if (!source) throw new Error(`no list operation of the spec links to ${name}`);
    const list = source.operation;
    // As many items as a page holds: the limit's maximum.
    const limit = list.parameters.find((p) => p.in === 'query' && p.name === 'limit');
    const path = `/v1${list.path}${limit ? `?limit=${limit.schema.maximum}` : ''}`;
    const res = await send(server.port, 'GET', path, ['Host', `127.0.0.1:${server.port}`, 'Authorization', `Bearer ${keyFor(list)}`]);
    // Never the keys the valid requests use: rotating one with no grace would end the run's.
    const ids = res.status === 200 ? evaluateEach(source.expression, JSON.parse(res.text)).filter((id) => !FUZZ_KEY_IDS.has(id)) : [];
    return ids.length ? ids[pick % ids.length] : pathExample(op, name)!;
  }

  it(`answers ${RUNS} hostile and valid requests (seed ${SEED}) with documented statuses, spec-valid bodies, no 5xx and no stack trace, and at least 30% reach a handler`, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        if (generated.kind === 'valid') {
          const { op, pick, body: value } = generated;
          let path = `/v1${op.path}`;
          for (const p of op.parameters.filter((x) => x.in === 'path')) path = path.replace(`{${p.name}}`, encodeURIComponent(await existing(op, p.name, pick)));
          const qs = new URLSearchParams(Object.entries(generated.query).map(([k, v]): [string, string] => [k, String(v)])).toString();
          const payload = value === undefined ? undefined : Buffer.from(JSON.stringify(value));
          const headers = ['Host', `127.0.0.1:${server.port}`, 'Authorization', `Bearer ${keyFor(op)}`, ...(payload ? ['Content-Type', 'application/json', 'Content-Length', String(payload.length)] : [])];
          const res = await send(server.port, op.method.toUpperCase(), qs ? `${path}?${qs}` : path, headers, payload);
          count++;
          validCount++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status).toBeLessThan(500);
          // A valid request is never refused as invalid (the spec accepts it).
          expect({ op: op.operationId, refusedAsInvalid: res.status === 400 ? res.text : false }).toEqual({ op: op.operationId, refusedAsInvalid: false });
          expect(specProblems(op, { status: res.status, body: res.text ? JSON.parse(res.text) : undefined, headers: res.headers })).toEqual([]);
          return;
        }
        const r = generated;
        const path = `/v1${r.op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(r.id))}`;
        const qs = Object.entries(r.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`).join('&');
        // Raw header lists (for repeated headers) get no Host from Node: add it.
        // Header values go out as their UTF-8 bytes, as a client sending unicode would.
        const raw = [...r.authorization, ...r.extra].map((v, i) => (i % 2 ? Buffer.from(v, 'utf8').toString('latin1') : v));
        const headers = ['Host', `127.0.0.1:${server.port}`, ...raw];
        const payload = r.body === undefined ? undefined : Buffer.from(r.body, 'utf8');
        if (payload) headers.push('Content-Type', r.contentType, 'Content-Length', String(payload.length));
        const res = await send(server.port, r.op.method.toUpperCase(), qs ? `${path}?${qs}` : path, headers, payload);
        count++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status).toBeLessThan(500);
        expect(res.text).not.toMatch(/\n\s+at |Error: |node_modules/);
        const parsed = res.text ? JSON.parse(res.text) : undefined;
        // A valid key of one account never reaches another's resources, so 404 is possible
        // on every id operation; everything must still be what the spec documents.
        expect(specProblems(r.op, { status: res.status, body: parsed, headers: res.headers })).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(count).toBe(RUNS);
    const ok = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
    expect(ok / count).toBeGreaterThanOrEqual(0.3);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
  }, 600_000);
});
