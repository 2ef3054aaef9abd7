// The navigator: organisation → site → floor → station → outlet, as nested links (every item is a
// focusable <a>, so Tab/Enter work). Station and outlet colours follow the live connector status.
// Sites and floors fold (a chevron button beside the link); what is open is remembered per
// computer (localStorage). A floor of more than FOLD_ABOVE stations starts folded, so a 60-bay car
// park does not push everything else off the screen; the search box finds a station by name or
// charge box id and unfolds what leads to it. The page being shown is always unfolded.
import { useState, type ReactNode } from 'react';
import {
  NavLink as MantineNavLink,
  ActionIcon,
  Badge,
  Box,
  CloseButton,
  Text,
  TextInput,
  Tooltip,
  ColorSwatch,
  Group,
  type NavLinkProps,
} from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { Link, useLocation } from 'react-router';
import {
  IconChevronDown,
  IconChevronRight,
  IconSearch,
  IconBuilding,
  IconBuildingSkyscraper,
  IconChargingPile,
  IconPlug,
  IconStack2,
} from '@tabler/icons-react';
import { useTree, type TreeSite, type TreeStation } from './tree';
import { statusLabel, statusTone, TONE_COLOR, type StatusTone } from '../lib/status';
import { Loading } from '../components/common';
import { alarmBadgeLabel, SEVERITY_COLOR, useAlarms, type AlarmCount } from './alarms';
import { strataPlanLabel } from '../../../src-shared/validation';

/** Stations on a floor above which it starts folded. */
const FOLD_ABOVE = 12;

/** Which sites/floors are open, by key ('site-3', 'floor-7'); absent = the default. */
type OpenState = Record<string, boolean>;

interface Fold {
  open: boolean;
  onToggle: () => void;
  /** Read out with the toggle: "Level 1". */
  name: string;
}

/**
 * One tree item: a plain link (Mantine's NavLink with children turns the link into a collapse
 * toggle and swallows navigation), a fold button beside it when it has children, and its
 * children indented below it while open.
 */
function Node({
  children,
  offset,
  fold,
  ...link
}: Omit<NavLinkProps, 'children' | 'component'> & {
  to: string;
  children?: ReactNode;
  offset: number;
  /** A fold button, or null for an item that has nothing to fold but sits among ones that do
   *  (kept aligned with them). */
  fold?: Fold | null;
  'data-testid'?: string;
  'data-tone'?: string;
}) {
  const anchor = <MantineNavLink component={Link} {...link} />;
  return (
    <>
      {fold ? (
        <Group gap={0} wrap="nowrap" align="center">
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            aria-expanded={fold.open}
            aria-label={`${fold.open ? 'Fold' : 'Unfold'} ${fold.name}`}
            onClick={fold.onToggle}
          >
            {fold.open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
          </ActionIcon>
          <Box style={{ flex: 1, minWidth: 0 }}>{anchor}</Box>
        </Group>
      ) : fold === null ? (
        <Group gap={0} wrap="nowrap" align="center">
          <Box w={22} style={{ flexShrink: 0 }} />
          <Box style={{ flex: 1, minWidth: 0 }}>{anchor}</Box>
        </Group>
      ) : (
        anchor
      )}
      {children && (fold?.open ?? true) ? (
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

/** The active alarms of a node: a count in the worst severity's colour (none: nothing). */
function AlarmBadge({ alarm, testId }: { alarm: AlarmCount | null; testId: string }) {
  if (!alarm) return null;
  return (
    <Tooltip label={alarmBadgeLabel(alarm)}>
      <Badge
        size="xs"
        circle={alarm.count < 10}
        color={SEVERITY_COLOR[alarm.severity]}
        aria-label={alarmBadgeLabel(alarm)}
        data-testid={testId}
        data-severity={alarm.severity}
      >
        {alarm.count}
      </Badge>
    </Tooltip>
  );
}

function StationNode({ station, path }: { station: TreeStation; path: string }) {
  const to = `/stations/${station.id}`;
  const active = path === to || path.startsWith(to + '/');
  const tone = stationTone(station);
  const alarm = useAlarms().station(station.id);
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
        <Group gap={4} wrap="nowrap">
          <AlarmBadge alarm={alarm} testId={`nav-alarm-${station.identity}`} />
          <Tooltip label={station.connected ? 'Online' : 'Offline'}>
            <ColorSwatch
              size={10}
              color={`var(--mantine-color-${TONE_COLOR[tone]}-6)`}
              aria-label={station.connected ? 'online' : 'offline'}
            />
          </Tooltip>
        </Group>
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

function SiteNode({
  site,
  path,
  openState,
  toggle,
  query,
}: {
  site: TreeSite;
  path: string;
  openState: OpenState;
  toggle: (key: string, open: boolean) => void;
  query: string;
}) {
  const to = `/sites/${site.id}`;
  const siteAlarm = useAlarms().site(site.id);
  const matches = (st: TreeStation) =>
    !query || st.name.toLowerCase().includes(query) || st.identity.toLowerCase().includes(query);
  const showing = (st: TreeStation) =>
    matches(st) || path === `/stations/${st.id}` || path.startsWith(`/stations/${st.id}/`);
  const inside = (stations: TreeStation[]) =>
    stations.some((st) => path === `/stations/${st.id}` || path.startsWith(`/stations/${st.id}/`));
  const unplaced = site.stations.filter((s) => s.floorId == null && showing(s));
  const floors = [...site.floors]
    .sort((a, b) => a.level - b.level || a.name.localeCompare(b.name))
    .map((floor) => ({ floor, stations: site.stations.filter((s) => s.floorId === floor.id) }))
    .filter((f) => !query || f.stations.some(showing));
  if (query && floors.length === 0 && unplaced.length === 0) return null;
  const siteKey = `site-${site.id}`;
  const siteOpen =
    Boolean(query) ||
    path.startsWith(`${to}/`) ||
    inside(site.stations) ||
    openState[siteKey] !== false;
  return (
    <Node
      to={to}
      active={path === to}
      label={site.name}
      description={strataPlanLabel(site.strataPlan) ?? undefined}
      leftSection={<IconBuilding size={16} />}
      rightSection={<AlarmBadge alarm={siteAlarm} testId={`nav-site-alarm-${site.id}`} />}
      offset={14}
      fold={{ open: siteOpen, onToggle: () => toggle(siteKey, !siteOpen), name: site.name }}
    >
      {floors.map(({ floor, stations }) => {
        const fto = `${to}/floors/${floor.id}`;
        const key = `floor-${floor.id}`;
        const open =
          Boolean(query) || inside(stations) || (openState[key] ?? stations.length <= FOLD_ABOVE);
        return (
          <Node
            key={floor.id}
            to={fto}
            active={path === fto}
            label={floor.name}
            description={open ? undefined : `${stations.length} stations`}
            leftSection={<IconStack2 size={16} />}
            offset={14}
            fold={
              stations.length > 0
                ? { open, onToggle: () => toggle(key, !open), name: floor.name }
                : null
            }
          >
            {stations.length
              ? stations
                  .filter(showing)
                  .map((st) => <StationNode key={st.id} station={st} path={path} />)
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
  const [openState, setOpenState] = useLocalStorage<OpenState>({
    key: 'stratacharge-navigator-open',
    defaultValue: {},
  });
  const [search, setSearch] = useState('');
  const query = search.trim().toLowerCase();
  const toggle = (key: string, open: boolean) => setOpenState((prev) => ({ ...prev, [key]: open }));
  const stationCount = data?.sites.reduce((n, s) => n + s.stations.length, 0) ?? 0;
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
      {stationCount > 0 ? (
        <TextInput
          size="xs"
          mx="sm"
          my={4}
          placeholder="Find a station"
          aria-label="Find a station by name or charge box id"
          leftSection={<IconSearch size={14} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          rightSection={
            search ? (
              <CloseButton size="sm" aria-label="Clear the search" onClick={() => setSearch('')} />
            ) : null
          }
        />
      ) : null}
      {data.sites.length === 0 ? (
        <Text size="sm" c="dimmed" px="sm">
          No sites you can see yet.
        </Text>
      ) : (
        data.sites.map((site) => (
          <SiteNode
            key={site.id}
            site={site}
            path={pathname}
            openState={openState}
            toggle={toggle}
            query={query}
          />
        ))
      )}
      {query &&
      !data.sites.some((s) =>
        s.stations.some(
          (st) =>
            st.name.toLowerCase().includes(query) || st.identity.toLowerCase().includes(query),
        ),
      ) ? (
        <Text size="sm" c="dimmed" px="sm" data-testid="navigator-no-match">
          No station matches “{search.trim()}”.
        </Text>
      ) : null}
    </Box>
  );
}
