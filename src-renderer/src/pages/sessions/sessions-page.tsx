// Charging sessions: every column people ask about, filtered and sorted in the core, paged by
// keyset (50 a page; the browser never holds more), each row linking to its session page. The
// export is exactly this view (filters and sort), every row, streamed by the core. An EV user
// sees the same page with only their own account's sessions (the core decides, not this page).
import { useState } from 'react';
import { Anchor, Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link } from 'react-router';
import {
  FLAG_KIND_LABELS,
  type Session,
  type SessionFilter,
} from '../../../../src-shared/api/methods/sessions';
import { useQuery } from '../../api/use-query';
import { ErrorAlert, ListEmptyState, Loading, PageHeader } from '../../components/common';
import { DownloadButton } from '../../components/download-button';
import { PagedTable } from '../../components/paged-table';
import { PAGE_SIZE } from '../../components/pager';
import { formatDateTimeMinutes, formatEnergyWh, formatNumber } from '../../lib/format';
import { EMPTY_FILTERS, SessionFilters, type FilterForm } from './session-filters';
import { useKeysetPages } from './use-keyset-pages';

/** "1 h 05 min", "42 min". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

const localDay = (date: string) => (date ? new Date(`${date}T00:00`).getTime() : undefined);
/** The day after `date` (the range's last day is included). */
const dayAfter = (date: string) => {
  if (!date) return undefined;
  const d = new Date(`${date}T00:00`);
  d.setDate(d.getDate() + 1);
  return d.getTime();
};
const num = (v: string | number) => (typeof v === 'number' ? v : undefined);

export function toFilter(f: FilterForm): SessionFilter {
  const kwh = num(f.minKwh);
  const idle = num(f.minIdleMin);
  return {
    siteId: f.siteId ? Number(f.siteId) : undefined,
    card: f.card.trim() || undefined,
    resident: f.resident.trim() || undefined,
    lot: f.lot.trim() || undefined,
    from: localDay(f.from),
    to: dayAfter(f.to),
    minWh: kwh === undefined ? undefined : Math.round(kwh * 1000),
    minIdleMs: idle === undefined ? undefined : idle * 60_000,
    stopReason: f.stopReason ?? undefined,
    status: f.status === 'active' || f.status === 'completed' ? f.status : undefined,
    flag:
      f.flag === 'open' || f.flag === 'resolved' || f.flag === 'any' || f.flag === 'none'
        ? f.flag
        : undefined,
  };
}

/** A badge's label clips its overflow, which lets a table squeeze its column to nothing ("M…"):
 *  with the overflow visible the column keeps the words' width and the other columns wrap. */
const WHOLE = { label: { overflow: 'visible' } } as const;

export function SessionFlags({ s }: { s: Session }) {
  if (!s.flag && !s.review) return null;
  return (
    <Group gap={4} wrap="wrap">
      {s.flagKinds.map((k) => (
        <Tooltip key={k} label={s.flagReason ?? ''} multiline maw={360} disabled={!s.flagReason}>
          <Badge
            color={s.review === 'open' ? 'orange' : 'gray'}
            variant="light"
            size="sm"
            styles={WHOLE}
          >
            {FLAG_KIND_LABELS[k]}
          </Badge>
        </Tooltip>
      ))}
      {s.review === 'open' ? (
        <Badge color="orange" size="sm" styles={WHOLE}>
          To review
        </Badge>
      ) : s.review === 'resolved' ? (
        <Badge color={s.excluded ? 'red' : 'green'} variant="light" size="sm" styles={WHOLE}>
          {s.excluded ? 'Excluded' : 'Reviewed'}
        </Badge>
      ) : null}
    </Group>
  );
}

export function SessionsPage() {
  const [form, setForm] = useState<FilterForm>(EMPTY_FILTERS);
  const [debounced] = useDebouncedValue(form, 300);
  const filter = toFilter(debounced);
  const { sort, dir } = debounced;
  const pages = useKeysetPages(JSON.stringify({ filter, sort, dir }));
  const sites = useQuery('site-list', {});
  const list = useQuery(
    'session-list',
    { filter, sort, dir, limit: PAGE_SIZE, after: pages.after },
    { refreshOn: (e) => e.type === 'transaction-started' || e.type === 'transaction-stopped' },
  );
  const rows = list.data?.sessions ?? [];
  const filtered = JSON.stringify(form) !== JSON.stringify(EMPTY_FILTERS);
  return (
    <>
      <PageHeader
        title="Charging sessions"
        subtitle="Every charging session, who it belongs to and what it used. Times are each site’s local time."
        actions={
          <DownloadButton
            label="Export CSV"
            disabled={rows.length === 0}
            request={() => ({ kind: 'sessions-csv', filter, sort, dir })}
          />
        }
      />
      <Stack>
        <SessionFilters
          form={form}
          onChange={(patch) => setForm((f) => ({ ...f, ...patch }))}
          sites={sites.data ?? []}
        />
        {list.error ? <ErrorAlert error={list.error} /> : null}
        {list.loading && !list.data ? (
          <Loading />
        ) : rows.length === 0 ? (
          <ListEmptyState
            filtered={filtered}
            onClearFilters={() => setForm(EMPTY_FILTERS)}
            title={filtered ? 'No sessions match these filters' : 'No charging sessions yet'}
          >
            {filtered
              ? 'Widen the dates or clear a filter to see more sessions.'
              : 'Sessions appear here as soon as someone starts charging. Issue residents their cards under Residents & cards so each session belongs to a lot.'}
          </ListEmptyState>
        ) : (
          <PagedTable
            label="Charging sessions"
            noun="sessions"
            // Eleven columns: 8 px a side (not 10) keeps the flags inside a 1400 px window.
            horizontalSpacing={8}
            rows={rows}
            rowKey={(s) => s.id}
            total={list.data?.total ?? 0}
            totalCapped={list.data?.totalCapped}
            hasNext={Boolean(list.data?.next)}
            offset={pages.offset}
            onOffset={(o) => pages.go(o, list.data?.next ?? null)}
            columns={[
              {
                header: 'Id',
                cell: (s) => (
                  <Anchor component={Link} to={`/sessions/${s.id}`} aria-label={`Session ${s.id}`}>
                    {s.id}
                  </Anchor>
                ),
              },
              {
                header: 'Where',
                cell: (s) => (
                  <div>
                    <Text size="sm">{s.stationName ?? s.identity}</Text>
                    <Text size="xs" c="dimmed">
                      outlet {s.connectorNumber}
                    </Text>
                    {(sites.data?.length ?? 0) > 1 ? (
                      <Text size="xs" c="dimmed">
                        {s.siteName}
                      </Text>
                    ) : null}
                  </div>
                ),
              },
              {
                header: 'Card / resident',
                cell: (s) => (
                  <div>
                    <Text size="sm" ff="monospace">
                      {s.idTag || '—'}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {s.residentName ?? s.cardLabel ?? ''}
                    </Text>
                  </div>
                ),
              },
              {
                header: 'Lot',
                cell: (s) =>
                  s.lotNumber
                    ? `Lot ${s.lotNumber}${s.unitNumber ? ` (unit ${s.unitNumber})` : ''}`
                    : '—',
              },
              {
                // To the minute (the session's page has the seconds): at 1400 px the flags
                // need the room.
                header: 'Start / stop',
                style: { whiteSpace: 'nowrap' },
                cell: (s) => (
                  <div>
                    <Text size="sm">
                      {formatDateTimeMinutes(s.startedAt, s.siteTimeZone ?? undefined)}
                    </Text>
                    {s.status === 'active' ? (
                      <Badge variant="light" size="sm">
                        Charging
                      </Badge>
                    ) : (
                      <Text size="xs" c="dimmed">
                        {formatDateTimeMinutes(s.stoppedAt, s.siteTimeZone ?? undefined)}
                      </Text>
                    )}
                  </div>
                ),
              },
              { header: 'Duration', cell: (s) => formatDuration(s.durationMs) },
              {
                header: 'Occupied after',
                cell: (s) => formatDuration(s.idleMs),
              },
              {
                // The average power under the energy (its own column pushed the flags off a
                // 1400 px window).
                header: 'Energy',
                style: { textAlign: 'right', whiteSpace: 'nowrap' },
                cell: (s) => (
                  <div>
                    <Text size="sm">{formatEnergyWh(s.energyWh)}</Text>
                    <Text size="xs">
                      {s.averagePowerW === null ? '' : `${formatNumber(s.averagePowerW)} W average`}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {formatNumber(s.meterStartWh)}–{formatNumber(s.meterStopWh)} Wh
                    </Text>
                  </div>
                ),
              },
              { header: 'Stop reason', cell: (s) => s.stopReason ?? '—' },
              { header: 'Flags', cell: (s) => <SessionFlags s={s} /> },
            ]}
          />
        )}
      </Stack>
    </>
  );
}
