// The panels a user picked, in their order, for the whole organisation or one site; "Arrange"
// shows, hides and reorders them (remembered per user in the core, layout.ts).
import { useState } from 'react';
import {
  ActionIcon,
  Button,
  Card,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconLayoutDashboard } from '@tabler/icons-react';
import type { Tree } from '../../../../src-shared/model';
import { useUser } from '../../app/session';
import { PANELS, useDashboardLayout, type PanelKey } from './layout';
import { EnergyPanel } from './energy-panel';
import {
  EventsPanel,
  SessionsPanel,
  StatesPanel,
  UnknownCardsPanel,
  UnknownChargersPanel,
} from './panels';
import { AlarmsPanel } from './alarms-panel';
import { BuildingCurrentPanel } from './building-current-panel';

export function PanelBoard({ tree }: { tree: Tree }) {
  const user = useUser();
  const { layout, update, error } = useDashboardLayout(user.id);
  const [arranging, setArranging] = useState(false);
  const [siteId, setSiteId] = useState<number | null>(
    tree.sites.length === 1 ? (tree.sites[0]?.id ?? null) : null,
  );
  const sites = siteId === null ? tree.sites : tree.sites.filter((s) => s.id === siteId);

  const move = (key: PanelKey, by: -1 | 1) => {
    const i = layout.indexOf(key);
    const j = i + by;
    if (i < 0 || j < 0 || j >= layout.length) return;
    const next = [...layout];
    [next[i], next[j]] = [next[j] as PanelKey, key];
    update(next);
  };

  function body(key: PanelKey) {
    switch (key) {
      case 'states':
        return <StatesPanel sites={sites} />;
      case 'sessions':
        return <SessionsPanel siteId={siteId} />;
      case 'energy':
        return <EnergyPanel siteId={siteId} />;
      case 'unknown-chargers':
        return <UnknownChargersPanel />;
      case 'unknown-cards':
        return <UnknownCardsPanel siteId={siteId} />;
      case 'events':
        return <EventsPanel siteId={siteId} />;
      case 'alarms':
        return <AlarmsPanel siteId={siteId} />;
      case 'building-current':
        return <BuildingCurrentPanel sites={sites} />;
    }
  }

  return (
    <Stack mb="lg">
      <Group justify="space-between">
        <Select
          aria-label="Dashboard for"
          data={[
            { value: '', label: 'All sites' },
            ...tree.sites.map((s) => ({ value: String(s.id), label: s.name })),
          ]}
          value={siteId === null ? '' : String(siteId)}
          onChange={(v) => setSiteId(v ? Number(v) : null)}
          allowDeselect={false}
          w={280}
        />
        <Button
          variant="light"
          leftSection={<IconLayoutDashboard size={16} />}
          onClick={() => setArranging((a) => !a)}
        >
          {arranging ? 'Done' : 'Arrange panels'}
        </Button>
      </Group>
      {error ? (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      ) : null}
      {arranging ? (
        <Card withBorder aria-label="Arrange panels" component="section">
          <Text size="sm" mb="xs">
            Tick the panels to show; the arrows set their order. Remembered for you on every
            computer.
          </Text>
          {[...layout, ...PANELS.map((p) => p.key).filter((k) => !layout.includes(k))].map(
            (key) => {
              const shown = layout.includes(key);
              const title = PANELS.find((p) => p.key === key)?.title ?? key;
              return (
                <Group key={key} justify="space-between" mb={4}>
                  <Checkbox
                    label={title}
                    checked={shown}
                    onChange={(e) =>
                      update(
                        e.currentTarget.checked
                          ? [...layout, key]
                          : layout.filter((k) => k !== key),
                      )
                    }
                  />
                  {shown ? (
                    <Group gap={4}>
                      <ActionIcon
                        variant="subtle"
                        aria-label={`Move ${title} up`}
                        onClick={() => move(key, -1)}
                      >
                        <IconArrowUp size={14} />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        aria-label={`Move ${title} down`}
                        onClick={() => move(key, 1)}
                      >
                        <IconArrowDown size={14} />
                      </ActionIcon>
                    </Group>
                  ) : null}
                </Group>
              );
            },
          )}
        </Card>
      ) : null}
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
        {layout.map((key) => (
          <Card
            key={key}
            withBorder
            padding="md"
            component="section"
            aria-label={PANELS.find((p) => p.key === key)?.title}
          >
            <Text fw={700} mb="xs">
              {PANELS.find((p) => p.key === key)?.title}
            </Text>
            {body(key)}
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
