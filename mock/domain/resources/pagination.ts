// Cursor pagination over an ordered list: the cursor is base64url of the list's name and
// the id of the last item of the previous page, so it stays valid while items are added
// and works only for the list that gave it (a report cursor names a scan id, and was
// accepted by /scans before it named its list).
import { ApiError } from '../../errors/api-error';

export interface Page<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/** One page of `items` (already in order), after `cursor`, at most `limit` long. */
export function paginate<T extends { id: string }, V>(
  items: readonly T[],
  limit: number,
  cursor: string | undefined,
  view: (item: T) => V,
  cursorPointer: string,
  list: string,
): Page<V> {
  let start = 0;
  if (cursor !== undefined) {
    const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
    const id = decoded.startsWith(`${list}:`) ? decoded.slice(list.length + 1) : undefined;
    const index = id === undefined ? -1 : items.findIndex((item) => item.id === id);
    if (index === -1) {
      throw ApiError.invalidRequest('Query parameter "cursor" is not a cursor of this list', {
        parameter: 'cursor',
        location: 'query',
        schema_path: cursorPointer,
        reason: 'unknown_cursor',
      });
    }
    start = index + 1;
  }
  const slice = items.slice(start, start + limit);
  const hasMore = start + limit < items.length;
  return {
    object: 'list',
    data: slice.map(view),
    has_more: hasMore,
    next_cursor: hasMore ? Buffer.from(`${list}:${slice[slice.length - 1].id}`, 'utf8').toString('base64url') : null,
  };
}
