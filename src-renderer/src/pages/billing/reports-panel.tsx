// Billing reports (a tab of the billing page): per billing period of a chosen range, revenue
// (issued invoices less credit notes), energy delivered by the chargers vs billed (unbilled
// energy: sessions held, without an account, excluded or not yet issued) and, when the manager
// enters the car-park meter's readings, what it measured and the losses; operating margin at an
// electricity cost per kWh or by a stored time-of-use tariff. Every figure comes from the core
// (billing-report); charts where a picture beats a table, the table for exact figures. "Export
// CSV" saves the same question's answer as a file (a streamed download, 'billing-report-csv').
import { BarChart } from '@mantine/charts';
import {
  Alert,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { MethodInput, MethodOutput } from '../../../../src-shared/api/contract';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { DownloadButton } from '../../components/download-button';
import { AuDateInput } from './au-date-input';
import { formatMoney, lastMonthIso, todayIso } from './money';

type Report = MethodOutput<'billing-report'>;
type Cost = MethodInput<'billing-report'>['cost'];

const kwh = (wh: number) =>
  (wh / 1000).toLocaleString('en-AU', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const dollars = (cents: number) => Math.round(cents) / 100;

export function ReportsPanel({ siteId }: { siteId: number }) {
  const [from, setFrom] = useState(`${lastMonthIso().slice(0, 4)}-01-01`);
  const [to, setTo] = useState(todayIso());
  const [costKind, setCostKind] = useState<Cost['kind']>('none');
  const [centsPerKwh, setCentsPerKwh] = useState<number | string>(25);
  const [tariffId, setTariffId] = useState<string | null>(null);
  const [opening, setOpening] = useState<number | string>('');
  const [closing, setClosing] = useState<number | string>('');
  const tariffs = useQuery('tariff-list', { siteId });

  const cost: Cost =
    costKind === 'flat'
      ? { kind: 'flat', millicentsPerKwh: Math.round(Number(centsPerKwh || 0) * 1000) }
      : costKind === 'tariff' && tariffId !== null
        ? { kind: 'tariff', tariffId: Number(tariffId) }
        : { kind: 'none' };
  const meter =
    opening !== '' && closing !== ''
      ? {
          openingWh: Math.round(Number(opening) * 1000),
          closingWh: Math.round(Number(closing) * 1000),
        }
      : null;
  const validRange = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to);
  const question = { siteId, from, to, cost, buildingMeter: meter };
  const report = useQuery('billing-report', question, { enabled: validRange });

  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <AuDateInput label="From" value={from} onChange={setFrom} w={150} />
        <AuDateInput label="To" value={to} onChange={setTo} w={150} />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Electricity cost
          </Text>
          <SegmentedControl
            value={costKind}
            onChange={(v) => setCostKind(v as Cost['kind'])}
            data={[
              { value: 'none', label: 'None' },
              { value: 'flat', label: 'Per kWh' },
              { value: 'tariff', label: 'Time-of-use tariff' },
            ]}
          />
        </Stack>
        {costKind === 'flat' ? (
          <NumberInput
            label="Cost (c/kWh ex GST)"
            value={centsPerKwh}
            onChange={setCentsPerKwh}
            min={0}
            decimalScale={3}
            w={170}
          />
        ) : null}
        {costKind === 'tariff' ? (
          <Select
            label="Cost tariff"
            placeholder="Choose the building’s supply tariff"
            data={(tariffs.data?.tariffs ?? []).map((t) => ({
              value: String(t.id),
              label: t.name,
            }))}
            value={tariffId}
            onChange={setTariffId}
            w={240}
          />
        ) : null}
      </Group>
      {/* The meter's two readings side by side, the export at the end of the same row. */}
      <Group align="flex-end" justify="space-between">
        <Group align="flex-end">
          <NumberInput
            label="Car-park meter at start (kWh)"
            description="Optional: read at the range's start"
            value={opening}
            onChange={setOpening}
            min={0}
            w={250}
          />
          <NumberInput
            label="Car-park meter at end (kWh)"
            description="and at its end"
            value={closing}
            onChange={setClosing}
            min={0}
            w={250}
          />
        </Group>
        <DownloadButton
          label="Export CSV"
          disabled={!report.data || report.error !== null}
          request={() => ({ kind: 'billing-report-csv', ...question })}
        />
      </Group>
      {!validRange ? (
        <Alert color="yellow">Enter the start and end dates of the report.</Alert>
      ) : null}
      {(opening === '') !== (closing === '') ? (
        <Text size="sm" c="orange.8">
          Enter both car-park meter readings (at the start and at the end) to compare them with what
          the chargers delivered.
        </Text>
      ) : null}
      {report.error ? <ErrorAlert error={report.error} /> : null}
      {report.loading && validRange ? <Loading /> : null}
      {/* Not the previous range's figures under a refusal of this one. */}
      {report.data && !report.error ? <ReportBody r={report.data} /> : null}
    </Stack>
  );
}

function ReportBody({ r }: { r: Report }) {
  if (r.periods.every((p) => p.deliveredWh === 0 && p.invoices === 0))
    return (
      <EmptyState title="Nothing charged or invoiced in these periods">
        Choose a wider date range, or issue the runs of these periods under Invoice runs.
      </EmptyState>
    );
  const money = r.periods.map((p) => ({
    period: p.label,
    revenue: dollars(p.exGstCents),
    ...(p.costCents === null ? {} : { cost: dollars(p.costCents) }),
    ...(p.marginCents === null ? {} : { margin: dollars(p.marginCents) }),
  }));
  const energy = r.periods.map((p) => ({
    period: p.label,
    billed: p.billedWh / 1000,
    unbilled: p.unbilledWh / 1000,
  }));
  const hasCost = r.totals.costCents !== null;
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="md">
          <Title order={5} mb="xs">
            Revenue ex GST{hasCost ? ', cost and margin' : ''} ($)
          </Title>
          <BarChart
            h={240}
            data={money}
            dataKey="period"
            series={[
              { name: 'revenue', label: 'Revenue ex GST', color: 'blue.6' },
              ...(hasCost
                ? [
                    { name: 'cost', label: 'Electricity cost', color: 'orange.6' },
                    { name: 'margin', label: 'Margin', color: 'teal.7' },
                  ]
                : []),
            ]}
            withLegend
            tickLine="y"
          />
        </Paper>
        <Paper withBorder p="md">
          <Title order={5} mb="xs">
            Energy delivered by the chargers (kWh): billed and not billed
          </Title>
          <BarChart
            h={240}
            data={energy}
            dataKey="period"
            type="stacked"
            series={[
              { name: 'billed', label: 'Billed', color: 'teal.7' },
              { name: 'unbilled', label: 'Not billed', color: 'red.6' },
            ]}
            withLegend
            tickLine="y"
          />
        </Paper>
      </SimpleGrid>
      {r.buildingMeter ? (
        <Alert color={r.buildingMeter.lossesWh > 0 ? 'yellow' : 'blue'} title="Car-park meter">
          The meter measured {kwh(r.buildingMeter.measuredWh)} kWh; the chargers delivered{' '}
          {kwh(r.buildingMeter.deliveredWh)} kWh.{' '}
          {r.buildingMeter.lossesWh >= 0
            ? `Losses and unmetered use: ${kwh(r.buildingMeter.lossesWh)} kWh.`
            : `The chargers delivered ${kwh(-r.buildingMeter.lossesWh)} kWh more than the meter measured: check the readings and that the dates match the report's range.`}
        </Alert>
      ) : null}
      <Text size="sm" c="dimmed">
        {r.costNote} Energy not billed: sessions held for review, without an account, excluded, or
        in a period not yet issued.
      </Text>
      <Table striped aria-label="Billing report by period">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Period</Table.Th>
            <Table.Th ta="right">Invoices</Table.Th>
            <Table.Th ta="right">Revenue ex GST</Table.Th>
            <Table.Th ta="right">GST</Table.Th>
            <Table.Th ta="right">Inc GST</Table.Th>
            <Table.Th ta="right">Delivered kWh</Table.Th>
            <Table.Th ta="right">Billed kWh</Table.Th>
            <Table.Th ta="right">Not billed kWh (sessions)</Table.Th>
            {hasCost ? <Table.Th ta="right">Cost</Table.Th> : null}
            {hasCost ? <Table.Th ta="right">Margin</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...r.periods, { ...r.totals, label: 'Total', start: 'total', runId: null }].map((p) => (
            <Table.Tr key={p.start} fw={p.start === 'total' ? 700 : undefined}>
              <Table.Td>
                {p.label}
                {p.start !== 'total' && p.runId === null ? (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    (not issued)
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td ta="right">{p.invoices}</Table.Td>
              <Table.Td ta="right">{formatMoney(p.exGstCents)}</Table.Td>
              <Table.Td ta="right">{formatMoney(p.gstCents)}</Table.Td>
              <Table.Td ta="right">{formatMoney(p.incGstCents)}</Table.Td>
              <Table.Td ta="right">{kwh(p.deliveredWh)}</Table.Td>
              <Table.Td ta="right">{kwh(p.billedWh)}</Table.Td>
              <Table.Td ta="right">
                {kwh(p.unbilledWh)} ({p.unbilledSessions})
              </Table.Td>
              {hasCost ? <Table.Td ta="right">{formatMoney(p.costCents ?? 0)}</Table.Td> : null}
              {hasCost ? <Table.Td ta="right">{formatMoney(p.marginCents ?? 0)}</Table.Td> : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
