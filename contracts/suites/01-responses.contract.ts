// Every read operation, with the right key: the documented success status, a body valid
// against its schema, and the documented headers.
import { expectStatus } from '../lib/checks';
import { withArticle, type Harness } from '../lib/harness';

/** The conduct rules of the mock's report this suite breaks by design (docs/harness.md#the-conduct-report). */
export const conductBreaks = {
  key_in_query: 'it checks the second way the spec documents for sending a key, ?api_key= (apiKeyQuery), with a test key',
  uncached_repeat: 'it reads each answer whole to check its body and headers, the same GET again with each way of sending the key, so it never revalidates',
};

export function register(h: Harness): void {
  const { call, existingIds, itWhen, keyMissing, keyOf, rightRole } = h;
  for (const op of h.spec.operations.filter((o) => o.method === 'get')) {
    h.describe(op.operationId, () => {
      const role = rightRole(op);

      itWhen([keyMissing(role)])(`answers ${op.successStatus} with a spec-valid body to ${withArticle(role)} key, in the header and in the URL`, async () => {
        const params = await existingIds(op);
        if (typeof params === 'string') throw new Error(`[fixture] cannot build a request: ${params}`);
        for (const via of ['header', 'query'] as const) {
          const res = await call(op, { key: keyOf(role), via, auth: 'valid', params });
          expectStatus(op, res, op.successStatus, `${withArticle(role)} key via ${via}`);
        }
      });

      if (op.parameters.some((p) => p.name === 'limit')) {
        itWhen([keyMissing(role)])('pages with limit and next_cursor', async () => {
          const first = await call(op, { key: keyOf(role), auth: 'valid', query: { limit: '1' } });
          expectStatus(op, first, 200, 'limit=1');
          const page = first.body as { data: Array<{ id: string }>; has_more: boolean; next_cursor: string | null };
          if (page.data.length > 1) throw new Error(`[pagination] ${op.operationId}: limit=1 returned ${page.data.length} items`);
          if (page.has_more !== (page.next_cursor !== null)) throw new Error(`[pagination] ${op.operationId}: has_more and next_cursor disagree`);
          if (page.next_cursor) {
            const next = await call(op, { key: keyOf(role), auth: 'valid', query: { limit: '1', cursor: page.next_cursor } });
            expectStatus(op, next, 200, 'the next page');
            const second = (next.body as { data: Array<{ id: string }> }).data;
            if (second[0]?.id === page.data[0].id) throw new Error(`[pagination] ${op.operationId}: the next page repeats the first`);
          }
        });
      }
    });
  }
}
