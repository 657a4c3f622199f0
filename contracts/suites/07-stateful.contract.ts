// Stateful sequences (with --generate): each operation that creates a resource and has
// OpenAPI links in its response is walked with generated data, the links followed as the
// spec declares them:
//   ensure_resource_availability  what a create made can be fetched through its links;
//   use_after_free                after the link that deletes or revokes it, a fetch gives
//                                 404, or the resource in the state the delete gave it, and
//                                 the list agrees;
//   rotated-secret-expiry         a rotated key's old secret works through its grace, then
//                                 gets 401 (expired); a revoked key's secrets get 401.
import fc from 'fast-check';
import type { SpecOperation } from '../../lib/openapi/load-spec';
import { createSchemaValidator } from '../../lib/openapi/schema-validator';
import { expectAuthError, fail } from '../lib/checks';
import { validRequests, type GeneratedRequest } from '../lib/generate';
import type { Harness, Precondition } from '../lib/harness';
import { evaluate } from '../lib/links';

const isChange = (op: SpecOperation) => op.method !== 'get' && op.method !== 'delete';

export function register(h: Harness): void {
  const { settings } = h;
  if (!settings.generate) return;
  const validator = createSchemaValidator(h.spec.document);
  const creates = h.spec.operations.filter((op) => op.method === 'post' && op.responses['201'] && Object.keys(op.responses['201'].links).length > 0);
  const pre: Precondition[] = [
    [settings.allowWrites, 'changes state: pass --allow-writes'],
    h.can('state'),
  ];

  for (const create of creates) {
    const role = h.rightRole(create);
    h.itWhen([...pre, h.keyMissing(role), h.changesOk(create, role), h.changesOk(create, 'admin'), h.changesOk(create, 'write')])(`walks the links of ${create.operationId} with generated data: ensure_resource_availability, use_after_free`, async () => {
      const key = h.keyOf(role);
      const body = (op: SpecOperation) =>
        fc.sample(validRequests(h.spec, op, {}, (v) => !op.requestBody || validator.validate(op.requestBody.schemaPointer, v).length === 0), { seed: settings.generate!.seed, numRuns: 1 })[0].body;
      const send = (op: SpecOperation, r: Partial<GeneratedRequest>, auth = 'valid') => h.call(op, { key: h.keyOf(h.rightRole(op)), auth, params: r.params, query: r.query, ...(r.body !== undefined ? { body: r.body } : {}) });
      const created = await h.call(create, { key, auth: 'valid', body: uniqueBody(body(create), h.unique) });
      if (created.status !== 201) fail('ensure_resource_availability', create, created, `a valid create got ${created.status}: ${created.text.slice(0, 200)}`);
      const links = Object.values(create.responses['201'].links);
      const linked = links.map((link) => {
        const op = h.operation(link.operationId);
        const params = Object.fromEntries(Object.entries(link.parameters).map(([name, expr]) => [name, evaluate(expr, created.body) ?? '']));
        return { op, params };
      });

      // ensure_resource_availability: every GET link finds it.
      const fetches = linked.filter((l) => l.op.method === 'get');
      for (const { op, params } of fetches) {
        const got = await send(op, { params });
        if (got.status !== 200) fail('ensure_resource_availability', op, got, `${create.operationId} made ${JSON.stringify(params)}, which ${op.operationId} cannot find (${got.status})`);
        const id = (created.body as { id: string }).id;
        if ((got.body as { id?: string }).id !== id) fail('ensure_resource_availability', op, got, `fetched ${(got.body as { id?: string }).id}, not the ${id} just made`);
      }

      // Changes the links allow (update, rotate, cancel), then the one that deletes or revokes.
      const secret = (created.body as { secret?: string }).secret;
      for (const { op, params } of linked.filter((l) => isChange(l.op))) {
        const grace = op.operationId === 'rotateApiKey' ? 1 : undefined;
        const changeBody = grace !== undefined ? { previous_secret_expires_in_seconds: grace } : op.requestBody ? body(op) : undefined;
        const changed = await send(op, { params, body: changeBody });
        if (changed.status !== op.successStatus) fail('ensure_resource_availability', op, changed, `a valid ${op.operationId} of what ${create.operationId} made got ${changed.status}: ${changed.text.slice(0, 200)}`);
        if (grace !== undefined && secret) await checkRotation(h, op, secret, (changed.body as { secret: string }).secret, grace);
      }
      for (const { op, params } of linked.filter((l) => l.op.method === 'delete')) {
        const before = fetches.length ? (await send(fetches[0].op, { params: fetches[0].params })).body as { status?: string } : undefined;
        const gone = await send(op, { params });
        if (gone.status !== op.successStatus) fail('use_after_free', op, gone, `deleting what ${create.operationId} made got ${gone.status}`);
        const state = (gone.body as { status?: string } | undefined)?.status;
        // use_after_free: a fetch gives 404, or the resource in the state the delete gave it.
        for (const fetch of fetches) {
          const after = await send(fetch.op, { params: fetch.params });
          const afterState = (after.body as { status?: string } | undefined)?.status;
          // Not as it was: a revoked key that still reads "active" has not been revoked.
          if (!(after.status === 404 || (after.status === 200 && state !== undefined && afterState === state && afterState !== before?.status))) {
            fail('use_after_free', fetch.op, after, `after ${op.operationId} (${gone.status}${state ? `, status ${state}` : ''}) it still reads as ${after.status}${afterState ? ` with status ${afterState}` : ''}`);
          }
        }
        // ...and the list agrees.
        const list = h.spec.operations.find((o) => o.method === 'get' && o.path === create.path);
        if (list) {
          const listed = await send(list, { query: { limit: '100' } });
          const item = ((listed.body as { data?: Array<{ id: string; status?: string }> }).data ?? []).find((i) => i.id === (created.body as { id: string }).id);
          if (item && !(state !== undefined && item.status === state && item.status !== before?.status)) fail('use_after_free', list, listed, `after ${op.operationId}, ${list.operationId} still lists it${item.status ? ` as ${item.status}` : ''}`);
        }
        if (secret) {
          const whoami = h.operation('getWhoami');
          const used = await h.call(whoami, { key: secret, auth: 'revoked', unchecked: true });
          if (used.status !== 401) fail('use_after_free', whoami, used, `the secret of a revoked key got ${used.status}, not 401`);
          expectAuthError(whoami, used, { status: 401, reason: 'revoked', presented: true });
        }
      }

      // Links of what the fetches return (a scan's report): on a second resource (the first may be cancelled), once time has
      // passed, when the run can move the mock's clock; waiting on a real server's scans is not
      // a contract check.
      const nested = fetches.flatMap((f) => Object.values(f.op.responses['200']?.links ?? {}).map((link) => ({ fetch: f, link })));
      if (nested.length && settings.controlUrl) {
        const second = await h.call(create, { key, auth: 'valid', body: uniqueBody(body(create), h.unique) });
        const secondId = (second.body as { id: string }).id;
        await h.pass(3_600_000);
        for (const { fetch, link } of nested) {
          const params = Object.fromEntries(Object.keys(fetch.params).map((k) => [k, secondId]));
          const got = await send(fetch.op, { params });
          const next = Object.fromEntries(Object.entries(link.parameters).map(([name, expr]) => [name, evaluate(expr, got.body)]));
          // A scan that failed has no report: nothing to follow.
          if (Object.values(next).some((v) => v === undefined)) continue;
          const target = h.operation(link.operationId);
          const followed = await send(target, { params: next as Record<string, string> });
          if (followed.status !== 200) fail('ensure_resource_availability', target, followed, `${fetch.op.operationId} links to ${JSON.stringify(next)}, which ${target.operationId} cannot find (${followed.status})`);
        }
      }
    });
  }
}

/** A generated create body with names unique to this run, so it never collides with an earlier one. */
function uniqueBody(body: unknown, unique: () => string): unknown {
  if (!body || typeof body !== 'object') return body;
  const b = { ...(body as Record<string, unknown>) };
  const n = unique();
  if (typeof b.email === 'string') b.email = `walk-${n}@example.com`;
  if (typeof b.name === 'string') b.name = `walk-${n}`;
  // A key that expires during the walk would read as expired, not as what the walk made it.
  if ('expires_at' in b) delete b.expires_at;
  return b;
}

/** The old secret works through its grace, then gets 401 expired; the new one works. */
async function checkRotation(h: Harness, rotate: SpecOperation, oldSecret: string, newSecret: string, graceSeconds: number): Promise<void> {
  const whoami = h.operation('getWhoami');
  const use = (secret: string, auth: string) => h.call(whoami, { key: secret, auth, unchecked: true });
  const fresh = await use(newSecret, 'valid');
  if (fresh.status !== 200) fail('rotated-secret-expiry', rotate, fresh, `the new secret got ${fresh.status}`);
  const during = await use(oldSecret, 'valid');
  if (during.status !== 200) fail('rotated-secret-expiry', rotate, during, `the old secret got ${during.status} within its ${graceSeconds} s grace`);
  // Past the grace: move the mock's clock, or wait on a server whose clock runs.
  await h.pass(graceSeconds * 1000 + 1000);
  const after = await use(oldSecret, 'expired');
  if (after.status !== 401) fail('rotated-secret-expiry', rotate, after, `the old secret still works ${graceSeconds + 1} s after a ${graceSeconds} s grace (${after.status})`);
  expectAuthError(whoami, after, { status: 401, reason: 'expired', presented: true });
}
