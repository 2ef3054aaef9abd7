// The OCPP messages of one session (its start, meter values, stop, remote commands and its
// outlet's status changes), found by the core in the message log; newest first, paged there.
import { Badge, Code, Group, Stack, Text } from '@mantine/core';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import { useQuery } from '../../api/use-query';
import { PAGE_SIZE, usePageOffset } from '../../components/pager';
import { PagedTable } from '../../components/paged-table';
import { EmptyState, ErrorAlert, ExportCsvButton, Loading } from '../../components/common';
import { fetchAllPages } from '../../lib/fetch-pages';
import { toCsv } from '../../lib/download';
import { formatDateTime } from '../../lib/format';

type Entry = MethodOutput<'session-detail-messages'>['entries'][number];

export function SessionMessages({ id, timeZone }: { id: number; timeZone: string | undefined }) {
  const [offset, setOffset] = usePageOffset(String(id));
  const q = useQuery('session-detail-messages', { id, limit: PAGE_SIZE, offset });
  const rows = q.data?.entries ?? [];
  const total = q.data?.total ?? 0;
  const buildCsv = async () => {
    const r = await fetchAllPages('session-detail-messages', { id }, (p) => p.entries);
    if (!r.ok) return r;
    const csv = toCsv(
      ['Time', 'Direction', 'Action', 'Kind', 'Payload', 'Answer'],
      r.value.map((e) => [
        formatDateTime(e.at, timeZone),
        e.direction,
        e.action,
        e.kind,
        JSON.stringify(e.payload),
        e.respondedAt === null ? '' : JSON.stringify(e.response),
      ]),
    );
    return { ok: true as const, value: { fileName: `session-${id}-ocpp-messages.csv`, csv } };
  };
  if (q.error) return <ErrorAlert error={q.error} />;
  if (q.loading) return <Loading />;
  if (total === 0) {
    return (
      <EmptyState title="No OCPP messages for this session">
        The message log keeps messages for the retention set in Settings → OCPP; older sessions have
        none left.
      </EmptyState>
    );
  }
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <ExportCsvButton build={buildCsv} />
      </Group>
      <PagedTable<Entry>
        label="OCPP messages of the session"
        noun="messages"
        verticalSpacing={4}
        rows={rows}
        rowKey={(e) => e.id}
        total={total}
        offset={offset}
        onOffset={setOffset}
        detail={(e) => (
          <Stack gap={4}>
            <Code block>{JSON.stringify(e.payload, null, 2)}</Code>
            {e.respondedAt !== null ? (
              <Code block>{JSON.stringify(e.response, null, 2)}</Code>
            ) : null}
          </Stack>
        )}
        columns={[
          {
            header: 'Time',
            style: { whiteSpace: 'nowrap' },
            cell: (e) => formatDateTime(e.at, timeZone),
          },
          {
            header: 'Dir.',
            style: { whiteSpace: 'nowrap' },
            cell: (e) => (
              <Badge
                variant="light"
                color={e.direction === 'in' ? 'blue' : 'grape'}
                style={{ minWidth: 'max-content' }}
              >
                {e.direction}
              </Badge>
            ),
          },
          { header: 'Action', cell: (e) => e.action ?? '—' },
          {
            header: 'Payload',
            style: { width: '100%', maxWidth: 0 },
            cell: (e) => (
              <Text size="xs" ff="monospace" truncate>
                {JSON.stringify(e.payload)}
              </Text>
            ),
          },
        ]}
      />
    </Stack>
  );
}
