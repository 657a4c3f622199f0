// @ts-nocheck
// Request validation: out-of-range parameters and malformed ids are 400s that name the
// parameter and the schema path.
import { expectStatus, fail } from '../lib/checks';
import type { Harness } from '../lib/harness';

export function register(h: Harness): void {
  const { call, itWhen, keyMissing, keyOf, rightRole } = h;
  for (const op of h.spec.operations.filter((o) => o.method === 'get' && o.parameters.some((p) => p.name === 'limit'))) {
    h.describe(op.operationId, () => {
      itWhen([keyMissing(rightRole(op))])('answers 400 naming "limit" to limit=101', async () => {
        const res = await call(op, { key: keyOf(rightRole(op)), auth: 'valid', query: { limit: '101' } });
        expectStatus(op, res, 400, 'limit is 1..100');
        const details = (res.body as { error: { details: Record<string, string> } }).error.details;
        if (details.parameter !== 'limit' || !details.schema_path) fail('validation-details', op, res, `details should name limit and a schema path: ${JSON.stringify(details)}`);
      });
    });
  }
  for (const op of h.spec.operations.filter((o) => o.method === 'get' && o.parameters.some((p) => p.in === 'path'))) {
    h.describe(op.operationId, () => {
      itWhen([keyMissing(rightRole(op))])('answers 400 to a malformed id', async () => {
        const params = Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, 'not an id']));
        const res = await call(op, { key: keyOf(rightRole(op)), auth: 'valid', params });
        expectStatus(op, res, 400, 'the id does not match its pattern');
      });
    });
  }
}
