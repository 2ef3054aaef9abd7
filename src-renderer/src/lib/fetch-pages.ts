// Every row of a server-paged list that matches a filter, for a CSV export built in the browser.
// Each page continues after the last row of the one before (`next`, src-main/db/paged.ts): rows
// written while exporting neither repeat a row nor skip one, as shifting offsets would.
import type { MethodInput, MethodOutput } from '../../../src-shared/api/contract';
import type { Result } from '../../../src-shared/api/result';
import { api } from '../api/client';

type PagedMethod =
  'ocpp-log-list' | 'transaction-list' | 'session-detail-samples' | 'session-detail-messages';
/** The contract's largest page. */
const EXPORT_PAGE = 1000;

export async function fetchAllPages<M extends PagedMethod, Row>(
  method: M,
  filter: Omit<MethodInput<M>, 'limit' | 'offset' | 'after'>,
  rowsOf: (page: MethodOutput<M>) => Row[],
): Promise<Result<Row[]>> {
  const all: Row[] = [];
  let after: string | undefined;
  for (;;) {
    // The filter is the method's own input minus the paging fields, so this is its input.
    const input = { ...filter, limit: EXPORT_PAGE, after } as MethodInput<M>;
    const r = await api.call(method, input);
    if (!r.ok) return r;
    all.push(...rowsOf(r.value));
    if (r.value.next === null) return { ok: true, value: all };
    after = r.value.next;
  }
}
