// One charging session (route /sessions/:id; the sessions list and the EV user's page link here):
// its facts, a chart of power, energy and per-phase current from the stored meter samples, the
// raw samples and, for staff, the OCPP messages of the transaction. An active session refreshes
// as its charger reports.
import { Anchor, Stack, Tabs } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useQuery } from '../../api/use-query';
import { useUser } from '../../app/session';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/common';
import { can } from '../../lib/permissions';
import { formatDate } from '../../lib/format';
import { SessionChartPanel } from './session-chart';
import { SessionFactsPanel } from './session-facts';
import { SessionSamples } from './session-samples';
import { SessionMessages } from './session-messages';

export function SessionPage() {
  const id = Number(useParams().id);
  const user = useUser();
  const staff = can.isStaff(user.role);
  const valid = Number.isInteger(id) && id > 0;
  const q = useQuery(
    'session-detail-get',
    { id: valid ? id : 1 },
    {
      enabled: valid,
      refreshOn: (e) =>
        (e.type === 'transaction-updated' || e.type === 'transaction-stopped') &&
        e.transactionId === id,
    },
  );
  if (!valid) {
    return (
      <EmptyState title="No such session">
        The address does not name a charging session. Open one from the sessions list.
      </EmptyState>
    );
  }
  const s = q.data?.session;
  const tz = s?.timeZone ?? undefined;
  return (
    <>
      <PageHeader
        title={`Charging session ${id}`}
        subtitle={
          s
            ? `${s.stationName ?? s.identity} · outlet ${s.connectorNumber} · ${formatDate(s.startedAt, tz)}${s.timeZone ? ` · times in ${s.timeZone}` : ''}`
            : undefined
        }
        actions={
          staff ? (
            <Anchor component={Link} to="/sessions" size="sm">
              All sessions
            </Anchor>
          ) : (
            <Anchor component={Link} to="/" size="sm">
              Your charging
            </Anchor>
          )
        }
      />
      {q.error ? <ErrorAlert error={q.error} title="This session cannot be shown" /> : null}
      {q.loading ? <Loading /> : null}
      {s && q.data ? (
        <Stack>
          <SessionFactsPanel s={s} staff={staff} />
          <SessionChartPanel chart={q.data.chart} timeZone={tz} />
          <Tabs defaultValue="samples" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="samples">Meter samples ({s.sampleCount})</Tabs.Tab>
              {staff ? <Tabs.Tab value="messages">OCPP messages</Tabs.Tab> : null}
            </Tabs.List>
            <Tabs.Panel value="samples" pt="sm">
              <SessionSamples id={id} timeZone={tz} />
            </Tabs.Panel>
            {staff ? (
              <Tabs.Panel value="messages" pt="sm">
                <SessionMessages id={id} timeZone={tz} />
              </Tabs.Panel>
            ) : null}
          </Tabs>
        </Stack>
      ) : null}
    </>
  );
}
