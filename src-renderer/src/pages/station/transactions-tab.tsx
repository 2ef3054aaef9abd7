import { useState } from 'react';
import { Badge, Group, Select, TextInput, Stack } from '@mantine/core';
import type { Station } from '../../../../src-shared/model';
import { TRANSACTION_FILTER_STATUSES } from '../../../../src-shared/ocpp/types';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, ExportCsvButton, Loading } from '../../components/common';
import { PAGE_SIZE, usePageOffset } from '../../components/pager';
import { PagedTable } from '../../components/paged-table';
import { fetchAllPages } from '../../lib/fetch-pages';
import type { Result } from '../../../../src-shared/api/result';
import { toCsv, todayStamp } from '../../lib/download';
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
  // The export is every session matching the filters, not just this page.
  const buildCsv = async (): Promise<Result<{ fileName: string; csv: string }>> => {
    const r = await fetchAllPages('transaction-list', filter, (p) => p.transactions);
    if (!r.ok) return r;
    const csv = toCsv(
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
      r.value.map((t) => [
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
    );
    return {
      ok: true,
      value: { fileName: `${station.identity}-transactions-${todayStamp()}.csv`, csv },
    };
  };
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
        <ExportCsvButton build={buildCsv} disabled={total === 0} />
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
