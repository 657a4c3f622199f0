// Every documented status a server can produce on demand, reached by a real request rather
// than forced with Prefer: code (the coverage matrix tells the two apart):
//   404  an id that matches its pattern but names nothing;
//   409  a state that conflicts: a taken email, a revoked key rotated, an Idempotency-Key
//        reused with another body;
//   413  a body over the spec's x-cortex-limits.max_body_bytes;
//   415  a body that is not JSON.
// (429 on every operation is reached in the rate-limit suite, while the window is used up.)
import { expectStatus } from '../lib/checks';
import type { Harness, Precondition } from '../lib/harness';

export function register(h: Harness): void {
  const { settings } = h;
  const ops = h.spec.operations;
  const writes = (method: string): Precondition => [method === 'get' || settings.allowWrites, 'a mutating operation: pass --allow-writes'];
  const stateful = h.can('state');
  const maxBody = h.spec.limits.max_body_bytes;

  for (const op of ops.filter((o) => o.responses['404'] && o.parameters.some((p) => p.in === 'path'))) {
    h.itWhen([writes(op.method), stateful, h.keyMissing(h.rightRole(op)), h.changesOk(op, h.rightRole(op))])(`${op.operationId} answers 404 to a well-formed id that names nothing`, async () => {
      // An id that matches the parameter's own pattern and is too odd ever to be made.
      const params = Object.fromEntries(
        op.parameters
          .filter((p) => p.in === 'path')
          .map((p) => {
            const schema = p.schema.$ref ? (h.spec.document.components!.schemas as Record<string, { pattern: string }>)[p.schema.$ref.split('/').pop()!] : p.schema;
            const pattern = new RegExp(schema.pattern);
            const prefix = /^\^([A-Za-z_]*)/.exec(schema.pattern)?.[1] ?? '';
            const id = [`${prefix}nonexistent0000000000000`, `${prefix}0000000000000000000000`].find((c) => pattern.test(c));
            if (!id) throw new Error(`[fixture] cannot make an id for ${p.name} from ${schema.pattern}`);
            return [p.name, id];
          }),
      );
      const body = h.exampleBody(op);
      const res = await h.call(op, { key: h.keyOf(h.rightRole(op)), auth: 'valid', params, ...(body !== undefined ? { body } : {}) });
      expectStatus(op, res, 404, `no resource has the id ${JSON.stringify(params)}`);
    });
  }

  for (const op of ops.filter((o) => o.requestBody && (o.responses['413'] || o.responses['415']))) {
    const pre: Precondition[] = [writes(op.method), h.keyMissing(h.rightRole(op)), h.can('body-limits'), h.changesOk(op, h.rightRole(op)), ...(op.parameters.some((p) => p.in === 'path') ? [h.changesOk(op, 'admin'), h.changesOk(op, 'write')] : [])];
    const needsId = op.parameters.some((p) => p.in === 'path');
    const ids = async () => {
      if (!needsId) return {};
      const made: Record<string, string> = {};
      for (const p of op.parameters.filter((x) => x.in === 'path')) {
        const id = await h.createThrowaway(p.name);
        if (!id) throw new Error(`[fixture] cannot make a ${p.name}`);
        made[p.name] = id;
      }
      return made;
    };
    if (op.responses['413']) {
      h.itWhen([...pre, ...(needsId ? [stateful] : [])])(`${op.operationId} answers 413 to a body over ${maxBody} bytes`, async () => {
        const res = await h.call(op, { key: h.keyOf(h.rightRole(op)), auth: 'valid', params: await ids(), rawBody: JSON.stringify({ padding: 'x'.repeat(maxBody) }), headers: { 'Content-Type': 'application/json' } });
        expectStatus(op, res, 413, `a body of ${maxBody + 14} bytes`);
      });
    }
    if (op.responses['415']) {
      h.itWhen([...pre, ...(needsId ? [stateful] : [])])(`${op.operationId} answers 415 to a body that is not JSON`, async () => {
        const res = await h.call(op, { key: h.keyOf(h.rightRole(op)), auth: 'valid', params: await ids(), rawBody: 'name=x', headers: { 'Content-Type': 'text/plain' } });
        expectStatus(op, res, 415, 'a text/plain body');
      });
    }
  }

  const conflictPre = (role: 'admin' | 'write'): Precondition[] => [writes('post'), stateful, h.keyMissing(role), [!h.isLive(h.keyOf(role)) || settings.allowLive, `the ${role} key is a live key: pass --allow-live to change live data`]];
  const idempotent = ops.filter((o) => o.responses['409'] && o.parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'));
  for (const op of idempotent) {
    h.itWhen(conflictPre(h.rightRole(op) as 'admin'))(`${op.operationId} answers 409 to an Idempotency-Key reused with another body`, async () => {
      const key = `natural-409-${Date.now().toString(36)}-${op.operationId}`;
      const first = h.exampleBody(op) as Record<string, unknown>;
      const unique = (b: Record<string, unknown>, n: string) => ({ ...b, ...(typeof b.email === 'string' ? { email: `n409-${key}-${n}@example.com` } : {}), ...(typeof b.name === 'string' ? { name: `${String(b.name).slice(0, 40)} ${n}` } : {}), ...(typeof b.target === 'string' ? { target: `n409-${n}.example` } : {}) });
      const ok = await h.call(op, { key: h.keyOf(h.rightRole(op)), auth: 'valid', body: unique(first, 'a'), headers: { 'Idempotency-Key': key } });
      expectStatus(op, ok, op.successStatus, 'the first use of the key');
      const res = await h.call(op, { key: h.keyOf(h.rightRole(op)), auth: 'valid', body: unique(first, 'b'), headers: { 'Idempotency-Key': key } });
      expectStatus(op, res, 409, 'the same Idempotency-Key with another body');
    });
  }

  const rotate = ops.find((o) => o.operationId === 'rotateApiKey');
  const revoke = ops.find((o) => o.operationId === 'revokeApiKey');
  if (rotate && revoke) {
    h.itWhen(conflictPre('admin'))('rotateApiKey answers 409 for a revoked key', async () => {
      const id = await h.createThrowaway('key_id');
      if (!id) throw new Error('[fixture] cannot make a key');
      expectStatus(revoke, await h.call(revoke, { key: h.keyOf('admin'), auth: 'valid', params: { key_id: id } }), 200, 'a key just made');
      const res = await h.call(rotate, { key: h.keyOf('admin'), auth: 'valid', params: { key_id: id }, body: {} });
      expectStatus(rotate, res, 409, 'a revoked key cannot be rotated');
    });
  }

  const update = ops.find((o) => o.operationId === 'updateUser');
  if (update) {
    h.itWhen(conflictPre('admin'))('updateUser answers 409 for an email another user has', async () => {
      const a = await h.createThrowaway('user_id');
      const b = await h.createThrowaway('user_id');
      if (!a || !b) throw new Error('[fixture] cannot make two users');
      const taken = (await h.call(h.operation('getUser'), { key: h.keyOf('admin'), auth: 'valid', params: { user_id: b } })).body as { email: string };
      const res = await h.call(update, { key: h.keyOf('admin'), auth: 'valid', params: { user_id: a }, body: { email: taken.email } });
      expectStatus(update, res, 409, 'the email belongs to another user');
    });
  }
}
