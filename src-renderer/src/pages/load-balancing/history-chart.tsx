// The live view's history: current per phase on the supply or a circuit (the rest of the
// building plus what the chargers draw, the peak of each point) against its limit, over the last
// hour to week, in the site's time zone. Refreshed by the core's balancing events.
import { LineChart } from '@mantine/charts';
import { Group, Paper, SegmentedControl, Select, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { formatNumber } from '../../lib/format';

const WINDOWS = [
  { value: '1', label: '1 hour' },
  { value: '6', label: '6 hours' },
  { value: '24', label: '24 hours' },
  { value: '168', label: '7 days' },
];

function timeLabel(ms: number, timeZone: string | undefined, withDate: boolean): string {
  return new Intl.DateTimeFormat('en-AU', {
    ...(withDate ? { day: '2-digit', month: '2-digit' } : {}),
    hour: 'numeric',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(ms);
}

const minutes = (ms: number) => {
  const m = Math.round(ms / 60_000);
  return m < 60 ? `${m} min` : `${formatNumber(m / 60, 1)} h`;
};

export function HistoryChart({
  siteId,
  timeZone,
  nodes,
}: {
  siteId: number;
  timeZone?: string;
  nodes: { id: string; name: string }[];
}) {
  const [nodeId, setNodeId] = useState('supply');
  const [hours, setHours] = useState('6');
  const node = nodes.some((n) => n.id === nodeId) ? nodeId : 'supply';
  // Points are per minute: a burst of allocations (every meter sample) is one refresh a minute.
  const lastRefresh = useRef(0);
  const history = useQuery(
    'balancing-history',
    { siteId, nodeId: node, hours: Number(hours) },
    {
      refreshOn: (e) => {
        if (e.type !== 'balancing-changed' || e.siteId !== siteId) return false;
        if (Date.now() - lastRefresh.current < 30_000) return false;
        lastRefresh.current = Date.now();
        return true;
      },
    },
  );
  const points = history.data?.points ?? [];
  const withDate = Number(hours) > 20;
  const data = points.map((p) => ({
    time: timeLabel(p.at, timeZone, withDate),
    L1: p.currentA[0] ?? null,
    L2: p.currentA[1] ?? null,
    L3: p.currentA[2] ?? null,
    limit: Math.min(...p.limitA.filter((x): x is number => x !== null)),
  }));
  const phases = (['L1', 'L2', 'L3'] as const).filter((k) => data.some((d) => d[k] !== null));
  return (
    <Paper withBorder p="md" data-testid="balancing-history">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={5}>Current per phase against the limit</Title>
        <Group gap="sm">
          <Select
            aria-label="Circuit shown"
            data={nodes.map((n) => ({ value: n.id, label: n.name }))}
            value={node}
            onChange={(v) => setNodeId(v ?? 'supply')}
            allowDeselect={false}
            w={200}
          />
          <SegmentedControl
            aria-label="Period shown"
            data={WINDOWS}
            value={hours}
            onChange={setHours}
          />
        </Group>
      </Group>
      {history.error ? (
        <ErrorAlert error={history.error} />
      ) : !history.data ? (
        <Loading label="Reading the history…" />
      ) : data.length === 0 ? (
        <EmptyState title="No history for this period yet">
          A point is kept every minute while balancing is on. Come back in a few minutes, or choose
          a longer period.
        </EmptyState>
      ) : (
        <>
          <LineChart
            h={260}
            data={data}
            dataKey="time"
            withLegend
            unit=" A"
            curveType="linear"
            withDots={data.length < 30}
            connectNulls
            series={[
              ...phases.map((k, i) => ({
                name: k,
                label: `${k} (building + chargers)`,
                color: ['orange.7', 'grape.6', 'blue.6'][i] ?? 'gray.6',
              })),
              { name: 'limit', label: 'Limit', color: 'red.7', strokeDasharray: '6 4' },
            ]}
          />
          <Text size="xs" c="dimmed" mt={4}>
            Each point is the highest current in its {minutes(history.data.bucketMs)} (a breaker
            trips on peaks, not averages).
          </Text>
        </>
      )}
    </Paper>
  );
}
