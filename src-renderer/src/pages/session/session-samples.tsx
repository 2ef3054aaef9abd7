// The raw meter samples of a session, as the charger sent them, newest first and paged on the
// server; a row opens to show every sampled value with its unit, context and phase.
import { Code, Group, Stack, Text } from '@mantine/core';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import { useQuery } from '../../api/use-query';
import { PAGE_SIZE, usePageOffset } from '../../components/pager';
import { PagedTable } from '../../components/paged-table';
import { EmptyState, ErrorAlert, ExportCsvButton, Loading } from '../../components/common';
import { fetchAllPages } from '../../lib/fetch-pages';
import { toCsv } from '../../lib/download';
import { formatDateTime, formatNumber } from '../../lib/format';

type Sample = MethodOutput<'session-detail-samples'>['samples'][number];

const amps = (a: number | null) => (a === null ? '—' : formatNumber(a, 1));

export function SessionSamples({ id, timeZone }: { id: number; timeZone: string | undefined }) {
  const [offset, setOffset] = usePageOffset(String(id));
  const q = useQuery('session-detail-samples', { id, limit: PAGE_SIZE, offset });
  const rows = q.data?.samples ?? [];
  const total = q.data?.total ?? 0;
  const buildCsv = async () => {
    const r = await fetchAllPages('session-detail-samples', { id }, (p) => p.samples);
    if (!r.ok) return r;
    const csv = toCsv(
      [
        'Time',
        'Energy register (Wh)',
        'Power (W)',
        'L1 (A)',
        'L2 (A)',
        'L3 (A)',
        'SoC (%)',
        'Sampled values',
      ],
      r.value
        .slice()
        .reverse()
        .map((s) => [
          formatDateTime(s.timestamp, timeZone),
          s.energyWh,
          s.powerW,
          s.currentA.L1,
          s.currentA.L2,
          s.currentA.L3,
          s.socPercent,
          JSON.stringify(s.sampledValue),
        ]),
    );
    return { ok: true as const, value: { fileName: `session-${id}-samples.csv`, csv } };
  };
  if (q.error) return <ErrorAlert error={q.error} />;
  if (q.loading) return <Loading />;
  if (total === 0) {
    return (
      <EmptyState title="No meter samples">
        The charger sent no meter values for this session.
      </EmptyState>
    );
  }
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <ExportCsvButton build={buildCsv} />
      </Group>
      <PagedTable<Sample>
        label="Meter samples"
        noun="samples"
        verticalSpacing={4}
        rows={rows}
        rowKey={(s) => s.id}
        total={total}
        offset={offset}
        onOffset={setOffset}
        detail={(s) => (
          <Code block>
            {s.sampledValue
              .map(
                (v) =>
                  `${v.measurand ?? 'Energy.Active.Import.Register'}${v.phase ? ` ${v.phase}` : ''}: ${v.value} ${v.unit ?? ''}${v.context ? ` (${v.context})` : ''}`,
              )
              .join('\n')}
          </Code>
        )}
        columns={[
          {
            header: 'Time',
            style: { whiteSpace: 'nowrap' },
            cell: (s) => formatDateTime(s.timestamp, timeZone),
          },
          {
            header: 'Register (Wh)',
            cell: (s) => (s.energyWh === null ? '—' : formatNumber(s.energyWh)),
          },
          {
            header: 'Power (kW)',
            cell: (s) => (s.powerW === null ? '—' : formatNumber(s.powerW / 1000, 2)),
          },
          { header: 'L1 (A)', cell: (s) => amps(s.currentA.L1) },
          { header: 'L2 (A)', cell: (s) => amps(s.currentA.L2) },
          { header: 'L3 (A)', cell: (s) => amps(s.currentA.L3) },
          {
            header: 'Values',
            cell: (s) => (
              <Text size="xs" c="dimmed">
                {s.sampledValue.length} sampled values
              </Text>
            ),
          },
        ]}
      />
    </Stack>
  );
}
