// Keyset paging for a PagedTable: the server gives `next` (continue after the last row seen);
// this keeps the positions of the pages visited, so Previous goes back exactly and Next goes on,
// and starts again at the first page whenever the filters or sort (`filterKey`) change.
import { useState } from 'react';
import { PAGE_SIZE } from '../../components/pager';

export function useKeysetPages(filterKey: string, pageSize = PAGE_SIZE) {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: filterKey,
    cursors: [undefined],
  });
  const cursors = state.key === filterKey ? state.cursors : [undefined];
  const page = cursors.length - 1;
  return {
    /** The position to ask for (undefined: the first page). */
    after: cursors[page],
    offset: page * pageSize,
    /** The pager asked for `offset`; `next` is the current page's continuation. */
    go(offset: number, next: string | null) {
      if (offset > page * pageSize && next) {
        setState({ key: filterKey, cursors: [...cursors, next] });
      } else if (offset < page * pageSize && page > 0) {
        setState({ key: filterKey, cursors: cursors.slice(0, -1) });
      }
    },
  };
}
