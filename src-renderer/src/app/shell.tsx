import { useEffect, useState, type ReactNode } from 'react';
import {
  ActionIcon,
  AppShell,
  Avatar,
  Badge,
  Burger,
  Divider,
  Group,
  Menu,
  NavLink as MantineNavLink,
  ScrollArea,
  Text,
  Tooltip,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useLocation, useMatch } from 'react-router';
import {
  IconBolt,
  IconChevronDown,
  IconCreditCard,
  IconGauge,
  IconKey,
  IconLayoutDashboard,
  IconListDetails,
  IconLogout,
  IconMoon,
  IconReceipt2,
  IconChartBar,
  IconFlag,
  IconMail,
  IconSettings,
  IconSun,
  IconUsers,
  IconAlarm,
  IconPlugConnected,
  IconMap2,
} from '@tabler/icons-react';
import { ROLE_LABELS } from '../../../src-shared/roles';
import { api } from '../api/client';
import type { LinkState } from '../api/transport';
import { useSession, useUser } from './session';
import { findFloorSite, findStation, useTree } from './tree';
import { Navigator } from './navigator';
import { AlarmsProvider, useAlarms } from './alarms';
import { ChangePasswordDialog } from '../pages/change-password-dialog';
import { can } from '../lib/permissions';

export function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  const next = computed === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={`Switch to ${next} theme`}>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={`Switch to ${next} theme`}
        data-testid="theme-toggle"
        onClick={() => setColorScheme(next)}
      >
        {computed === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}

function useLinkState(): LinkState {
  const [state, setState] = useState<LinkState>('open');
  useEffect(() => api.onLinkState(setState), []);
  return state;
}

/** The site the current page belongs to, for the header. */
function useSiteContext(): string | null {
  const { data } = useTree();
  const site = useMatch('/sites/:siteId/*');
  const station = useMatch('/stations/:stationId/*');
  const floor = useMatch('/sites/:siteId/floors/:floorId');
  if (floor) return findFloorSite(data, Number(floor.params.floorId))?.name ?? null;
  if (site) return data?.sites.find((s) => s.id === Number(site.params.siteId))?.name ?? null;
  if (station) return findStation(data, Number(station.params.stationId))?.site.name ?? null;
  return null;
}

function UserMenu({ onChangePassword }: { onChangePassword: () => void }) {
  const user = useUser();
  const { logout } = useSession();
  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label="User menu" data-testid="user-menu">
          <Group gap={8}>
            <Avatar size="sm" radius="xl" color="teal">
              {user.name.slice(0, 1).toUpperCase()}
            </Avatar>
            <div style={{ lineHeight: 1.1 }}>
              <Text size="sm" fw={600}>
                {user.name}
              </Text>
              <Text size="xs" c="dimmed">
                {ROLE_LABELS[user.role]}
              </Text>
            </div>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{user.email}</Menu.Label>
        <Menu.Item leftSection={<IconKey size={16} />} onClick={onChangePassword}>
          Change password
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => void logout()}>
          Log out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  show: boolean;
  /** A page that only says what a later release brings (pages/placeholder-page.tsx). */
  coming?: boolean;
  /** A number beside the link (active alarms). */
  count?: number;
}

/** The frame with the alarm counts and pop-ups every page shares (staff: app/alarms.tsx). */
export function Shell({ children }: { children: ReactNode }) {
  const user = useUser();
  return (
    <AlarmsProvider enabled={can.isStaff(user.role)}>
      <ShellFrame>{children}</ShellFrame>
    </AlarmsProvider>
  );
}

function ShellFrame({ children }: { children: ReactNode }) {
  const user = useUser();
  const [mobileOpen, { toggle }] = useDisclosure(false);
  const [pwOpen, setPwOpen] = useState(false);
  const { pathname } = useLocation();
  const siteName = useSiteContext();
  const link = useLinkState();
  const alarms = useAlarms();
  const r = user.role;
  const items: NavItem[] = [
    {
      to: '/',
      label: can.isStaff(r) ? 'Dashboard' : 'My charging',
      icon: <IconLayoutDashboard size={18} />,
      show: true,
    },
    {
      to: '/map',
      label: 'Site map',
      icon: <IconMap2 size={18} />,
      show: can.isStaff(r),
    },
    {
      to: '/chargers',
      label: 'New chargers',
      icon: <IconPlugConnected size={18} />,
      show: can.createStation(r),
    },
    {
      to: '/load-balancing',
      label: 'Load balancing',
      icon: <IconGauge size={18} />,
      show: can.editSite(r),
    },
    {
      to: '/sessions',
      label: 'Sessions',
      icon: <IconBolt size={18} />,
      show: true,
    },
    {
      to: '/sessions/review',
      label: 'Review queue',
      icon: <IconFlag size={18} />,
      show: can.viewBilling(r),
    },
    {
      to: '/reports',
      label: 'Reports',
      icon: <IconChartBar size={18} />,
      show: can.viewReports(r),
    },
    {
      to: '/billing',
      label: 'Billing',
      icon: <IconReceipt2 size={18} />,
      show: can.viewBilling(r),
    },
    {
      to: '/alarms',
      label: 'Alarms',
      icon: <IconAlarm size={18} />,
      show: can.isStaff(r),
      count: alarms.total,
    },
    {
      to: '/cards',
      label: 'Residents & cards',
      icon: <IconCreditCard size={18} />,
      show: can.editSite(r),
    },
    { to: '/users', label: 'Users', icon: <IconUsers size={18} />, show: can.manageUsers(r) },
    {
      to: '/audit',
      label: 'Audit log',
      icon: <IconListDetails size={18} />,
      show: can.viewAudit(r),
    },
    { to: '/email', label: 'Email', icon: <IconMail size={18} />, show: can.manageMail(r) },
    { to: '/settings', label: 'Settings', icon: <IconSettings size={18} />, show: can.isStaff(r) },
  ];

  // The most specific item the address is under (/sessions/review is the review queue's, not
  // the sessions page's).
  const activeTo = items
    .filter((i) => (i.to === '/' ? pathname === '/' : pathname.startsWith(i.to)))
    .reduce<string | null>(
      (best, i) => (best === null || i.to.length > best.length ? i.to : best),
      null,
    );

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 300, breakpoint: 'sm', collapsed: { mobile: !mobileOpen } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={mobileOpen}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Menu"
            />
            <Link to="/" style={{ textDecoration: 'none', color: 'inherit' }}>
              <Group gap={6} wrap="nowrap">
                <IconBolt size={22} color="var(--mantine-color-teal-6)" />
                <Text fw={800} size="lg">
                  StrataCharge
                </Text>
              </Group>
            </Link>
            {siteName ? (
              <>
                <Divider orientation="vertical" />
                <Text size="sm" c="dimmed" data-testid="site-context" truncate maw={280}>
                  {siteName}
                </Text>
              </>
            ) : null}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {link !== 'open' ? (
              <Badge color="orange" variant="light" data-testid="link-state">
                Reconnecting…
              </Badge>
            ) : null}
            <ThemeToggle />
            <UserMenu onChangePassword={() => setPwOpen(true)} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar>
        <AppShell.Section p="xs">
          {items
            .filter((i) => i.show)
            .map((i) => (
              <MantineNavLink
                key={i.to}
                component={Link}
                to={i.to}
                label={i.label}
                leftSection={i.icon}
                rightSection={
                  i.coming ? (
                    // The link's name stays the page's; the page itself says what is coming.
                    <Badge size="xs" variant="outline" color="gray" aria-hidden>
                      Coming
                    </Badge>
                  ) : i.count ? (
                    <Badge
                      size="sm"
                      color={alarms.bySeverity.critical ? 'red' : 'orange'}
                      aria-label={`${i.count} active`}
                      data-testid="nav-alarm-count"
                    >
                      {i.count}
                    </Badge>
                  ) : undefined
                }
                active={i.to === activeTo}
              />
            ))}
        </AppShell.Section>
        <Divider />
        <AppShell.Section grow component={ScrollArea} p="xs">
          {can.isStaff(r) ? <Navigator /> : null}
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
      <ChangePasswordDialog opened={pwOpen} onClose={() => setPwOpen(false)} />
    </AppShell>
  );
}
