// The review queue: flagged sessions waiting for a manager's decision (suspect, unknown
// transaction, meter went backwards, missing stop reading, refused card), oldest problems
// visible at a glance; a row opens the review (review-panel.tsx). "Reviewed" shows the decided
// ones, which keep their flag and every decision as history.
import { useState } from 'react';
import { Anchor, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/common';
import { PagedTable } from '../../components/paged-table';
import { PAGE_SIZE } from '../../components/pager';
import { formatDateTime, formatEnergyWh } from '../../lib/format';
import { ReviewPanel } from './review-panel';
import { SessionFlags } from './sessions-page';
import { useKeysetPages } from './use-keyset-pages';

export function ReviewPage() {
  const [view, setView] = useState<'open' | 'resolved'>('open');
  const pages = useKeysetPages(view);
  const list = useQuery('session-list', {
    filter: { flag: view },
    sort: 'started',
    dir: 'desc',
    limit: PAGE_SIZE,
    after: pages.after,
  });
  const rows = list.data?.sessions ?? [];
  return (
    <>
      <PageHeader
        title="Review queue"
        subtitle="Sessions the chargers’ readings made doubtful. Nothing is billed from a session waiting here until you decide."
        actions={
          <SegmentedControl
            aria-label="Which sessions"
            data={[
              { value: 'open', label: 'Waiting for review' },
              { value: 'resolved', label: 'Reviewed' },
            ]}
            value={view}
            onChange={(v) => setView(v === 'resolved' ? 'resolved' : 'open')}
          />
        }
      />
      <Stack>
        {list.error ? <ErrorAlert error={list.error} /> : null}
        {list.loading && !list.data ? (
          <Loading />
        ) : rows.length === 0 ? (
          <EmptyState title={view === 'open' ? 'Nothing to review' : 'No reviewed sessions yet'}>
            {view === 'open'
              ? 'Sessions appear here when a charger reports something implausible: a meter going backwards, a stop that never came, a transaction this server never issued or a refused card.'
              : 'Sessions you decide on move here, with the decision and its reason.'}
          </EmptyState>
        ) : (
          <PagedTable
            label="Sessions to review"
            noun="sessions"
            rows={rows}
            rowKey={(s) => s.id}
            total={list.data?.total ?? 0}
            totalCapped={list.data?.totalCapped}
            hasNext={Boolean(list.data?.next)}
            offset={pages.offset}
            onOffset={(o) => pages.go(o, list.data?.next ?? null)}
            detail={(s) => <ReviewPanel id={s.id} onResolved={list.refresh} />}
            columns={[
              {
                header: 'Session',
                cell: (s) => (
                  <Anchor
                    component={Link}
                    to={`/sessions/${s.id}`}
                    onClick={(e) => e.stopPropagation()}
                  >
                    {s.id}
                  </Anchor>
                ),
              },
              {
                header: 'Where',
                cell: (s) => `${s.stationName ?? s.identity} · outlet ${s.connectorNumber}`,
              },
              {
                header: 'Started',
                style: { whiteSpace: 'nowrap' },
                cell: (s) => formatDateTime(s.startedAt, s.siteTimeZone ?? undefined),
              },
              {
                header: 'Card / lot',
                cell: (s) => (
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" ff="monospace">
                      {s.idTag || '—'}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {s.lotNumber ? `Lot ${s.lotNumber}` : 'no account'}
                    </Text>
                  </Group>
                ),
              },
              { header: 'Energy', cell: (s) => formatEnergyWh(s.energyWh) },
              { header: 'Why', cell: (s) => <SessionFlags s={s} /> },
            ]}
          />
        )}
      </Stack>
    </>
  );
}
