// The one cursor helper of the list operations: a page of `items` after the request's
// cursor, at most its limit long, with the cursor bound to the operation's list.
import { paginate, type Page } from '../resources/pagination';
import type { SpecOperation } from '../../../lib/openapi/load-spec';

export function pageOf<T extends { id: string }, V>(
  ctx: { op: SpecOperation; query: { limit?: number; cursor?: string } },
  items: readonly T[],
  view: (item: T) => V,
): Page<V> {
  const cursor = ctx.op.parameters.find((p) => p.name === 'cursor');
  if (!cursor) throw new Error(`${ctx.op.operationId} has no cursor parameter`);
  // The validator applies the spec's default limit, so one is always there.
  return paginate(items, ctx.query.limit!, ctx.query.cursor, view, cursor.schemaPointer, ctx.op.operationId);
}
