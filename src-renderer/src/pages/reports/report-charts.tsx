// The reports page's charts (@mantine/charts): energy per day, week or month; sessions by hour of
// day and by weekday (local time of the site). Each has its table below it on the page.
import { useState } from 'react';
import { BarChart } from '@mantine/charts';
import { Group, Paper, SegmentedControl, SimpleGrid, Title } from '@mantine/core';
import type { ReportTotals } from '../../../../src-shared/api/methods/reports';
import { auDate, hourName, monthName, weekdayName } from './report-period';

export type Grain = 'day' | 'week' | 'month';

const kwh = (wh: number) => Math.round(wh / 100) / 10;

export function periodRows(r: ReportTotals, grain: Grain) {
  switch (grain) {
    case 'day':
      return r.byDay.map((d) => ({ key: d.date, label: auDate(d.date), ...d }));
    case 'week':
      return r.byWeek.map((d) => ({ key: d.date, label: `Week of ${auDate(d.date)}`, ...d }));
    case 'month':
      return r.byMonth.map((d) => ({ key: d.month, label: monthName(d.month), ...d }));
  }
}

export function EnergyOverTime({
  r,
  grain,
  onGrain,
}: {
  r: ReportTotals;
  grain: Grain;
  onGrain: (g: Grain) => void;
}) {
  const data = periodRows(r, grain).map((p) => ({
    period: grain === 'week' ? auDate(p.key) : p.label,
    energy: kwh(p.energyWh),
    sessions: p.sessions,
  }));
  return (
    <Paper withBorder p="md" data-testid="energy-chart">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Energy per {grain}</Title>
        <SegmentedControl
          size="xs"
          value={grain}
          onChange={(v) => onGrain(v === 'week' || v === 'month' ? v : 'day')}
          data={[
            { value: 'day', label: 'Day' },
            { value: 'week', label: 'Week' },
            { value: 'month', label: 'Month' },
          ]}
          aria-label="Energy per"
        />
      </Group>
      <BarChart
        h={260}
        data={data}
        dataKey="period"
        yAxisLabel="kWh"
        series={[{ name: 'energy', label: 'Energy (kWh)', color: 'teal.7' }]}
        tickLine="y"
      />
    </Paper>
  );
}

export function SessionsByTime({ r }: { r: ReportTotals }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Paper withBorder p="md" data-testid="hour-chart">
        <Title order={5} mb="xs">
          Sessions by hour of day (start, {r.timeZone})
        </Title>
        <BarChart
          h={220}
          data={r.byHour.map((h) => ({ hour: hourName(h.hour), sessions: h.sessions }))}
          dataKey="hour"
          series={[{ name: 'sessions', label: 'Sessions', color: 'indigo.6' }]}
          tickLine="y"
        />
      </Paper>
      <Paper withBorder p="md" data-testid="weekday-chart">
        <Title order={5} mb="xs">
          Sessions by weekday
        </Title>
        <BarChart
          h={220}
          data={r.byWeekday.map((w) => ({
            day: weekdayName(w.weekday),
            sessions: w.sessions,
            energy: kwh(w.energyWh),
          }))}
          dataKey="day"
          series={[{ name: 'sessions', label: 'Sessions', color: 'grape.6' }]}
          tickLine="y"
        />
      </Paper>
    </SimpleGrid>
  );
}

/** The chart's grain, kept while the period changes. */
export function useGrain(): [Grain, (g: Grain) => void] {
  return useState<Grain>('day');
}
