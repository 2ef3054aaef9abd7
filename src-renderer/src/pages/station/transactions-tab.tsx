import { useState } from 'react';
import { Badge, Button, Group, Paper, Select, Table, Text, TextInput, Stack } from '@mantine/core';
import type { Station } from '../../../../src-shared/model';
import { TRANSACTION_FILTER_STATUSES } from '../../../../src-shared/ocpp/types';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { downloadText, toCsv, todayStamp } from '../../lib/download';
import { formatDateTime, formatEnergyWh } from '../../lib/format';

type StatusFilter = (typeof TRANSACTION_FILTER_STATUSES)[number];

export function TransactionsTab({
  station,
  timeZone,
}: {
  station: Station;
  timeZone: string | undefined;
}) {
  const [status, setStatus] = useState<StatusFilter | null>(null);
  const [idTag, setIdTag] = useState('');
  const list = useQuery(
    'transaction-list',
    {
      stationId: station.id,
      status: status ?? undefined,
      idTag: idTag.trim() || undefined,
      limit: 200,
    },
    {
      refreshOn: (e) =>
        (e.type === 'transaction-started' || e.type === 'transaction-stopped') &&
        e.stationId === station.id,
    },
  );
  const rows = list.data?.transactions ?? [];
  const exportCsv = () =>
    downloadText(
      `${station.identity}-transactions-${todayStamp()}.csv`,
      toCsv(
        [
          'Id',
          'Outlet',
          'Card',
          'Started',
          'Stopped',
          'Energy (kWh)',
          'Status',
          'Stop reason',
          'Flag',
        ],
        rows.map((t) => [
          t.id,
          t.connectorNumber,
          t.idTag,
          formatDateTime(t.startedAt, timeZone),
          t.stoppedAt ? formatDateTime(t.stoppedAt, timeZone) : '',
          t.energyWh == null ? '' : (t.energyWh / 1000).toFixed(3),
          t.status,
          t.stopReason,
          t.flag,
        ]),
      ),
    );
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Group>
          <Select
            label="Status"
            placeholder="All"
            clearable
            data={[...TRANSACTION_FILTER_STATUSES]}
            value={status}
            onChange={(v) => setStatus(TRANSACTION_FILTER_STATUSES.find((s) => s === v) ?? null)}
          />
          <TextInput label="Card" value={idTag} onChange={(e) => setIdTag(e.currentTarget.value)} />
        </Group>
        <Button variant="default" onClick={exportCsv} disabled={!rows.length}>
          Export CSV
        </Button>
      </Group>
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {list.loading ? (
        <Loading />
      ) : rows.length === 0 ? (
        <EmptyState title="No charging sessions yet">
          Sessions appear here as soon as someone starts charging on this station (or use Control →
          Start charging to test it).
        </EmptyState>
      ) : (
        <Paper withBorder>
          <Table verticalSpacing="xs" striped aria-label="Transactions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Id</Table.Th>
                <Table.Th>Outlet</Table.Th>
                <Table.Th>Card</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Stopped</Table.Th>
                <Table.Th ta="right">Energy</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>{t.id}</Table.Td>
                  <Table.Td>{t.connectorNumber}</Table.Td>
                  <Table.Td ff="monospace">{t.idTag}</Table.Td>
                  <Table.Td>{formatDateTime(t.startedAt, timeZone)}</Table.Td>
                  <Table.Td>{formatDateTime(t.stoppedAt, timeZone)}</Table.Td>
                  <Table.Td ta="right">{formatEnergyWh(t.energyWh)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Badge color={t.status === 'active' ? 'blue' : 'gray'} variant="light">
                        {t.status === 'active' ? 'Charging' : 'Completed'}
                      </Badge>
                      {t.flag ? (
                        <Badge color="orange" variant="light" title={t.flagReason ?? undefined}>
                          {t.flag}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {list.data && list.data.total > rows.length ? (
            <Text size="xs" c="dimmed" p="sm">
              Showing the newest {rows.length} of {list.data.total}.
            </Text>
          ) : null}
        </Paper>
      )}
    </Stack>
  );
}
