// The live allocation of a site: each circuit with per-phase bars (limit, the rest of the
// building, what the chargers may draw, what they draw), each charger's limit, draw and reason,
// and the paused cars with when their turn comes. Refreshed by the core's balancing events.
import {
  Badge,
  Box,
  Group,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import { api } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { formatAgo, formatDateTime, formatNumber } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { HistoryChart } from './history-chart';

type Live = MethodOutput<'balancing-live'>;
type Node = Live['nodes'][number];

const amps = (a: number | null) => (a === null ? '—' : `${formatNumber(a, 1)} A`);
const pct = (a: number, of: number) => (of > 0 ? Math.max(0, Math.min(100, (a / of) * 100)) : 0);

/** How the rest of the building's load on a node is known, in words. */
function loadWords(load: Node['load']): string {
  if (!load) return 'assumed';
  if (load.kind === 'typed') return 'typed in';
  return load.quiet ? 'assumed: meter quiet' : 'metered';
}

/** The node's load source: a typed-in value, a meter and how fresh its reading is. */
function LoadBadge({
  load,
  now,
  timeZone,
}: {
  load: Node['load'];
  now: number;
  timeZone?: string;
}) {
  if (!load) return null;
  if (load.kind === 'typed')
    return (
      <Tooltip label="The rest of the building's load is a value typed in the Model tab, not a reading.">
        <Badge variant="light" color="gray" data-testid="load-badge">
          typed-in load
        </Badge>
      </Tooltip>
    );
  if (load.quiet)
    return (
      <Tooltip label="No reading within the meter's timeout: the assumed load counts until it answers again.">
        <Badge variant="light" color="orange" data-testid="load-badge">
          {load.at === null
            ? 'meter not read yet'
            : `meter quiet: last reading ${formatAgo(load.at, now, timeZone)}`}
        </Badge>
      </Tooltip>
    );
  return (
    <Badge variant="light" data-testid="load-badge">
      metered load · read {formatAgo(load.at, now, timeZone)}
    </Badge>
  );
}

function PhaseBar({ p, load }: { p: Node['phases'][number]; load: Node['load'] }) {
  const over = p.otherA + p.allowedA > p.limitA + 1e-6;
  return (
    <Group gap="xs" wrap="nowrap" data-testid={`phase-${p.phase}`}>
      <Text size="sm" w={24} fw={600}>
        {p.phase}
      </Text>
      <Box style={{ flex: 1 }}>
        <Tooltip
          label={`Building ${amps(p.otherA)} (${loadWords(load)}) · chargers may draw ${amps(p.allowedA)} · drawing ${amps(p.drawA)} · limit ${amps(p.limitA)}`}
        >
          <Progress.Root size={18} aria-label={`${p.phase} allocation`}>
            <Progress.Section value={pct(p.otherA, p.limitA)} color="gray.5" />
            <Progress.Section value={pct(p.allowedA, p.limitA)} color={over ? 'red' : 'blue'} />
          </Progress.Root>
        </Tooltip>
        <Progress
          value={pct(p.drawA, p.limitA)}
          size={5}
          mt={2}
          color="teal"
          aria-label={`${p.phase} draw`}
        />
      </Box>
      <Text size="sm" w={440} ta="right" c={over ? 'red' : undefined}>
        {p.otherA > 0 ? `building ${amps(p.otherA)} · ` : ''}
        {amps(p.allowedA)} allowed · {amps(p.drawA)} drawn / {amps(p.limitA)}
      </Text>
    </Group>
  );
}

function NodeCard({
  node,
  depth,
  now,
  timeZone,
}: {
  node: Node;
  depth: number;
  now: number;
  timeZone?: string;
}) {
  return (
    <Paper withBorder p="sm" ml={depth * 24} data-testid={`node-${node.id}`}>
      <Group justify="space-between" mb={6}>
        <Text fw={600}>{node.kind === 'supply' ? 'Supply (usable)' : node.name}</Text>
        <LoadBadge load={node.load} now={now} timeZone={timeZone} />
      </Group>
      <Stack gap={4}>
        {node.phases.map((p) => (
          <PhaseBar key={p.phase} p={p} load={node.load} />
        ))}
      </Stack>
    </Paper>
  );
}

/**
 * Ages on the server's clock (its time at the last read plus the time since), moving every few
 * seconds between reads: a draw or a meter reading that stopped coming ages on screen.
 */
function useServerNow(serverNow: number | undefined): number {
  const local = useNow(5_000);
  const [read, setRead] = useState<{ server: number; local: number } | null>(null);
  // A new read: remember the local time it came at (state adjusted while rendering).
  if (serverNow !== undefined && read?.server !== serverNow) setRead({ server: serverNow, local });
  if (!read) return serverNow ?? local;
  return read.server + Math.max(0, local - read.local);
}

/** Depth-first: each circuit under its parent. */
function ordered(nodes: Node[]): { node: Node; depth: number }[] {
  const out: { node: Node; depth: number }[] = [];
  const walk = (parentId: string | null, depth: number) => {
    for (const n of nodes)
      if (n.parentId === parentId) {
        out.push({ node: n, depth });
        walk(n.id, depth + 1);
      }
  };
  walk(null, 0);
  return out;
}

export function LivePanel({ siteId, timeZone }: { siteId: number; timeZone?: string }) {
  const live = useQuery(
    'balancing-live',
    { siteId },
    { refreshOn: (e) => e.type === 'balancing-changed' && e.siteId === siteId },
  );
  // A steady draw moves no allocation (no balancing event): the chargers' meter values refresh
  // the view too, at most once a second.
  const { refresh } = live;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.onEvent((e) => {
      if (e.type !== 'transaction-updated' || e.siteId !== siteId || timer) return;
      timer = setTimeout(() => {
        timer = null;
        refresh();
      }, 1_000);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [siteId, refresh]);
  const now = useServerNow(live.data?.now);
  if (live.error) return <ErrorAlert error={live.error} />;
  if (live.loading || !live.data) return <Loading label="Reading the allocation…" />;
  const data = live.data;
  if (!data.enabled)
    return (
      <EmptyState title={data.saved ? 'Load balancing is off' : 'No electrical model yet'}>
        {data.saved
          ? 'Turn it on in the Model tab: the chargers then share the supply.'
          : 'Describe the supply, the circuits and how each charger is wired in the Model tab, then turn balancing on.'}
      </EmptyState>
    );
  const paused = data.connectors.filter((c) => c.pausedSince !== null);
  return (
    <Stack>
      {data.overloads.length > 0 ? (
        <ErrorAlert
          error={{
            code: 'unavailable',
            message: data.overloads
              .map(
                (o) =>
                  `${(o.nodeName[0] ?? '').toUpperCase()}${o.nodeName.slice(1)} ${o.phase}: the building's load and chargers we cannot steer exceed it by ${formatNumber(o.excessA, 1)} A.`,
              )
              .join(' '),
          }}
        />
      ) : null}
      <Title order={4}>Circuits</Title>
      {ordered(data.nodes).map(({ node, depth }) => (
        <NodeCard key={node.id} node={node} depth={depth} now={now} timeZone={timeZone} />
      ))}
      <HistoryChart
        siteId={siteId}
        timeZone={timeZone}
        nodes={ordered(data.nodes).map(({ node }) => ({
          id: node.id,
          name: node.kind === 'supply' ? 'Supply' : node.name,
        }))}
      />
      <Title order={4} mt="md">
        Chargers
      </Title>
      <Table striped withTableBorder data-testid="live-chargers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Charger</Table.Th>
            <Table.Th>Phases</Table.Th>
            <Table.Th>Allowed</Table.Th>
            <Table.Th>Drawing</Table.Th>
            <Table.Th>Why</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.connectors.map((c) => (
            <Table.Tr key={`${c.stationId}/${c.connectorNumber}`} data-testid="live-charger">
              <Table.Td>
                {c.stationName}
                {c.connectorNumber > 1 ? ` · outlet ${c.connectorNumber}` : ''}
              </Table.Td>
              <Table.Td>{c.phases.join(', ')}</Table.Td>
              <Table.Td>
                {amps(c.allowedA)}
                {c.inFlight ? (
                  <Badge ml={6} size="xs" variant="light" color="yellow">
                    sending {amps(c.limitA)}
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td>
                {amps(c.drawA)}
                {c.drawAt !== null && now - c.drawAt > data.staleAfterMs ? (
                  <Tooltip
                    label={`No meter value from this charger since ${formatDateTime(c.drawAt, timeZone)}: this is its last reading.`}
                  >
                    <Badge ml={6} size="xs" variant="light" color="orange" data-testid="stale-draw">
                      stale · {formatAgo(c.drawAt, now, timeZone)}
                    </Badge>
                  </Tooltip>
                ) : null}
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={c.uncontrolled ? 'red' : undefined}>
                  {c.reason.text}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {paused.length > 0 ? (
        <>
          <Title order={4} mt="md">
            Paused cars
          </Title>
          {paused.map((c) => (
            <Text key={`${c.stationId}/${c.connectorNumber}`} size="sm" data-testid="paused-car">
              {c.stationName}: paused since {formatDateTime(c.pausedSince, timeZone)}
              {c.resumesBy !== null
                ? `; charges again by ${formatDateTime(c.resumesBy, timeZone)} at the latest`
                : '; waits until there is room for the minimum current'}
            </Text>
          ))}
        </>
      ) : null}
      <Text size="xs" c="dimmed">
        Allocated at {formatDateTime(data.at, timeZone)}; draws as the chargers last reported them.
        Grey: the rest of the building; blue: what the chargers may draw; green line: what they
        draw.
      </Text>
    </Stack>
  );
}
