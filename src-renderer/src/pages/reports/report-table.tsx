// A report table with its own "Export CSV": the rows are the core's totals (a few hundred at
// most), so the CSV is built here from exactly what the table shows, in the same units.
import type { ReactNode } from 'react';
import { Button, Group, Paper, ScrollArea, Table, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { downloadText, toCsv } from '../../lib/download';

export interface ReportColumn<Row> {
  header: string;
  /** What the table shows. */
  cell: (row: Row) => ReactNode;
  /** What the CSV holds (plain numbers, no units; the header says the unit). */
  csv: (row: Row) => string | number | null;
  numeric?: boolean;
}

export function ReportTable<Row>({
  title,
  fileName,
  columns,
  rows,
  rowKey,
  empty,
  maxHeight = 420,
}: {
  title: string;
  /** Without ".csv". */
  fileName: string;
  columns: ReportColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string | number;
  empty: string;
  maxHeight?: number;
}) {
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="xs">
        <Title order={5}>{title}</Title>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconDownload size={14} />}
          disabled={rows.length === 0}
          aria-label={`Export ${title} as CSV`}
          onClick={() =>
            downloadText(
              `${fileName}.csv`,
              toCsv(
                columns.map((c) => c.header),
                rows.map((r) => columns.map((c) => c.csv(r))),
              ),
            )
          }
        >
          Export CSV
        </Button>
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <ScrollArea.Autosize mah={maxHeight}>
          <Table striped highlightOnHover verticalSpacing={4} aria-label={title} stickyHeader>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Th key={c.header} style={c.numeric ? { textAlign: 'right' } : undefined}>
                    {c.header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={rowKey(r)}>
                  {columns.map((c) => (
                    <Table.Td
                      key={c.header}
                      style={c.numeric ? { textAlign: 'right', whiteSpace: 'nowrap' } : undefined}
                    >
                      {c.cell(r)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}
