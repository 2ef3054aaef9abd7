import { useState } from 'react';
import { Anchor, Badge, Button, Group, Paper, Table, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '../api/use-query';
import { useUser } from '../app/session';
import { findFloorSite, useTree } from '../app/tree';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../components/common';
import { StationDialog } from '../components/station-dialog';
import { can } from '../lib/permissions';
import { formatAgo } from '../lib/format';
import { statusLabel, statusTone, TONE_COLOR } from '../lib/status';
import { useNow } from '../lib/use-now';
import { FloorPlanSection } from './floor/floor-plan-section';

export function FloorPage() {
  const params = useParams();
  const siteId = Number(params.siteId);
  const floorId = Number(params.floorId);
  const user = useUser();
  const now = useNow(30_000);
  const tree = useTree();
  const site = findFloorSite(tree.data, floorId);
  const floor = site?.floors.find((f) => f.id === floorId);
  const stations = useQuery(
    'station-list',
    { floorId },
    {
      refreshOn: (e) =>
        e.type === 'tree-changed' ||
        ((e.type === 'connector-status' ||
          e.type === 'station-connection' ||
          e.type === 'floor-plan-changed') &&
          e.siteId === siteId),
    },
  );
  const [adding, setAdding] = useState(false);

  if (tree.loading || stations.loading) return <Loading />;
  if (!site || !floor)
    return (
      <EmptyState title="This floor no longer exists">
        Pick another floor in the navigator.
      </EmptyState>
    );
  const list = stations.data ?? [];
  return (
    <>
      <PageHeader
        title={floor.name}
        subtitle={`${site.name} · level ${floor.level}`}
        actions={
          can.createStation(user.role) ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
              Add station
            </Button>
          ) : null
        }
      />
      {stations.error ? <ErrorAlert error={stations.error} /> : null}
      <FloorPlanSection
        siteId={siteId}
        floorId={floorId}
        stations={list}
        editable={can.createStation(user.role)}
      />
      {list.length === 0 ? (
        <EmptyState
          title="No charging stations on this floor yet"
          action={
            can.createStation(user.role) ? (
              <Button variant="light" onClick={() => setAdding(true)}>
                Add a station
              </Button>
            ) : undefined
          }
        >
          Add a station with the charge box id configured in the charger, or point the charger at
          this server and adopt it from “New chargers” when it tries to connect.
        </EmptyState>
      ) : (
        <Paper withBorder>
          <Table highlightOnHover verticalSpacing="sm" aria-label="Stations">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Station</Table.Th>
                <Table.Th>Charge box id</Table.Th>
                <Table.Th>Connection</Table.Th>
                <Table.Th>Outlets</Table.Th>
                <Table.Th>Last heartbeat</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((st) => (
                <Table.Tr key={st.id}>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    <Anchor component={Link} to={`/stations/${st.id}`}>
                      {st.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {st.identity}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={st.connected ? 'green' : 'gray'} variant="light">
                      {st.connected ? 'Online' : 'Offline'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {st.connectors.map((c) => (
                        <Badge
                          key={c.id}
                          color={TONE_COLOR[statusTone(c.status, st.connected)]}
                          variant="dot"
                        >
                          {c.connectorNumber}: {statusLabel(c.status, st.connected)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatAgo(st.lastHeartbeatAt, now)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {adding ? (
        <StationDialog
          siteId={site.id}
          floorId={floorId}
          floors={site.floors}
          onClose={() => {
            setAdding(false);
            stations.refresh();
          }}
        />
      ) : null}
    </>
  );
}
