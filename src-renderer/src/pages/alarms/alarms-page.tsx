// Alarms: active alarms, alarm history and the event log (the three views share their filters),
// the user's own notification settings and the rules. One route per tab (/alarms/:tab).
import { Badge, Tabs } from '@mantine/core';
import { useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/common';
import { useAlarms } from '../../app/alarms';
import { useAlarmFilters } from './alarm-filters';
import { ActiveAlarms, AlarmEventLog, AlarmHistory } from './alarm-views';
import { NotificationPrefs } from './notification-prefs';
import { AlarmRules } from './alarm-rules';

const TABS = ['active', 'history', 'events', 'notifications', 'rules'] as const;

export function AlarmsPage() {
  const { tab: raw = 'active' } = useParams();
  const tab = (TABS as readonly string[]).includes(raw) ? raw : 'active';
  const navigate = useNavigate();
  const filters = useAlarmFilters();
  const { total, bySeverity } = useAlarms();
  return (
    <>
      <PageHeader
        title="Alarms"
        subtitle="Faults, chargers offline and anything else that needs someone: acknowledge to say you are on it, clear with a reason once it is fixed. Most clear themselves."
      />
      <Tabs
        value={tab}
        onChange={(t) => void navigate(`/alarms/${t ?? 'active'}`)}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab
            value="active"
            rightSection={
              total ? (
                <Badge size="sm" color={bySeverity.critical ? 'red' : 'orange'}>
                  {total}
                </Badge>
              ) : undefined
            }
          >
            Active alarms
          </Tabs.Tab>
          <Tabs.Tab value="history">Alarm history</Tabs.Tab>
          <Tabs.Tab value="events">Event log</Tabs.Tab>
          <Tabs.Tab value="notifications">My notifications</Tabs.Tab>
          <Tabs.Tab value="rules">Rules</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="active">
          <ActiveAlarms f={filters} />
        </Tabs.Panel>
        <Tabs.Panel value="history">
          <AlarmHistory f={filters} />
        </Tabs.Panel>
        <Tabs.Panel value="events">
          <AlarmEventLog f={filters} />
        </Tabs.Panel>
        <Tabs.Panel value="notifications">
          <NotificationPrefs />
        </Tabs.Panel>
        <Tabs.Panel value="rules">
          <AlarmRules />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
