// The OCPP messages of one session (its start, meter values, stop, remote commands and its
// outlet's status changes), found by the core in the message log; newest first, paged there.
import { Badge, Code, Stack, Text } from '@mantine/core';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import { formatDateTime } from '../../lib/format';
import { SessionDetailTable } from './session-detail-table';

type Entry = MethodOutput<'session-detail-messages'>['entries'][number];

export function SessionMessages({ id, timeZone }: { id: number; timeZone: string | undefined }) {
  return (
    <SessionDetailTable<'session-detail-messages', Entry>
      method="session-detail-messages"
      id={id}
      rowsOf={(p) => p.entries}
      rowKey={(e) => e.id}
      label="OCPP messages of the session"
      noun="messages"
      empty={{
        title: 'No OCPP messages for this session',
        body: 'The message log keeps messages for the retention set in Settings → OCPP; older sessions have none left.',
      }}
      csv={{
        fileName: `session-${id}-ocpp-messages.csv`,
        headers: ['Time', 'Direction', 'Action', 'Kind', 'Payload', 'Answer'],
        row: (e) => [
          formatDateTime(e.at, timeZone),
          e.direction,
          e.action,
          e.kind,
          JSON.stringify(e.payload),
          e.respondedAt === null ? '' : JSON.stringify(e.response),
        ],
      }}
      detail={(e) => (
        <Stack gap={4}>
          <Code block>{JSON.stringify(e.payload, null, 2)}</Code>
          {e.respondedAt !== null ? <Code block>{JSON.stringify(e.response, null, 2)}</Code> : null}
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
  );
}
