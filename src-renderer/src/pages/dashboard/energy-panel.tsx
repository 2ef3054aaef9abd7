// Energy today and this month (local days of the site's zone, from the core's reports totals)
// with a sparkline of the last 30 days; it links to the reports page behind it.
import { Anchor, Group, Stack, Text } from '@mantine/core';
import { Sparkline } from '@mantine/charts';
import { Link } from 'react-router';
import { useQuery } from '../../api/use-query';
import { formatEnergyWh, formatNumber } from '../../lib/format';
import { describeError } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { useUser } from '../../app/session';

const monthLabel = (month: string) =>
  new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-AU', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

export function EnergyPanel({ siteId }: { siteId: number | null }) {
  const user = useUser();
  const q = useQuery('dashboard-energy', siteId ? { siteId } : {}, {
    refreshOn: (e) => e.type === 'transaction-stopped' || e.type === 'transaction-started',
  });
  if (q.error) {
    return (
      <Text size="sm" c="red" role="alert">
        {describeError(q.error)}
      </Text>
    );
  }
  const e = q.data;
  if (!e) return <Text size="sm">Loading…</Text>;
  return (
    <Stack gap={6}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Text size="xs" c="dimmed">
            Today
          </Text>
          <Text fw={700} size="xl" data-testid="energy-today">
            {formatEnergyWh(e.today.energyWh)}
          </Text>
          <Text size="xs" c="dimmed">
            {formatNumber(e.today.sessions)} {e.today.sessions === 1 ? 'session' : 'sessions'}
          </Text>
        </div>
        <div style={{ textAlign: 'right' }}>
          <Text size="xs" c="dimmed">
            {monthLabel(e.month.month)}
          </Text>
          <Text fw={700} size="xl" data-testid="energy-month">
            {formatEnergyWh(e.month.energyWh)}
          </Text>
          <Text size="xs" c="dimmed">
            {formatNumber(e.month.sessions)} {e.month.sessions === 1 ? 'session' : 'sessions'}
          </Text>
        </div>
      </Group>
      <Sparkline
        h={48}
        data={e.days.map((d) => d.energyWh / 1000)}
        curveType="linear"
        color="teal"
        fillOpacity={0.4}
        strokeWidth={1.5}
        aria-label={`Energy per day over the last ${e.days.length} days`}
      />
      <Text size="xs" c="dimmed">
        Last {e.days.length} days, local days in {e.zone}.
      </Text>
      {can.viewReports(user.role) ? (
        <Anchor component={Link} to="/reports" size="sm">
          Open the reports
        </Anchor>
      ) : (
        <Anchor component={Link} to="/sessions" size="sm">
          Open the sessions
        </Anchor>
      )}
    </Stack>
  );
}
