// The building's current per phase against the supply's limit: what the rest of the building
// draws (measured, or the assumed worst case) plus what the chargers draw, read from load
// balancing's live view (balancing-live, the same read as Load balancing → Live) and refreshed by
// its events, never on a timer. A site without load balancing says how to set it up.
import { Anchor, Box, Group, Progress, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Tree } from '../../../../src-shared/model';
import { useQuery } from '../../api/use-query';
import { describeError } from '../../lib/errors';
import { formatNumber } from '../../lib/format';

type TreeSite = Tree['sites'][number];

const amps = (a: number) => `${formatNumber(a, 1)} A`;
const pct = (a: number, of: number) => (of > 0 ? Math.max(0, Math.min(100, (a / of) * 100)) : 0);

function SiteCurrent({ site, named }: { site: TreeSite; named: boolean }) {
  const q = useQuery(
    'balancing-live',
    { siteId: site.id },
    { refreshOn: (e) => e.type === 'balancing-changed' && e.siteId === site.id },
  );
  const title = named ? (
    <Text size="sm" fw={600}>
      {site.name}
    </Text>
  ) : null;
  if (q.error)
    return (
      <Text size="sm" c="red" role="alert">
        {describeError(q.error)}
      </Text>
    );
  if (!q.data) return null;
  const supply = q.data.nodes.find((n) => n.kind === 'supply');
  if (!q.data.enabled || !supply)
    return (
      <Stack gap={2} data-testid={`building-current-${site.id}`}>
        {title}
        <Text size="sm">
          {q.data.saved
            ? 'Load balancing is off at this site: turn it on in its Model tab to see the current per phase here.'
            : 'No load balancing at this site yet: describe the supply and how the chargers are wired under Load balancing → Model, then turn it on.'}
        </Text>
      </Stack>
    );
  const measured = supply.phases.some((p) => p.measured);
  return (
    <Stack gap={4} data-testid={`building-current-${site.id}`}>
      {title}
      {supply.phases.map((p) => {
        const total = p.otherA + p.drawA;
        const over = total > p.limitA + 1e-6;
        return (
          <Group key={p.phase} gap="xs" wrap="nowrap" data-testid={`building-phase-${p.phase}`}>
            <Text size="sm" w={24} fw={600}>
              {p.phase}
            </Text>
            <Box style={{ flex: 1 }}>
              <Progress.Root size={14} aria-label={`${p.phase} current`}>
                <Progress.Section value={pct(p.otherA, p.limitA)} color="gray.5" />
                <Progress.Section value={pct(p.drawA, p.limitA)} color={over ? 'red' : 'teal'} />
              </Progress.Root>
            </Box>
            <Text
              size="sm"
              ta="right"
              c={over ? 'red' : undefined}
              style={{ whiteSpace: 'nowrap' }}
            >
              {amps(total)} of {amps(p.limitA)}
            </Text>
          </Group>
        );
      })}
      <Text size="xs" c="dimmed">
        Grey: the rest of the building ({measured ? 'read or typed in' : 'assumed, no reading'});
        green: the chargers.
      </Text>
    </Stack>
  );
}

export function BuildingCurrentPanel({ sites }: { sites: TreeSite[] }) {
  return (
    <Stack gap="sm">
      {sites.map((s) => (
        <SiteCurrent key={s.id} site={s} named={sites.length > 1} />
      ))}
      <Anchor component={Link} to="/load-balancing" size="sm">
        Open load balancing
      </Anchor>
    </Stack>
  );
}
