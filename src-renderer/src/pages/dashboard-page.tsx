import { Badge, Card, Group, SimpleGrid, Stack, Text, Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { useTree } from '../app/tree';
import { useUser } from '../app/session';
import { AddSiteButton } from '../components/add-site-button';
import { can } from '../lib/permissions';
import { stationTone } from '../app/navigator';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../components/common';
import { statusTone, TONE_COLOR, type StatusTone } from '../lib/status';
import { formatNumber } from '../lib/format';
import { strataPlanLabel } from '../../../src-shared/validation';
import { PanelBoard } from './dashboard/panel-board';

const TONE_TITLE: Record<StatusTone, string> = {
  available: 'Available',
  charging: 'Charging',
  busy: 'In use',
  fault: 'Faulted',
  unavailable: 'Unavailable',
  offline: 'Offline',
};

function Stat({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700} c={color}>
        {formatNumber(value)}
      </Text>
    </Card>
  );
}

export function DashboardPage() {
  const { data, error, loading } = useTree();
  const user = useUser();
  if (loading) return <Loading />;
  if (error || !data) return error ? <ErrorAlert error={error} /> : null;
  const stations = data.sites.flatMap((s) => s.stations);
  const connectors = stations.flatMap((st) =>
    st.connectors.map((c) => statusTone(c.status, st.connected)),
  );
  const count = (t: StatusTone) => connectors.filter((c) => c === t).length;
  return (
    <>
      <PageHeader
        title="Overview"
        subtitle={data.organisation?.name ?? undefined}
        actions={can.createSite(user.role) ? <AddSiteButton /> : null}
      />
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="lg">
        <Stat label="Sites" value={data.sites.length} />
        <Stat
          label="Stations online"
          value={stations.filter((s) => s.connected).length}
          color="green"
        />
        <Stat label="Outlets charging" value={count('charging')} color="blue" />
        <Stat label="Outlets faulted" value={count('fault')} color="red" />
      </SimpleGrid>
      {data.sites.length > 0 ? <PanelBoard tree={data} /> : null}
      {data.sites.length === 0 ? (
        <EmptyState title="No sites yet">
          Add the building with “Add site” (administrators); then add its car-park levels and
          chargers from the site page.
        </EmptyState>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {data.sites.map((site) => (
            <Card key={site.id} withBorder padding="lg">
              <Group justify="space-between" mb="xs">
                <Anchor component={Link} to={`/sites/${site.id}`} fw={700}>
                  {site.name}
                </Anchor>
                {site.strataPlan ? (
                  <Badge variant="light">{strataPlanLabel(site.strataPlan)}</Badge>
                ) : null}
              </Group>
              <Text size="sm" c="dimmed" mb="sm">
                {formatNumber(site.floors.length)} floor{site.floors.length === 1 ? '' : 's'} ·{' '}
                {formatNumber(site.stations.length)} station{site.stations.length === 1 ? '' : 's'}
              </Text>
              {site.stations.length === 0 ? (
                <Text size="sm">
                  No charging stations yet — open a floor and add one, or let a charger connect and
                  adopt it under{' '}
                  <Anchor component={Link} to="/chargers">
                    New chargers
                  </Anchor>
                  .
                </Text>
              ) : (
                <Stack gap={4}>
                  {site.stations.map((st) => {
                    const tone = stationTone(st);
                    return (
                      <Group key={st.id} justify="space-between">
                        <Anchor component={Link} to={`/stations/${st.id}`} size="sm">
                          {st.name}
                        </Anchor>
                        <Badge color={TONE_COLOR[tone]} variant="light">
                          {TONE_TITLE[tone]}
                        </Badge>
                      </Group>
                    );
                  })}
                </Stack>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}
    </>
  );
}
