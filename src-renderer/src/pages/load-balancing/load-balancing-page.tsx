// Load balancing (issue 11): per site, the live allocation, the electrical model editor and the
// log of what the controller sent and why.
import { Select, Table, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from '../../api/use-query';
import { useSession } from '../../app/session';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/common';
import { formatDateTime, formatNumber } from '../../lib/format';
import { can } from '../../lib/permissions';
import { LivePanel } from './live-panel';
import { ModelEditor } from './model-editor';

function LogPanel({ siteId, timeZone }: { siteId: number; timeZone?: string }) {
  const log = useQuery(
    'balancing-log',
    { siteId, limit: 200 },
    { refreshOn: (e) => e.type === 'balancing-changed' && e.siteId === siteId },
  );
  if (log.error) return <ErrorAlert error={log.error} />;
  if (!log.data) return <Loading />;
  if (log.data.length === 0)
    return (
      <EmptyState title="Nothing sent yet">
        Limits appear here as soon as balancing is on and a charger connects or a car arrives.
      </EmptyState>
    );
  return (
    <Table striped withTableBorder data-testid="balancing-log">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When</Table.Th>
          <Table.Th>Charger</Table.Th>
          <Table.Th>What</Table.Th>
          <Table.Th>Limit</Table.Th>
          <Table.Th>Why</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {log.data.map((e) => (
          <Table.Tr key={e.id}>
            <Table.Td>{formatDateTime(e.at, timeZone)}</Table.Td>
            <Table.Td>
              {e.stationName}
              {e.connectorNumber > 0 ? ` · ${e.connectorNumber}` : ' (all outlets)'}
            </Table.Td>
            <Table.Td>{e.action}</Table.Td>
            <Table.Td>
              {e.fromA !== null ? `${formatNumber(e.fromA, 1)} → ` : ''}
              {formatNumber(e.toA, 1)} A
            </Table.Td>
            <Table.Td>
              <Text size="sm">{e.reason}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function LoadBalancingPage() {
  const { state } = useSession();
  const role = state.phase === 'ready' ? state.user.role : 'ev_user';
  const sites = useQuery('site-list', {});
  const [chosen, setChosen] = useState<number | null>(null);
  const list = sites.data ?? [];
  const siteId = chosen ?? list[0]?.id ?? null;
  const site = list.find((s) => s.id === siteId);
  if (sites.error) return <ErrorAlert error={sites.error} />;
  if (sites.loading) return <Loading />;
  return (
    <>
      <PageHeader
        title="Load balancing"
        subtitle="The chargers share what the building’s supply leaves, per phase, and never exceed a limit."
        actions={
          list.length > 1 ? (
            <Select
              aria-label="Site"
              data={list.map((s) => ({ value: String(s.id), label: s.name }))}
              value={siteId === null ? null : String(siteId)}
              onChange={(v) => setChosen(v ? Number(v) : null)}
              allowDeselect={false}
            />
          ) : null
        }
      />
      {siteId === null ? (
        <EmptyState title="No site yet">Add a site first (Dashboard → Add site).</EmptyState>
      ) : (
        <Tabs defaultValue="live" keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="live">Live</Tabs.Tab>
            <Tabs.Tab value="model">Model</Tabs.Tab>
            <Tabs.Tab value="log">Log</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="live">
            <LivePanel siteId={siteId} timeZone={site?.timeZone} />
          </Tabs.Panel>
          <Tabs.Panel value="model">
            <ModelEditor key={siteId} siteId={siteId} canEdit={can.editSite(role)} />
          </Tabs.Panel>
          <Tabs.Panel value="log">
            <LogPanel siteId={siteId} timeZone={site?.timeZone} />
          </Tabs.Panel>
        </Tabs>
      )}
    </>
  );
}
