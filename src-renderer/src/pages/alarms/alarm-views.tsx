// The three alarm views: active alarms (acknowledge, clear with a reason), alarm history (who or
// what cleared each one, and why) and the event log (every raise, repeat, acknowledgement and
// clear). Each is a server-paged table with the shared filters and its own streamed CSV export,
// refreshed by the core's alarm events.
import { useState } from 'react';
import { Anchor, Badge, Button, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from '../../api/use-query';
import { PagedTable, type PagedColumn } from '../../components/paged-table';
import { PAGE_SIZE, usePageOffset } from '../../components/pager';
import { ErrorAlert, ListEmptyState, Loading } from '../../components/common';
import { DownloadButton } from '../../components/download-button';
import { formatDateTime } from '../../lib/format';
import { runAction } from '../../lib/actions';
import { ClearDialog } from './alarm-clear-dialog';
import { SEVERITY_COLOR } from '../../app/alarms';
import { SEVERITY_LABELS, type Severity } from '../../../../src-shared/alarms';
import type { Alarm } from '../../../../src-shared/api/methods/alarms';
import type { CoreEvent } from '../../../../src-shared/api/events';
import type { ApiError } from '../../../../src-shared/api/result';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import type { AlarmFilterState } from './alarm-filters';

type AlarmEventRow = MethodOutput<'alarm-event-list'>['events'][number];

const onAlarmEvent = (e: CoreEvent) => e.type === 'alarm-raised' || e.type === 'alarm-changed';

function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge color={SEVERITY_COLOR[severity]} variant="filled" size="sm">
      {SEVERITY_LABELS[severity]}
    </Badge>
  );
}

function Where({
  a,
}: {
  a: Pick<Alarm, 'siteName' | 'stationId' | 'stationName' | 'siteId'> & {
    connectorNumber?: number | null;
  };
}) {
  return (
    <Stack gap={0}>
      {a.stationId && a.stationName ? (
        <Anchor component={Link} to={`/stations/${a.stationId}`} size="sm">
          {a.stationName}
          {a.connectorNumber ? ` · outlet ${a.connectorNumber}` : ''}
        </Anchor>
      ) : null}
      <Text size="xs" c="dimmed">
        {a.siteName ?? (a.siteId === null ? 'Whole organisation' : 'Removed site')}
      </Text>
    </Stack>
  );
}

function What({ a }: { a: { title: string; detail: string | null } }) {
  return (
    <Stack gap={0} maw={460}>
      <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
        {a.title}
      </Text>
      {a.detail ? (
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {a.detail}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Each view's words and its CSV. */
const VIEWS = {
  active: {
    exportView: 'active',
    label: 'Active alarms',
    noun: 'alarms',
    what: 'active alarms',
    hint: 'Every charger is reporting normally. Faults, chargers offline and failed emails or backups appear here as they happen.',
  },
  history: {
    exportView: 'history',
    label: 'Alarm history',
    noun: 'alarms',
    what: 'cleared alarms',
    hint: 'Alarms appear here once they clear themselves (the fault went away) or someone clears them.',
  },
  events: {
    exportView: 'events',
    label: 'Alarm event log',
    noun: 'events',
    what: 'alarm events',
    hint: 'Every raise, repeat, acknowledgement and clear is logged here.',
  },
} as const;

/** A view's page: its query's state, its rows and where the pager is. */
interface ViewPage<R> {
  q: { loading: boolean; error: ApiError | null; data?: { total: number } | null };
  rows: R[];
  offset: number;
  setOffset: (o: number) => void;
}

/** The severity, the alarm's words and where it is: the first columns of every view. */
function alarmColumns<
  R extends Parameters<typeof Where>[0]['a'] & Pick<Alarm, 'severity' | 'title' | 'detail'>,
>(): PagedColumn<R>[] {
  return [
    { header: 'Severity', cell: (a) => <SeverityBadge severity={a.severity} /> },
    { header: 'Alarm', cell: (a) => <What a={a} /> },
    { header: 'Where', cell: (a) => <Where a={a} /> },
  ];
}

/** What each view shares: the filters, its CSV, and the paged table (or why it is empty). */
function AlarmTable<R extends { id: number }>({
  f,
  view,
  page,
  columns,
}: {
  f: AlarmFilterState;
  view: (typeof VIEWS)[keyof typeof VIEWS];
  page: ViewPage<R>;
  columns: PagedColumn<R>[];
}) {
  const { q, rows, offset, setOffset } = page;
  const { exportView, label, noun, what, hint } = view;
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        {f.bar}
        <DownloadButton
          label="Export CSV"
          request={() => ({ kind: 'alarms-csv', view: exportView, filter: f.filter })}
        />
      </Group>
      {q.error ? <ErrorAlert error={q.error} /> : null}
      {q.loading ? (
        <Loading />
      ) : rows.length === 0 ? (
        <ListEmptyState
          filtered={f.filtered}
          onClearFilters={f.clear}
          title={f.filtered ? `No ${what} match these filters` : `No ${what}`}
        >
          {f.filtered ? 'Clear the filters to see them all.' : hint}
        </ListEmptyState>
      ) : (
        <PagedTable
          label={label}
          noun={noun}
          rows={rows}
          rowKey={(r) => r.id}
          total={q.data?.total ?? 0}
          offset={offset}
          onOffset={setOffset}
          columns={columns}
        />
      )}
    </Stack>
  );
}

export function ActiveAlarms({ f }: { f: AlarmFilterState }) {
  const [offset, setOffset] = usePageOffset(f.key);
  const q = useQuery(
    'alarm-list',
    { view: 'active', ...f.filter, limit: PAGE_SIZE, offset },
    { refreshOn: onAlarmEvent },
  );
  const [clearing, setClearing] = useState<Alarm | null>(null);
  const rows = q.data?.alarms ?? [];
  return (
    <>
      <AlarmTable
        f={f}
        view={VIEWS.active}
        page={{ q, rows, offset, setOffset }}
        columns={[
          ...alarmColumns<Alarm>(),
          {
            header: 'Since',
            style: { whiteSpace: 'nowrap' },
            cell: (a) => (
              <Stack gap={0}>
                <Text size="sm">{formatDateTime(a.firstAt)}</Text>
                {a.count > 1 ? (
                  <Text size="xs" c="dimmed" data-testid="alarm-count">
                    {a.count} times, last {formatDateTime(a.lastAt)}
                  </Text>
                ) : null}
              </Stack>
            ),
          },
          {
            header: 'Seen by',
            cell: (a) =>
              a.acknowledgedByName ? (
                <Text size="sm">
                  {a.acknowledgedByName}
                  <Text span size="xs" c="dimmed" display="block">
                    {formatDateTime(a.acknowledgedAt)}
                  </Text>
                </Text>
              ) : (
                <Badge variant="outline" color="gray">
                  New
                </Badge>
              ),
          },
          {
            header: <VisuallyHidden>Actions</VisuallyHidden>,
            cell: (a) => (
              <Group gap="xs" wrap="nowrap">
                {a.acknowledgedAt === null ? (
                  <Button
                    size="xs"
                    variant="light"
                    aria-label={`Acknowledge ${a.title}`}
                    onClick={() =>
                      void runAction('alarm-acknowledge', { id: a.id }, { success: 'Acknowledged' })
                    }
                  >
                    Acknowledge
                  </Button>
                ) : null}
                <Button
                  size="xs"
                  variant="default"
                  aria-label={`Clear ${a.title}`}
                  onClick={() => setClearing(a)}
                >
                  Clear…
                </Button>
              </Group>
            ),
          },
        ]}
      />
      <ClearDialog alarm={clearing} onClose={() => setClearing(null)} />
    </>
  );
}

export function AlarmHistory({ f }: { f: AlarmFilterState }) {
  const [offset, setOffset] = usePageOffset(f.key);
  const q = useQuery(
    'alarm-list',
    { view: 'history', ...f.filter, limit: PAGE_SIZE, offset },
    { refreshOn: (e) => e.type === 'alarm-changed' && e.change === 'cleared' },
  );
  const rows = q.data?.alarms ?? [];
  return (
    <AlarmTable
      f={f}
      view={VIEWS.history}
      page={{ q, rows, offset, setOffset }}
      columns={[
        ...alarmColumns<Alarm>(),
        {
          header: 'Raised',
          style: { whiteSpace: 'nowrap' },
          cell: (a) => `${formatDateTime(a.firstAt)}${a.count > 1 ? ` (×${a.count})` : ''}`,
        },
        {
          header: 'Cleared',
          style: { whiteSpace: 'nowrap' },
          cell: (a) => formatDateTime(a.clearedAt),
        },
        {
          header: 'By / why',
          cell: (a) => (
            <Stack gap={0} maw={320}>
              <Text size="sm" fw={500}>
                {a.clearedByName ?? 'Cleared itself'}
              </Text>
              <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {a.clearReason}
              </Text>
            </Stack>
          ),
        },
      ]}
    />
  );
}

const KIND_LABELS: Record<string, { label: string; color: string }> = {
  raised: { label: 'Raised', color: 'red' },
  repeated: { label: 'Repeated', color: 'orange' },
  acknowledged: { label: 'Acknowledged', color: 'blue' },
  cleared: { label: 'Cleared', color: 'green' },
  'auto-cleared': { label: 'Cleared itself', color: 'teal' },
};

export function AlarmEventLog({ f }: { f: AlarmFilterState }) {
  const [offset, setOffset] = usePageOffset(f.key);
  const q = useQuery(
    'alarm-event-list',
    { ...f.filter, limit: PAGE_SIZE, offset },
    { refreshOn: onAlarmEvent },
  );
  const rows = q.data?.events ?? [];
  return (
    <AlarmTable
      f={f}
      view={VIEWS.events}
      page={{ q, rows, offset, setOffset }}
      columns={[
        { header: 'When', style: { whiteSpace: 'nowrap' }, cell: (e) => formatDateTime(e.at) },
        {
          header: 'Event',
          cell: (e) => (
            <Badge variant="light" color={KIND_LABELS[e.kind]?.color ?? 'gray'}>
              {KIND_LABELS[e.kind]?.label ?? e.kind}
            </Badge>
          ),
        },
        ...alarmColumns<AlarmEventRow>(),
        { header: 'By', cell: (e) => e.userName ?? '—' },
      ]}
    />
  );
}
