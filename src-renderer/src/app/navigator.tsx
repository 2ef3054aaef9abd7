// The navigator: organisation → site → floor → station → outlet, as nested links (every item is a
// focusable <a>, so Tab/Enter work). Station and outlet colours follow the live connector status.
import type { ReactNode } from 'react';
import {
  NavLink as MantineNavLink,
  Box,
  Text,
  Tooltip,
  ColorSwatch,
  Group,
  type NavLinkProps,
} from '@mantine/core';
import { Link, useLocation } from 'react-router';
import {
  IconBuilding,
  IconBuildingSkyscraper,
  IconChargingPile,
  IconPlug,
  IconStack2,
} from '@tabler/icons-react';
import { useTree, type TreeSite, type TreeStation } from './tree';
import { statusLabel, statusTone, TONE_COLOR, type StatusTone } from '../lib/status';
import { Loading } from '../components/common';
import { strataPlanLabel } from '../../../src-shared/validation';

/**
 * One tree item: a plain link (Mantine's NavLink with children turns the link into a collapse
 * toggle and swallows navigation), its children indented below it.
 */
function Node({
  children,
  offset,
  ...link
}: Omit<NavLinkProps, 'children' | 'component'> & {
  to: string;
  children?: ReactNode;
  offset: number;
  'data-testid'?: string;
  'data-tone'?: string;
}) {
  return (
    <>
      <MantineNavLink component={Link} {...link} />
      {children ? (
        <Box pl={offset} role="group">
          {children}
        </Box>
      ) : null}
    </>
  );
}

/** Worst tone first: a station shows its most urgent connector state. */
const TONE_ORDER: StatusTone[] = [
  'fault',
  'unavailable',
  'charging',
  'busy',
  'available',
  'offline',
];

export function stationTone(st: TreeStation): StatusTone {
  if (!st.connected) return 'offline';
  const tones = st.connectors.map((c) => statusTone(c.status));
  return TONE_ORDER.find((t) => tones.includes(t)) ?? 'available';
}

function StationNode({ station, path }: { station: TreeStation; path: string }) {
  const to = `/stations/${station.id}`;
  const active = path === to || path.startsWith(to + '/');
  const tone = stationTone(station);
  return (
    <Node
      to={to}
      active={path === to || path === `${to}/general`}
      label={station.name}
      description={station.identity}
      leftSection={
        <IconChargingPile size={16} color={`var(--mantine-color-${TONE_COLOR[tone]}-6)`} />
      }
      rightSection={
        <Tooltip label={station.connected ? 'Online' : 'Offline'}>
          <ColorSwatch
            size={10}
            color={`var(--mantine-color-${TONE_COLOR[tone]}-6)`}
            aria-label={station.connected ? 'online' : 'offline'}
          />
        </Tooltip>
      }
      data-testid={`nav-station-${station.identity}`}
      data-tone={tone}
      offset={20}
    >
      {active
        ? station.connectors.map((c) => {
            const ctone = statusTone(c.status, station.connected);
            const cto = `${to}/connectors/${c.connectorNumber}`;
            return (
              <MantineNavLink
                key={c.id}
                component={Link}
                to={cto}
                active={path === cto}
                label={`Outlet ${c.connectorNumber}`}
                leftSection={<IconPlug size={14} />}
                rightSection={
                  <Text size="xs" c={TONE_COLOR[ctone]} fw={600} data-testid="outlet-status">
                    {statusLabel(c.status, station.connected)}
                  </Text>
                }
                data-tone={ctone}
              />
            );
          })
        : null}
    </Node>
  );
}

function SiteNode({ site, path }: { site: TreeSite; path: string }) {
  const to = `/sites/${site.id}`;
  const unplaced = site.stations.filter((s) => s.floorId == null);
  const floors = [...site.floors].sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));
  return (
    // Always expanded: a building has a handful of levels.
    <Node
      to={to}
      active={path === to}
      label={site.name}
      description={strataPlanLabel(site.strataPlan) ?? undefined}
      leftSection={<IconBuilding size={16} />}
      offset={14}
    >
      {floors.map((floor) => {
        const fto = `${to}/floors/${floor.id}`;
        const stations = site.stations.filter((s) => s.floorId === floor.id);
        return (
          <Node
            key={floor.id}
            to={fto}
            active={path === fto}
            label={floor.name}
            leftSection={<IconStack2 size={16} />}
            offset={14}
          >
            {stations.length
              ? stations.map((st) => <StationNode key={st.id} station={st} path={path} />)
              : null}
          </Node>
        );
      })}
      {unplaced.map((st) => (
        <StationNode key={st.id} station={st} path={path} />
      ))}
    </Node>
  );
}

export function Navigator() {
  const { data, loading, error } = useTree();
  const { pathname } = useLocation();
  if (loading) return <Loading label="Loading sites…" />;
  if (error || !data)
    return (
      <Text c="red" size="sm">
        Could not load the sites.
      </Text>
    );
  return (
    <Box component="nav" aria-label="Navigator">
      <Group gap={6} px="sm" py={6} wrap="nowrap">
        <IconBuildingSkyscraper size={16} style={{ flexShrink: 0 }} />
        <Text size="sm" fw={700} truncate style={{ minWidth: 0 }}>
          {data.organisation?.name ?? 'Organisation'}
        </Text>
      </Group>
      {data.sites.length === 0 ? (
        <Text size="sm" c="dimmed" px="sm">
          No sites you can see yet.
        </Text>
      ) : (
        data.sites.map((site) => <SiteNode key={site.id} site={site} path={pathname} />)
      )}
    </Box>
  );
}
