import { useState } from 'react';
import {
  Badge,
  Button,
  Code,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import type { Station } from '../../../../src-shared/model';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { downloadText, toCsv, todayStamp } from '../../lib/download';
import { formatDateTime } from '../../lib/format';

export function LogTab({ station, timeZone }: { station: Station; timeZone: string | undefined }) {
  const [action, setAction] = useState('');
  const [direction, setDirection] = useState<'in' | 'out' | null>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const log = useQuery('ocpp-log-list', {
    stationId: station.id,
    action: action.trim() || undefined,
    direction: direction ?? undefined,
    text: text.trim() || undefined,
    limit: 300,
  });
  const rows = log.data?.entries ?? [];
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
          <Button
            variant="default"
            disabled={!rows.length}
            onClick={() =>
              downloadText(
                `${station.identity}-ocpp-log-${todayStamp()}.csv`,
                toCsv(
                  ['Time', 'Direction', 'Kind', 'Action', 'Message id', 'Payload'],
                  rows.map((r) => [
                    formatDateTime(r.at, timeZone),
                    r.direction,
                    r.kind,
                    r.action,
                    r.messageId,
                    JSON.stringify(r.payload),
                  ]),
                ),
              )
            }
          >
            Export CSV
          </Button>
          <Button variant="light" leftSection={<IconRefresh size={16} />} onClick={log.refresh}>
            Refresh
          </Button>
        </Group>
      </Group>
      {log.error ? <ErrorAlert error={log.error} /> : null}
      {log.loading ? (
        <Loading />
      ) : rows.length === 0 ? (
        <EmptyState title="No OCPP messages">
          Messages appear once the charger connects. Check the filters if you expected some.
        </EmptyState>
      ) : (
        <Paper withBorder>
          <Table verticalSpacing={4} aria-label="OCPP messages" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Dir.</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Payload</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr
                  key={r.id}
                  onClick={() => setOpen(open === r.id ? null : r.id)}
                  style={{ cursor: 'pointer' }}
                >
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(r.at, timeZone)}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={r.direction === 'in' ? 'blue' : 'grape'}>
                      {r.direction === 'in' ? 'in' : 'out'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{r.action ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c={r.kind === 'error' ? 'red' : undefined}>
                      {r.kind}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={480}>
                    {open === r.id ? (
                      <Code block>{JSON.stringify(r.payload, null, 2)}</Code>
                    ) : (
                      <Text size="xs" ff="monospace" truncate>
                        {JSON.stringify(r.payload)}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
