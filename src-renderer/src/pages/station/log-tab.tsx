// The station's OCPP message log, newest first: paged on the server (50 a page) with the filters
// kept while paging; the CSV export is a streamed download of every message that matches the
// filters (ocpp-log-csv), however many.
import { useState } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import { Badge, Button, Code, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import type { Station } from '../../../../src-shared/model';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import { useQuery } from '../../api/use-query';
import { PAGE_SIZE, usePageOffset } from '../../components/pager';
import { PagedTable } from '../../components/paged-table';
import { ErrorAlert, ListEmptyState, Loading } from '../../components/common';
import { DownloadButton } from '../../components/download-button';
import { formatDateTime } from '../../lib/format';

type LogEntry = MethodOutput<'ocpp-log-list'>['entries'][number];

export function LogTab({ station, timeZone }: { station: Station; timeZone: string | undefined }) {
  const [action, setAction] = useState('');
  const [direction, setDirection] = useState<'in' | 'out' | null>(null);
  const [text, setText] = useState('');
  const [dAction] = useDebouncedValue(action.trim(), 300);
  const [dText] = useDebouncedValue(text.trim(), 300);
  const filter = {
    stationId: station.id,
    action: dAction || undefined,
    direction: direction ?? undefined,
    text: dText || undefined,
  };
  const [offset, setOffset] = usePageOffset(JSON.stringify(filter));
  const log = useQuery('ocpp-log-list', { ...filter, limit: PAGE_SIZE, offset });
  const rows = log.data?.entries ?? [];
  const total = log.data?.total ?? 0;
  const filtered = Boolean(filter.action ?? filter.direction ?? filter.text);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Group>
          <TextInput
            label="Action"
            placeholder="e.g. StatusNotification"
            value={action}
            onChange={(e) => setAction(e.currentTarget.value)}
          />
          <Select
            label="Direction"
            placeholder="Both"
            clearable
            data={[
              { value: 'in', label: 'Charger → server' },
              { value: 'out', label: 'Server → charger' },
            ]}
            value={direction}
            onChange={(v) => setDirection(v === 'in' || v === 'out' ? v : null)}
          />
          <TextInput
            label="Payload contains"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
        </Group>
        <Group>
          <DownloadButton
            label="Export CSV"
            disabled={total === 0}
            request={() => ({ kind: 'ocpp-log-csv', filter })}
          />
          <Button variant="light" leftSection={<IconRefresh size={16} />} onClick={log.refresh}>
            Refresh
          </Button>
        </Group>
      </Group>
      {log.error ? <ErrorAlert error={log.error} /> : null}
      {log.loading ? (
        <Loading />
      ) : total === 0 ? (
        <ListEmptyState
          filtered={filtered}
          onClearFilters={() => {
            setAction('');
            setDirection(null);
            setText('');
          }}
          title={filtered ? 'No messages match these filters' : 'No OCPP messages yet'}
        >
          {filtered
            ? 'Action names are exact (e.g. StatusNotification). Clear the filters to see every message.'
            : `Messages appear once the charger connects. Configure it with this server’s OCPP address and the charge box id ${station.identity}.`}
        </ListEmptyState>
      ) : (
        <PagedTable
          label="OCPP messages"
          noun="messages"
          verticalSpacing={4}
          rows={rows}
          rowKey={(r) => r.id}
          total={total}
          offset={offset}
          onOffset={setOffset}
          columns={[
            {
              header: 'Time',
              style: { whiteSpace: 'nowrap' },
              cell: (r) => formatDateTime(r.at, timeZone),
            },
            {
              header: 'Dir.',
              style: { whiteSpace: 'nowrap' },
              cell: (r) => (
                <Badge
                  variant="light"
                  color={r.direction === 'in' ? 'blue' : 'grape'}
                  style={{ minWidth: 'max-content' }}
                >
                  {r.direction === 'in' ? 'in' : 'out'}
                </Badge>
              ),
            },
            { header: 'Action', cell: (r) => r.action ?? '—' },
            {
              header: 'Kind',
              cell: (r) => (
                <Text size="sm" c={r.kind === 'error' ? 'red' : undefined}>
                  {r.kind}
                </Text>
              ),
            },
            {
              header: 'Payload',
              // Width 100% + max-width 0: the payload takes the room left and truncates instead
              // of pushing the table wider than the page.
              style: { width: '100%', maxWidth: 0 },
              cell: (r, open) => (open ? <Exchange entry={r} /> : <PayloadLine entry={r} />),
            },
          ]}
        />
      )}
    </Stack>
  );
}

const PayloadLine = ({ entry }: { entry: LogEntry }) => (
  <Text size="xs" ff="monospace" truncate>
    {JSON.stringify(entry.payload)}
  </Text>
);

/** An opened entry: the payload, and the answer that rides with its call (one entry each). */
function Exchange({ entry }: { entry: LogEntry }) {
  return (
    <>
      <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {JSON.stringify(entry.payload, null, 2)}
      </Code>
      {entry.respondedAt !== null ? (
        <>
          <Text size="xs" c="dimmed" mt={4}>
            Answer ({entry.respondedAt - entry.at} ms)
          </Text>
          <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {JSON.stringify(entry.response, null, 2)}
          </Code>
        </>
      ) : null}
    </>
  );
}
