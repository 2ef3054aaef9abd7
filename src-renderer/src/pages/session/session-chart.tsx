// The session's chart from its stored meter samples: power and energy over time, and the current
// on each phase. Long sessions arrive downsampled from the core (time buckets with mean and peak
// power), so the browser never draws thousands of points.
import { LineChart } from '@mantine/charts';
import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { SessionChart } from '../../../../src-shared/api/methods/reports';
import { EmptyState } from '../../components/common';
import { formatNumber } from '../../lib/format';

function timeLabel(ms: number, timeZone: string | undefined, withDate: boolean): string {
  return new Intl.DateTimeFormat('en-AU', {
    ...(withDate ? { day: '2-digit', month: '2-digit' } : {}),
    hour: 'numeric',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(ms);
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 60 ? `${m} min` : `${formatNumber(m / 60, 1)} h`;
}

export function SessionChartPanel({
  chart,
  timeZone,
}: {
  chart: SessionChart;
  timeZone: string | undefined;
}) {
  if (chart.points.length === 0) {
    return (
      <EmptyState title="No meter samples for this session">
        The charger sent no MeterValues during this session. Ask it to (Settings → OCPP:
        MeterValueSampleInterval, e.g. 60 seconds) and the next sessions will have a chart.
      </EmptyState>
    );
  }
  const first = chart.points[0]?.at ?? 0;
  const last = chart.points[chart.points.length - 1]?.at ?? 0;
  const withDate = last - first > 20 * 3_600_000;
  const data = chart.points.map((p) => ({
    time: timeLabel(p.at, timeZone, withDate),
    power: p.powerW === null ? null : Math.round(p.powerW / 10) / 100,
    peak: p.powerMaxW === null ? null : Math.round(p.powerMaxW / 10) / 100,
    energy: p.energyWh === null ? null : Math.round(p.energyWh / 10) / 100,
    L1: p.currentL1A === null ? null : Math.round(p.currentL1A * 10) / 10,
    L2: p.currentL2A === null ? null : Math.round(p.currentL2A * 10) / 10,
    L3: p.currentL3A === null ? null : Math.round(p.currentL3A * 10) / 10,
  }));
  const phases = (['L1', 'L2', 'L3'] as const).filter((k) => data.some((d) => d[k] !== null));
  // A balanced three-phase charge draws the same current on each phase: the lines coincide.
  const balanced = phases.length === 3 && data.every((d) => d.L1 === d.L2 && d.L2 === d.L3);
  return (
    <Stack>
      <Paper withBorder p="md" data-testid="session-power-chart">
        <Group justify="space-between" mb="xs">
          <Title order={5}>Power and energy</Title>
          <Text size="xs" c="dimmed">
            {chart.downsampled
              ? `${formatNumber(chart.sampleCount)} samples, each point summarising ${minutes(chart.bucketMs)} (mean power; the dashed line is the peak)`
              : `${formatNumber(chart.sampleCount)} samples`}
          </Text>
        </Group>
        <LineChart
          h={280}
          data={data}
          dataKey="time"
          withLegend
          withRightYAxis
          yAxisLabel="kW"
          rightYAxisLabel="kWh"
          curveType="linear"
          withDots={data.length < 60}
          connectNulls
          series={[
            { name: 'power', label: 'Power (kW)', color: 'teal.7' },
            ...(chart.downsampled
              ? [
                  {
                    name: 'peak',
                    label: 'Peak power (kW)',
                    color: 'teal.3',
                    strokeDasharray: '4 4',
                  },
                ]
              : []),
            {
              name: 'energy',
              label: 'Energy delivered (kWh)',
              color: 'indigo.6',
              yAxisId: 'right',
            },
          ]}
        />
      </Paper>
      <Paper withBorder p="md" data-testid="session-current-chart">
        <Group justify="space-between" mb="xs">
          <Title order={5}>Current per phase</Title>
          {balanced ? (
            <Text size="xs" c="dimmed">
              L1, L2 and L3 carried the same current throughout (their lines coincide)
            </Text>
          ) : null}
        </Group>
        {phases.length === 0 ? (
          <Text size="sm" c="dimmed">
            The charger did not send Current.Import in its samples.
          </Text>
        ) : (
          <LineChart
            h={220}
            data={data}
            dataKey="time"
            withLegend
            unit=" A"
            curveType="linear"
            withDots={data.length < 60}
            connectNulls
            series={phases.map((k, i) => ({
              name: k,
              label: k,
              color: ['orange.7', 'grape.6', 'blue.6'][i] ?? 'gray.6',
            }))}
          />
        )}
      </Paper>
    </Stack>
  );
}
