import { useState } from 'react';
import { Badge, Group, Select, TextInput, Stack } from '@mantine/core';
import type { Station } from '../../../../src-shared/model';
import { TRANSACTION_FILTER_STATUSES } from '../../../../src-shared/ocpp/types';
import { sessionFilterOfTransactions } from '../../../../src-shared/ocpp/transactions-export';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { DownloadButton } from '../../components/download-button';
import { PAGE_SIZE, usePageOffset } from '../../components/pager';
import { PagedTable } from '../../components/paged-table';
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
  const filter = {
    stationId: station.id,
    status: status ?? undefined,
    idTag: idTag.trim() || undefined,
  };
  const [offset, setOffset] = usePageOffset(JSON.stringify(filter));
  const list = useQuery(
    'transaction-list',
    { ...filter, limit: PAGE_SIZE, offset },
    {
      refreshOn: (e) =>
        (e.type === 'transaction-started' || e.type === 'transaction-stopped') &&
        e.stationId === station.id,
    },
  );
  const rows = list.data?.transactions ?? [];
  const total = list.data?.total ?? 0;
  // The export is every session matching the filters, not just this page: the sessions CSV,
  // streamed by the core (the same columns as the Sessions page's export), on the same filters.
  const exportFilter = sessionFilterOfTransactions(filter);
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
        <DownloadButton
          label="Export CSV"
          disabled={total === 0}
          request={() => ({ kind: 'sessions-csv', filter: exportFilter })}
        />
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
        <PagedTable
          label="Transactions"
          noun="sessions"
          rows={rows}
          rowKey={(r) => r.id}
          total={total}
          offset={offset}
          onOffset={setOffset}
          columns={[
            { header: 'Id', cell: (t) => t.id },
            { header: 'Outlet', cell: (t) => t.connectorNumber },
            { header: 'Card', style: { fontFamily: 'monospace' }, cell: (t) => t.idTag },
            { header: 'Started', cell: (t) => formatDateTime(t.startedAt, timeZone) },
            { header: 'Stopped', cell: (t) => formatDateTime(t.stoppedAt, timeZone) },
            {
              header: 'Energy',
              style: { textAlign: 'right' },
              cell: (t) => formatEnergyWh(t.energyWh),
            },
            {
              header: 'Status',
              cell: (t) => (
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
              ),
            },
          ]}
        />
      )}
    </Stack>
  );
}
