// Load balancing (issue 11): per site, the live allocation, the electrical model editor and the
// log of what the controller sent and why.
import { Table, Text } from '@mantine/core';
import { useQuery } from '../../api/use-query';
import { useSession } from '../../app/session';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { SiteTabsPage, type SiteTab } from '../../components/site-tabs-page';
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

/** The model's editor, editable by those who may edit the site. */
function ModelTab({ siteId }: { siteId: number }) {
  const { state } = useSession();
  const role = state.phase === 'ready' ? state.user.role : 'ev_user';
  return <ModelEditor key={siteId} siteId={siteId} canEdit={can.editSite(role)} />;
}

const TABS: readonly SiteTab[] = [
  {
    value: 'live',
    label: 'Live',
    panel: ({ siteId, timeZone }) => <LivePanel siteId={siteId} timeZone={timeZone} />,
  },
  { value: 'model', label: 'Model', panel: ({ siteId }) => <ModelTab siteId={siteId} /> },
  {
    value: 'log',
    label: 'Log',
    panel: ({ siteId, timeZone }) => <LogPanel siteId={siteId} timeZone={timeZone} />,
  },
];

export function LoadBalancingPage() {
  return (
    <SiteTabsPage
      title="Load balancing"
      subtitle="The chargers share what the building’s supply leaves, per phase, and never exceed a limit."
      keptHere="its load balancing is"
      tabs={TABS}
    />
  );
}
