// The raw meter samples of a session, as the charger sent them, newest first and paged on the
// server; a row opens to show every sampled value with its unit, context and phase.
import { Code, Text } from '@mantine/core';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import { formatDateTime, formatNumber } from '../../lib/format';
import { SessionDetailTable } from './session-detail-table';

type Sample = MethodOutput<'session-detail-samples'>['samples'][number];

const amps = (a: number | null) => (a === null ? '—' : formatNumber(a, 1));

export function SessionSamples({ id, timeZone }: { id: number; timeZone: string | undefined }) {
  return (
    <SessionDetailTable<'session-detail-samples', Sample>
      method="session-detail-samples"
      id={id}
      rowsOf={(p) => p.samples}
      rowKey={(s) => s.id}
      label="Meter samples"
      noun="samples"
      empty={{
        title: 'No meter samples',
        body: 'The charger sent no meter values for this session.',
      }}
      csv={{
        fileName: `session-${id}-samples.csv`,
        headers: [
          'Time',
          'Energy register (Wh)',
          'Power (W)',
          'L1 (A)',
          'L2 (A)',
          'L3 (A)',
          'SoC (%)',
          'Sampled values',
        ],
        oldestFirst: true,
        row: (s) => [
          formatDateTime(s.timestamp, timeZone),
          s.energyWh,
          s.powerW,
          s.currentA.L1,
          s.currentA.L2,
          s.currentA.L3,
          s.socPercent,
          JSON.stringify(s.sampledValue),
        ],
      }}
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
  );
}
