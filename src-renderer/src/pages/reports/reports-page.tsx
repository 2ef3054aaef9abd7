// Reports (route /reports): for a chosen period (local dates in the site's time zone) the energy,
// sessions and occupancy by site, station, outlet, account and card; energy per day, week or
// month; sessions by hour of day and weekday. Aggregated in the core (src-main/reports/); every
// table exports what it shows as CSV.
import 'dayjs/locale/en-au';
import { useState } from 'react';
import { Group, Paper, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/common';
import { formatEnergyWh, formatNumber } from '../../lib/format';
import type { ReportTotals } from '../../../../src-shared/api/methods/reports';
import { EnergyOverTime, SessionsByTime, periodRows, useGrain } from './report-charts';
import { addDays, hourName, presets, todayIn, weekdayName, type Period } from './report-period';
import { ReportTable, type ReportColumn } from './report-table';

const kwh = (wh: number) => Math.round(wh) / 1000;
const percent = (x: number) => `${formatNumber(x * 100, 1)} %`;

function sums<Row extends { sessions: number; energyWh: number }>(): ReportColumn<Row>[] {
  return [
    {
      header: 'Sessions',
      numeric: true,
      cell: (r) => formatNumber(r.sessions),
      csv: (r) => r.sessions,
    },
    {
      header: 'Energy (kWh)',
      numeric: true,
      cell: (r) => formatEnergyWh(r.energyWh),
      csv: (r) => kwh(r.energyWh),
    },
  ];
}

function occupancy<Row extends { occupancy: number; occupiedMs: number }>(): ReportColumn<Row>[] {
  return [
    {
      header: 'Plugged in (h)',
      numeric: true,
      cell: (r) => formatNumber(r.occupiedMs / 3_600_000, 1),
      csv: (r) => Math.round(r.occupiedMs / 360_000) / 10,
    },
    {
      header: 'Occupancy (%)',
      numeric: true,
      cell: (r) => percent(r.occupancy),
      csv: (r) => Math.round(r.occupancy * 1000) / 10,
    },
  ];
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Paper>
  );
}

function Tables({ r, stamp }: { r: ReportTotals; stamp: string }) {
  const [grain, setGrain] = useGrain();
  const name = (what: string) => `${what}-${stamp}`;
  return (
    <Stack>
      <EnergyOverTime r={r} grain={grain} onGrain={setGrain} />
      <ReportTable
        title={`Energy per ${grain}`}
        fileName={name(`energy-per-${grain}`)}
        rows={periodRows(r, grain)}
        rowKey={(p) => p.key}
        empty="No days in this period."
        maxHeight={300}
        columns={[
          { header: grain === 'month' ? 'Month' : 'Date', cell: (p) => p.label, csv: (p) => p.key },
          ...sums<ReturnType<typeof periodRows>[number]>(),
        ]}
      />
      <SessionsByTime r={r} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ReportTable
          title="By hour of day"
          fileName={name('sessions-by-hour')}
          rows={r.byHour}
          rowKey={(h) => h.hour}
          empty="No sessions."
          maxHeight={300}
          columns={[
            { header: 'Hour (start)', cell: (h) => hourName(h.hour), csv: (h) => h.hour },
            ...sums<ReportTotals['byHour'][number]>(),
          ]}
        />
        <ReportTable
          title="By weekday"
          fileName={name('sessions-by-weekday')}
          rows={r.byWeekday}
          rowKey={(w) => w.weekday}
          empty="No sessions."
          columns={[
            {
              header: 'Weekday',
              cell: (w) => weekdayName(w.weekday),
              csv: (w) => weekdayName(w.weekday),
            },
            ...sums<ReportTotals['byWeekday'][number]>(),
          ]}
        />
      </SimpleGrid>
      {r.bySite.length > 1 ? (
        <ReportTable
          title="By site"
          fileName={name('by-site')}
          rows={r.bySite}
          rowKey={(s) => s.siteId}
          empty="No sites."
          columns={[
            { header: 'Site', cell: (s) => s.name, csv: (s) => s.name },
            ...sums<ReportTotals['bySite'][number]>(),
          ]}
        />
      ) : null}
      <ReportTable
        title="By station"
        fileName={name('by-station')}
        rows={r.byStation}
        rowKey={(s) => s.stationId}
        empty="This site has no stations yet."
        columns={[
          { header: 'Station', cell: (s) => s.name, csv: (s) => s.name },
          ...sums<ReportTotals['byStation'][number]>(),
          ...occupancy<ReportTotals['byStation'][number]>(),
        ]}
      />
      <ReportTable
        title="By outlet"
        fileName={name('by-outlet')}
        rows={r.byConnector}
        rowKey={(c) => `${c.stationId}:${c.connectorNumber}`}
        empty="This site has no outlets yet."
        columns={[
          { header: 'Station', cell: (c) => c.stationName, csv: (c) => c.stationName },
          { header: 'Outlet', cell: (c) => c.connectorNumber, csv: (c) => c.connectorNumber },
          ...sums<ReportTotals['byConnector'][number]>(),
          ...occupancy<ReportTotals['byConnector'][number]>(),
        ]}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ReportTable
          title="By account"
          fileName={name('by-account')}
          rows={r.byAccount}
          rowKey={(a) => a.accountId ?? 'none'}
          empty="No sessions in this period."
          columns={[
            { header: 'Account', cell: (a) => a.name, csv: (a) => a.name },
            ...sums<ReportTotals['byAccount'][number]>(),
          ]}
        />
        <ReportTable
          title="By card"
          fileName={name('by-card')}
          rows={r.byCard}
          rowKey={(c) => `${c.cardId ?? ''}:${c.idTag}`}
          empty="No sessions in this period."
          columns={[
            {
              header: 'Card',
              cell: (c) => (
                <Text span ff="monospace" size="sm">
                  {c.idTag}
                </Text>
              ),
              csv: (c) => c.idTag,
            },
            { header: 'Label', cell: (c) => c.label ?? '—', csv: (c) => c.label },
            { header: 'Account', cell: (c) => c.accountName ?? '—', csv: (c) => c.accountName },
            ...sums<ReportTotals['byCard'][number]>(),
          ]}
        />
      </SimpleGrid>
    </Stack>
  );
}

export function ReportsPage() {
  const sites = useQuery('site-list', {});
  const [siteId, setSiteId] = useState<string | null>(null);
  const site = sites.data?.find((s) => String(s.id) === siteId) ?? sites.data?.[0];
  const zone = site?.timeZone;
  const today = todayIn(zone);
  const [range, setRange] = useState<[string | null, string | null]>([addDays(today, -89), today]);
  const [from, to] = range;
  const complete = from !== null && to !== null;
  const q = useQuery(
    'report-totals',
    {
      ...(siteId ? { siteId: Number(siteId) } : {}),
      from: from ?? today,
      to: to ?? today,
    },
    {
      enabled: complete,
      refreshOn: (e) => e.type === 'transaction-stopped',
    },
  );
  const r = q.data;
  const period: Period | null = complete ? [from, to] : null;
  return (
    <DatesProvider settings={{ locale: 'en-au', firstDayOfWeek: 1 }}>
      <PageHeader
        title="Reports"
        subtitle={`Energy, charging sessions and occupancy for a period. Days and hours are the site’s local time${r ? ` (${r.timeZone})` : ''}; a session counts on the day it started.`}
      />
      <Group align="flex-end" mb="md" wrap="wrap">
        {(sites.data?.length ?? 0) > 1 ? (
          <Select
            label="Site"
            placeholder="All sites"
            clearable
            value={siteId}
            onChange={setSiteId}
            data={(sites.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
            w={260}
          />
        ) : null}
        <DatePickerInput
          type="range"
          label="Period"
          placeholder="Choose the first and last day"
          value={range}
          onChange={(v) => setRange([v[0], v[1]])}
          valueFormat="DD/MM/YYYY"
          presets={presets(today)}
          allowSingleDateInRange
          maxDate={addDays(today, 366)}
          w={280}
          data-testid="report-period"
        />
      </Group>
      {sites.error ? <ErrorAlert error={sites.error} /> : null}
      {q.error ? <ErrorAlert error={q.error} title="The report could not be made" /> : null}
      {!complete ? (
        <Text c="dimmed" size="sm">
          Choose the last day of the period too.
        </Text>
      ) : q.loading ? (
        <Loading label="Adding up the sessions…" />
      ) : r && period ? (
        <Stack>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Stat label="Energy" value={formatEnergyWh(r.total.energyWh)} />
            <Stat label="Sessions" value={formatNumber(r.total.sessions)} />
            <Stat
              label="Average per session"
              value={r.total.sessions ? formatEnergyWh(r.total.energyWh / r.total.sessions) : '—'}
            />
            <Stat
              label={`Occupancy (${formatNumber(r.total.connectors)} outlets)`}
              value={percent(r.total.occupancy)}
            />
          </SimpleGrid>
          {r.total.sessions === 0 ? (
            <EmptyState title="No charging sessions in this period">
              Choose a longer or earlier period (the presets beside the dates help). Sessions appear
              here once residents charge with their cards.
            </EmptyState>
          ) : (
            <Tables r={r} stamp={`${period[0]}-to-${period[1]}`} />
          )}
        </Stack>
      ) : null}
    </DatesProvider>
  );
}
