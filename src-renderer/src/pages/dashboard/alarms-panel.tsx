// The dashboard's active alarms: counts by severity and the latest few, for all sites or the one
// picked, refreshed by the core's alarm events; each links to the alarms page.
import { Anchor, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from '../../api/use-query';
import { SEVERITIES, SEVERITY_LABELS } from '../../../../src-shared/alarms';
import { SEVERITY_COLOR } from '../../app/alarms';
import { formatAgo } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { describeError } from '../../lib/errors';

export function AlarmsPanel({ siteId }: { siteId: number | null }) {
  const now = useNow(30_000);
  const q = useQuery(
    'alarm-list',
    { view: 'active', limit: 6, ...(siteId ? { siteId } : {}) },
    { refreshOn: (e) => e.type === 'alarm-raised' || e.type === 'alarm-changed' },
  );
  const counts = useQuery(
    'alarm-summary',
    {},
    { refreshOn: (e) => e.type === 'alarm-raised' || e.type === 'alarm-changed' },
  );
  if (q.error)
    return (
      <Text size="sm" c="red" role="alert">
        {describeError(q.error)}
      </Text>
    );
  const list = q.data?.alarms ?? [];
  const site = siteId ? counts.data?.sites.find((s) => s.siteId === siteId) : null;
  const total = siteId ? (site?.count ?? 0) : (counts.data?.total ?? 0);
  const bySeverity = siteId ? site?.bySeverity : counts.data?.bySeverity;
  return (
    <Stack gap="xs" data-testid="alarms-panel">
      <Group gap="xs">
        {SEVERITIES.map((s) => (
          <Badge key={s} color={SEVERITY_COLOR[s]} variant="light" data-testid={`alarm-count-${s}`}>
            {SEVERITY_LABELS[s]}: {bySeverity?.[s] ?? 0}
          </Badge>
        ))}
      </Group>
      {list.length === 0 ? (
        <Text size="sm">No active alarms: every charger is reporting normally.</Text>
      ) : (
        <Table aria-label="Active alarms" verticalSpacing={4}>
          <Table.Tbody>
            {list.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td w={12}>
                  <Badge
                    size="xs"
                    circle
                    color={SEVERITY_COLOR[a.severity]}
                    aria-label={a.severity}
                  >
                    {' '}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={2}>
                    {a.title}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="xs" c="dimmed">
                    {formatAgo(a.lastAt, now)}
                    {a.count > 1 ? ` · ×${a.count}` : ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Anchor component={Link} to="/alarms" size="sm">
        {total > list.length ? `All ${total} active alarms` : 'Open the alarms page'}
      </Anchor>
    </Stack>
  );
}
