// One server-paged table of a session's records (its meter samples, its OCPP messages): the page
// from the core, an empty state that says why there is nothing, an export of every row built in
// the browser, and rows that open to their detail. The two tabs differ only in what they show.
import type { ReactNode } from 'react';
import { Group, Stack } from '@mantine/core';
import type { MethodInput, MethodOutput } from '../../../../src-shared/api/contract';
import { useQuery } from '../../api/use-query';
import { PAGE_SIZE, usePageOffset } from '../../components/pager';
import { PagedTable, type PagedColumn } from '../../components/paged-table';
import { EmptyState, ErrorAlert, ExportCsvButton, Loading } from '../../components/common';
import { fetchAllPages } from '../../lib/fetch-pages';
import { toCsv } from '../../lib/download';

type DetailMethod = 'session-detail-samples' | 'session-detail-messages';

export function SessionDetailTable<M extends DetailMethod, Row>(props: {
  method: M;
  /** The session. */
  id: number;
  rowsOf: (page: MethodOutput<M>) => Row[];
  rowKey: (row: Row) => number;
  /** The table's accessible name and what its rows are called ("messages"). */
  label: string;
  noun: string;
  empty: { title: string; body: ReactNode };
  csv: {
    fileName: string;
    headers: string[];
    row: (row: Row) => (string | number | null)[];
    /** Write the rows oldest first (the table shows newest first). */
    oldestFirst?: boolean;
  };
  columns: PagedColumn<Row>[];
  detail: (row: Row) => ReactNode;
}) {
  const { method, id, rowsOf, csv } = props;
  const [offset, setOffset] = usePageOffset(String(id));
  // Both methods take { id, limit, offset }; TypeScript cannot see that through the union M.
  const q = useQuery(method, { id, limit: PAGE_SIZE, offset } as MethodInput<M>);
  const rows = q.data ? rowsOf(q.data) : [];
  const total = q.data?.total ?? 0;
  const buildCsv = async () => {
    const r = await fetchAllPages(
      method,
      { id } as Omit<MethodInput<M>, 'limit' | 'offset' | 'after'>,
      rowsOf,
    );
    if (!r.ok) return r;
    const all = csv.oldestFirst ? r.value.slice().reverse() : r.value;
    return {
      ok: true as const,
      value: { fileName: csv.fileName, csv: toCsv(csv.headers, all.map(csv.row)) },
    };
  };
  if (q.error) return <ErrorAlert error={q.error} />;
  if (q.loading) return <Loading />;
  if (total === 0) return <EmptyState title={props.empty.title}>{props.empty.body}</EmptyState>;
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <ExportCsvButton build={buildCsv} />
      </Group>
      <PagedTable<Row>
        label={props.label}
        noun={props.noun}
        verticalSpacing={4}
        rows={rows}
        rowKey={props.rowKey}
        total={total}
        offset={offset}
        onOffset={setOffset}
        detail={props.detail}
        columns={props.columns}
      />
    </Stack>
  );
}
