// The dashboard's panels: each reads what it shows through the API, refreshes on the core's
// events (never on a timer) and links to the page behind it.
import { Anchor, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from '../../api/use-query';
import type { Tree } from '../../../../src-shared/model';
import { formatAgo, formatEnergyWh, formatNumber } from '../../lib/format';
import { PLAN_STATES, planState, planStateColor, type PlanState } from '../../lib/status';
import { useNow } from '../../lib/use-now';
import { describeError } from '../../lib/errors';
import type { ApiError } from '../../../../src-shared/api/result';

function Failed({ error }: { error: ApiError }) {
  return (
    <Text size="sm" c="red" role="alert">
      {describeError(error)}
    </Text>
  );
}

type TreeSite = Tree['sites'][number];

export function StatesPanel({ sites }: { sites: TreeSite[] }) {
  const counts = new Map<PlanState, number>();
  for (const st of sites.flatMap((s) => s.stations)) {
    for (const c of st.connectors) {
      const s = planState(c.status, st.connected);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
  }
  const link = sites.length === 1 && sites[0] ? `/sites/${sites[0].id}` : '/';
  return (
    <Stack gap={4}>
      {PLAN_STATES.map((s) => (
        <Group key={s.key} justify="space-between" data-testid={`state-count-${s.key}`}>
          <Badge color={planStateColor(s.key)} variant="dot">
            {s.label}
          </Badge>
          <Text fw={700}>{formatNumber(counts.get(s.key) ?? 0)}</Text>
        </Group>
      ))}
      {sites.length === 1 ? (
        <Anchor component={Link} to={link} size="sm">
          Open the site
        </Anchor>
      ) : null}
    </Stack>
  );
}

export function SessionsPanel({ siteId }: { siteId: number | null }) {
  const now = useNow(30_000);
  const q = useQuery(
    'transaction-list',
    { status: 'active', limit: 8, ...(siteId ? { siteId } : {}) },
    {
      refreshOn: (e) =>
        e.type === 'transaction-started' ||
        e.type === 'transaction-stopped' ||
        e.type === 'transaction-updated',
    },
  );
  if (q.error) return <Failed error={q.error} />;
  const list = q.data?.transactions ?? [];
  if (list.length === 0) return <Text size="sm">No car is charging right now.</Text>;
  return (
    <Table aria-label="Sessions in progress">
      <Table.Tbody>
        {list.map((t) => (
          <Table.Tr key={t.id}>
            <Table.Td>
              {t.stationId ? (
                <Anchor component={Link} to={`/stations/${t.stationId}`} size="sm">
                  {t.identity} #{t.connectorNumber}
                </Anchor>
              ) : (
                t.identity
              )}
            </Table.Td>
            <Table.Td>{t.idTag}</Table.Td>
            <Table.Td>{formatEnergyWh(t.energyWh)}</Table.Td>
            <Table.Td>{formatAgo(t.startedAt, now)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      {(q.data?.total ?? 0) > list.length ? (
        <Table.Caption>{formatNumber(q.data?.total ?? 0)} in all</Table.Caption>
      ) : null}
    </Table>
  );
}

export function UnknownChargersPanel() {
  const now = useNow(30_000);
  const q = useQuery(
    'charger-attempts-list',
    { limit: 5 },
    {
      refreshOn: (e) => e.type === 'charger-attempt' || e.type === 'tree-changed',
    },
  );
  if (q.error) return <Failed error={q.error} />;
  const list = q.data?.attempts ?? [];
  return (
    <Stack gap={4}>
      {list.length === 0 ? <Text size="sm">No unknown charger has tried to connect.</Text> : null}
      {list.map((a) => (
        <Group key={`${a.identity}-${a.ip ?? ''}`} justify="space-between">
          <Text size="sm" ff="monospace">
            {a.identity}
          </Text>
          <Text size="xs" c="dimmed">
            {formatAgo(a.lastAt, now)}
          </Text>
        </Group>
      ))}
      <Anchor component={Link} to="/chargers" size="sm">
        {formatNumber(q.data?.total ?? 0)} waiting: open New chargers
      </Anchor>
    </Stack>
  );
}

export function UnknownCardsPanel({ siteId }: { siteId: number | null }) {
  const now = useNow(30_000);
  const q = useQuery(
    'card-unknown-list',
    { siteId: siteId ?? 0 },
    { enabled: siteId !== null, refreshOn: (e) => e.type === 'transaction-started' },
  );
  if (siteId === null) {
    return <Text size="sm">Choose a site above: unknown cards are kept per building.</Text>;
  }
  if (q.error) return <Failed error={q.error} />;
  const list = q.data ?? [];
  return (
    <Stack gap={4}>
      {list.length === 0 ? <Text size="sm">No unknown card has been presented.</Text> : null}
      {list.slice(0, 6).map((c) => (
        <Group key={c.idTag} justify="space-between">
          <Text size="sm" ff="monospace">
            {c.idTag}
          </Text>
          <Text size="xs" c="dimmed">
            {formatNumber(c.count)}× · {formatAgo(c.lastAt, now)}
          </Text>
        </Group>
      ))}
      <Anchor component={Link} to={`/sites/${siteId}`} size="sm">
        Open the site
      </Anchor>
    </Stack>
  );
}

export function EventsPanel({ siteId }: { siteId: number | null }) {
  const now = useNow(30_000);
  const q = useQuery(
    'ocpp-log-list',
    { limit: 8 },
    {
      refreshOn: (e) =>
        (e.type === 'connector-status' || e.type === 'station-connection') &&
        (siteId === null || e.siteId === siteId),
    },
  );
  if (q.error) return <Failed error={q.error} />;
  const list = q.data?.entries ?? [];
  if (list.length === 0) return <Text size="sm">No charger has sent anything yet.</Text>;
  return (
    <Stack gap={2}>
      {list.map((m) => (
        <Group key={m.id} justify="space-between" wrap="nowrap">
          {m.stationId ? (
            <Anchor component={Link} to={`/stations/${m.stationId}/log`} size="sm">
              {m.identity}: {m.action ?? m.kind}
            </Anchor>
          ) : (
            <Text size="sm">
              {m.identity}: {m.action ?? m.kind}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {formatAgo(m.at, now)}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
