// The one server-paged table (audit log, OCPP message log, transactions, outbox, refused
// chargers): the rows of the current page, rows that open on click (keyboard too:
// lib/row-keys.ts) to show their detail when the page gives one, and the pager under them.
// The page's own filters and export button stay with the page; the paging is in the core
// (src-main/db/paged.ts), so the browser never holds more than one page.
import { Fragment, useState, type CSSProperties, type ReactNode } from 'react';
import { Paper, Table, type MantineSpacing } from '@mantine/core';
import { Pager } from './pager';
import { toggleRowProps } from '../lib/row-keys';

export interface PagedColumn<Row> {
  header: ReactNode;
  /** The cell; `open` says whether the row is opened (a cell may show more then). */
  cell: (row: Row, open: boolean) => ReactNode;
  style?: CSSProperties;
}

export function PagedTable<Row>({
  label,
  columns,
  rows,
  rowKey,
  total,
  offset,
  onOffset,
  noun,
  detail,
  verticalSpacing = 'xs',
  horizontalSpacing = 'xs',
  totalCapped,
  hasNext,
}: {
  /** The table's accessible name, e.g. "Audit entries". */
  label: string;
  columns: PagedColumn<Row>[];
  rows: Row[];
  /** What tells the rows apart (the id, a charge box id). */
  rowKey: (row: Row) => string | number;
  total: number;
  offset: number;
  onOffset: (offset: number) => void;
  /** e.g. "entries", "messages". */
  noun: string;
  /** Shown in a full-width row under an opened row; without it rows do not open. */
  detail?: (row: Row) => ReactNode;
  verticalSpacing?: MantineSpacing;
  /** Narrower for a table of many columns (the sessions list). */
  horizontalSpacing?: MantineSpacing;
  /** See Pager: a total the server stopped counting at, and whether a next page exists. */
  totalCapped?: boolean;
  hasNext?: boolean;
}) {
  const [open, setOpen] = useState<string | number | null>(null);
  return (
    <Paper withBorder>
      <Table
        verticalSpacing={verticalSpacing}
        horizontalSpacing={horizontalSpacing}
        highlightOnHover
        aria-label={label}
      >
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              <Table.Th key={i}>{c.header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            const isOpen = detail !== undefined && open === key;
            const toggle = detail ? toggleRowProps(isOpen, () => setOpen(isOpen ? null : key)) : {};
            return (
              <Fragment key={key}>
                <Table.Tr {...toggle}>
                  {columns.map((c, i) => (
                    <Table.Td key={i} style={c.style}>
                      {c.cell(row, isOpen)}
                    </Table.Td>
                  ))}
                </Table.Tr>
                {isOpen && detail ? (
                  <Table.Tr>
                    <Table.Td colSpan={columns.length}>{detail(row)}</Table.Td>
                  </Table.Tr>
                ) : null}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
      <Pager
        offset={offset}
        total={total}
        shown={rows.length}
        onChange={onOffset}
        noun={noun}
        totalCapped={totalCapped}
        hasNext={hasNext}
      />
    </Paper>
  );
}
