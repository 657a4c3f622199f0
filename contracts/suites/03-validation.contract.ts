// Request validation: out-of-range parameters and malformed ids are 400s that name the
// parameter and the schema path.
import { SPEC, expectStatus, fail } from '../lib/checks';
import { call, itWhen } from '../lib/client';
import { keyMissing, keyOf, rightRole } from '../lib/keys';

const paged = SPEC.operations.filter((op) => op.method === 'get' && op.parameters.some((p) => p.name === 'limit'));
const byId = SPEC.operations.filter((op) => op.method === 'get' && op.parameters.some((p) => p.in === 'path'));

describe.each(paged.map((op) => [op.operationId, op] as const))('%s', (_id, op) => {
  itWhen([keyMissing(rightRole(op))])('answers 400 naming "limit" to limit=101', async () => {
    const res = await call(op, { key: keyOf(rightRole(op)), auth: 'valid', query: { limit: '101' } });
    expectStatus(op, res, 400, 'limit is 1..100');
    const details = (res.body as { error: { details: Record<string, string> } }).error.details;
    if (details.parameter !== 'limit' || !details.schema_path) fail('validation-details', op, res, `details should name limit and a schema path: ${JSON.stringify(details)}`);
  });
});

describe.each(byId.map((op) => [op.operationId, op] as const))('%s', (_id, op) => {
  itWhen([keyMissing(rightRole(op))])('answers 400 to a malformed id', async () => {
    const params = Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, 'not an id']));
    const res = await call(op, { key: keyOf(rightRole(op)), auth: 'valid', params });
    expectStatus(op, res, 400, 'the id does not match its pattern');
  });
});
