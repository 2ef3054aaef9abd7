// The station clicked on the plan: its outlets in their state's colour, the session in progress
// (card, resident, energy so far, power - from the transaction events, never polled - and the
// current load balancing allows it), its bay label, and the way to its page and the session's.
import { useEffect, useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  CloseButton,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useQuery } from '../../api/use-query';
import type { Station } from '../../../../src-shared/model';
import { formatEnergyWh, formatNumber } from '../../lib/format';
import { planState, planStateColor, statusLabel } from '../../lib/status';

export function StationPanel({
  siteId,
  station,
  bayLabel,
  bayFromBays,
  editable,
  onClose,
}: {
  siteId: number;
  station: Station;
  bayLabel: string | null;
  /** The label is the residents' bays' (changed on Residents & cards → Bays, not here). */
  bayFromBays: boolean;
  editable: boolean;
  onClose(): void;
}) {
  const sessions = useQuery(
    'session-list',
    { filter: { stationId: station.id, status: 'active' }, limit: 10 },
    {
      refreshOn: (e) =>
        (e.type === 'transaction-started' || e.type === 'transaction-stopped') &&
        e.stationId === station.id,
    },
  );
  // What load balancing allows each outlet now (only where the site balances).
  const balancing = useQuery(
    'balancing-live',
    { siteId },
    { refreshOn: (e) => e.type === 'balancing-changed' && e.siteId === siteId },
  );
  const allowedA = (connectorNumber: number) =>
    balancing.data?.enabled
      ? balancing.data.connectors.find(
          (c) => c.stationId === station.id && c.connectorNumber === connectorNumber,
        )?.allowedA
      : undefined;
  // Energy and power as the charger reports them, per transaction.
  const [live, setLive] = useState<
    Record<number, { energyWh: number | null; powerW: number | null }>
  >({});
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type === 'transaction-updated' && e.stationId === station.id) {
          setLive((prev) => ({
            ...prev,
            [e.transactionId]: { energyWh: e.energyWh, powerW: e.powerW },
          }));
        }
      }),
    [station.id],
  );
  const [label, setLabel] = useState(bayLabel ?? '');
  const active = sessions.data?.sessions ?? [];

  return (
    <Paper withBorder p="sm" aria-label={`Station ${station.name}`} component="section">
      <Group justify="space-between" wrap="nowrap" mb={4}>
        <Anchor component={Link} to={`/stations/${station.id}`} fw={700}>
          {station.name}
        </Anchor>
        <CloseButton aria-label="Close station details" onClick={onClose} />
      </Group>
      <Text size="xs" c="dimmed" ff="monospace" mb="xs">
        {station.identity} · {station.connected ? 'online' : 'offline'}
      </Text>
      <Stack gap={4} mb="xs">
        {station.connectors.map((c) => {
          const state = planState(c.status, station.connected);
          const session = active.find((t) => t.connectorNumber === c.connectorNumber);
          const now = session ? live[session.id] : undefined;
          return (
            <div key={c.id} data-testid={`plan-outlet-${c.connectorNumber}`}>
              <Badge color={planStateColor(state)} variant="light">
                Outlet {c.connectorNumber}: {statusLabel(c.status, station.connected)}
              </Badge>
              {c.errorCode && c.errorCode !== 'NoError' ? (
                <Text size="xs" c="red">
                  {c.errorCode}
                  {c.info ? ` - ${c.info}` : ''}
                </Text>
              ) : null}
              {session ? (
                <Text size="xs">
                  Card{' '}
                  {session.cardLabel ? `${session.cardLabel} (${session.idTag})` : session.idTag}
                  {session.residentName ? ` · ${session.residentName}` : ''}
                  {session.lotNumber ? ` · Lot ${session.lotNumber}` : ''} ·{' '}
                  {formatEnergyWh(now?.energyWh ?? session.energyWh)} so far
                  {now?.powerW != null ? ` · ${formatNumber(now.powerW / 1000, 1)} kW` : ''}
                  {allowedA(c.connectorNumber) !== undefined
                    ? ` · allowed ${formatNumber(allowedA(c.connectorNumber), 0)} A`
                    : ''}{' '}
                  <Anchor component={Link} to={`/sessions/${session.id}`} size="xs">
                    Session {session.id}
                  </Anchor>
                </Text>
              ) : null}
            </div>
          );
        })}
      </Stack>
      {bayFromBays ? (
        <Text size="xs" c="dimmed">
          Bay {bayLabel} (from{' '}
          <Anchor component={Link} to="/cards" size="xs">
            Residents &amp; cards
          </Anchor>
          )
        </Text>
      ) : null}
      {editable ? (
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            size="xs"
            label="Bay label"
            placeholder="e.g. B1-07"
            value={label}
            maxLength={200}
            onChange={(e) => setLabel(e.currentTarget.value)}
          />
          <Button
            size="xs"
            px="xs"
            variant="light"
            onClick={() =>
              void api.call('station-plan-place', {
                stationId: station.id,
                bayLabel: label,
              })
            }
          >
            Save
          </Button>
        </Group>
      ) : null}
    </Paper>
  );
}
