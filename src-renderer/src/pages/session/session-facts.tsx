// The facts of a session: who charged (card, resident, lot), where, when, how much.
import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ReactNode } from 'react';
import type { SessionFacts } from '../../../../src-shared/api/methods/reports';
import { formatDateTime, formatEnergyWh, formatNumber } from '../../lib/format';

export function formatDuration(ms: number): string {
  const m = Math.round(ms / 60_000);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h} h ${m % 60} min` : `${m} min`;
}

const VIA: Record<NonNullable<SessionFacts['via']>, string> = {
  card: 'by card',
  'private-bay': 'private bay',
  'visitor-bay': 'visitor bay',
};

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Stack>
  );
}

export function SessionFactsPanel({ s, staff }: { s: SessionFacts; staff: boolean }) {
  const tz = s.timeZone ?? undefined;
  const account = s.lotNumber
    ? `Lot ${s.lotNumber}${s.unitNumber ? ` (unit ${s.unitNumber})` : ''} — ${s.ownerNames ?? ''}`
    : null;
  return (
    <Paper withBorder p="md" data-testid="session-facts">
      {s.flag ? (
        <Group mb="sm" gap="xs">
          <Badge color={s.flag === 'review' ? 'orange' : 'yellow'}>
            {s.flag === 'review' ? 'For review' : 'Suspect'}
          </Badge>
          <Text size="sm">{s.flagReason}</Text>
        </Group>
      ) : null}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="md" verticalSpacing="sm">
        <Fact label="Energy">{formatEnergyWh(s.energyWh)}</Fact>
        <Fact label="Duration">{formatDuration(s.durationMs)}</Fact>
        <Fact label="Average power">
          {s.averagePowerW === null ? '—' : `${formatNumber(s.averagePowerW / 1000, 2)} kW`}
        </Fact>
        <Fact label="Status">
          {s.status === 'active' ? (
            <Badge color="blue" variant="light">
              Charging
            </Badge>
          ) : (
            `Completed${s.stopReason ? ` (${s.stopReason})` : ''}`
          )}
        </Fact>
        <Fact label="Started">{formatDateTime(s.startedAt, tz)}</Fact>
        <Fact label="Stopped">{formatDateTime(s.stoppedAt, tz)}</Fact>
        <Fact label="Meter start / stop">
          {formatNumber(s.meterStartWh)} /{' '}
          {s.meterStopWh === null ? '—' : formatNumber(s.meterStopWh)} Wh
        </Fact>
        <Fact label="Site">{s.siteName ?? '—'}</Fact>
        <Fact label="Station and outlet">
          {staff && s.stationId !== null ? (
            <Link to={`/stations/${s.stationId}`}>{s.stationName ?? s.identity}</Link>
          ) : (
            (s.stationName ?? s.identity)
          )}{' '}
          · outlet {s.connectorNumber}
          {s.connectorName ? ` (${s.connectorName})` : ''}
        </Fact>
        <Fact label="Card">
          <Text span ff="monospace" size="sm">
            {s.idTag}
          </Text>
          {s.cardLabel ? ` · ${s.cardLabel}` : ''}
        </Fact>
        <Fact label="Resident">{s.residentName ?? '—'}</Fact>
        <Fact label="Account">
          {account ?? (s.free ? 'Nobody (free)' : 'No account')}
          {s.via ? (
            <Text span c="dimmed" size="xs">
              {' '}
              · {VIA[s.via]}
              {s.free ? ', free' : ''}
            </Text>
          ) : null}
        </Fact>
        <Fact label="Transaction id">
          {s.id}
          {s.chargerTransactionId !== null ? ` (charger’s: ${s.chargerTransactionId})` : ''}
        </Fact>
      </SimpleGrid>
    </Paper>
  );
}
