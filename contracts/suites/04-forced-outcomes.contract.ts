// Forced outcomes (Prefer: code=NNN, as Prism and the mock honour it): every documented
// status of every operation comes with a spec-valid body and consistent headers.
import { expectStatus } from '../lib/checks';
import type { Harness, Precondition } from '../lib/harness';

export function register(h: Harness): void {
  const { call, existingIds, exampleBody, itWhen, keyMissing, keyOf, settings } = h;
  const writesOk = (method: string) => method === 'get' || settings.allowWrites || settings.target !== 'server';
  const cases = h.spec.operations.flatMap((op) =>
    Object.keys(op.responses)
      .map(Number)
      .filter((s) => s !== op.successStatus)
      .map((status) => [op.operationId, status, op] as const),
  );
  const eligible = cases.filter(([, , op]) => writesOk(op.method));
  if (eligible.length < cases.length) h.skipped(`forced outcomes of ${cases.length - eligible.length} mutating cases`, 'a mutating operation: pass --allow-writes');

  h.describe('Prefer: code=NNN', () => {
    const honoured: Precondition = [settings.preferCodes, 'the target does not honour Prefer: code (pass --prefer-codes if it does)'];
    for (const [id, status, op] of eligible) {
      // A server that ignores Prefer would carry the change out: never with a live admin key unless told to.
      itWhen([honoured, keyMissing('admin'), h.changesOk(op, 'admin')])(`${id} forced to ${status} answers it with a spec-valid body and headers`, async () => {
        const params = await existingIds(op);
        const res = await call(op, {
          key: keyOf('admin'),
          auth: 'forced',
          params: typeof params === 'string' ? undefined : params,
          body: exampleBody(op),
          headers: { Prefer: `code=${status}` },
        });
        expectStatus(op, res, status, `Prefer: code=${status}`);
      });
    }
  });
}
