import { Badge, Group, Tabs, Text } from '@mantine/core';
import { useNavigate, useParams } from 'react-router';
import type { CoreEvent } from '../../../../src-shared/api/events';
import { useQuery } from '../../api/use-query';
import { useUser } from '../../app/session';
import { ErrorAlert, Loading, PageHeader } from '../../components/common';
import { can } from '../../lib/permissions';
import { GeneralTab } from './general-tab';
import { ControlTab } from './control-tab';
import { ConfigTab } from './config-tab';
import { TransactionsTab } from './transactions-tab';
import { LogTab } from './log-tab';

const TABS = ['general', 'control', 'configuration', 'transactions', 'log'] as const;
type Tab = (typeof TABS)[number];
const isTab = (v: string | undefined): v is Tab => TABS.some((t) => t === v);

export function stationEvent(stationId: number) {
  return (e: CoreEvent): boolean => {
    switch (e.type) {
      case 'tree-changed':
        return true;
      case 'connector-status':
      case 'station-connection':
      case 'station-booted':
      case 'station-firmware-status':
        return e.stationId === stationId;
      default:
        return false;
    }
  };
}

export function StationPage() {
  const params = useParams();
  const stationId = Number(params.stationId);
  const tab: Tab = isTab(params.tab) ? params.tab : 'general';
  const navigate = useNavigate();
  const user = useUser();
  const station = useQuery(
    'station-get',
    { id: stationId },
    { refreshOn: stationEvent(stationId) },
  );
  const siteId = station.data?.siteId;
  const site = useQuery('site-get', { id: siteId ?? 0 }, { enabled: siteId != null });

  if (station.loading) return <Loading />;
  if (station.error || !station.data)
    return station.error ? (
      <ErrorAlert
        error={station.error}
        title={station.error.code === 'forbidden' ? 'No access' : undefined}
      />
    ) : null;
  const st = station.data;
  const timeZone = site.data?.timeZone;
  return (
    <>
      <PageHeader
        title={
          <Group gap="sm">
            {st.name}
            <Badge
              color={st.connected ? 'green' : 'gray'}
              variant="light"
              size="lg"
              data-testid="connection-state"
            >
              {st.connected ? 'Online' : 'Offline'}
            </Badge>
            {!st.approved ? (
              <Badge color="orange" variant="light" size="lg">
                Pending approval
              </Badge>
            ) : null}
          </Group>
        }
        subtitle={
          <Text span ff="monospace" size="sm">
            {st.identity}
          </Text>
        }
      />
      <Tabs
        value={tab}
        onChange={(v) => navigate(`/stations/${stationId}/${v ?? 'general'}`)}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="general">General</Tabs.Tab>
          {can.operateStation(user.role) ? <Tabs.Tab value="control">Control</Tabs.Tab> : null}
          <Tabs.Tab value="configuration">OCPP configuration</Tabs.Tab>
          <Tabs.Tab value="transactions">Transactions</Tabs.Tab>
          <Tabs.Tab value="log">OCPP log</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="general">
          <GeneralTab station={st} timeZone={timeZone} onChanged={station.refresh} />
        </Tabs.Panel>
        <Tabs.Panel value="control">
          <ControlTab station={st} timeZone={timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="configuration">
          <ConfigTab station={st} timeZone={timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="transactions">
          <TransactionsTab station={st} timeZone={timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="log">
          <LogTab station={st} timeZone={timeZone} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
