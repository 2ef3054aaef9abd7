import { HashRouter, Route, Routes, Navigate } from 'react-router';
import { Center, Stack, Text, Title, Button } from '@mantine/core';
import { SessionProvider, useSession } from './session';
import { TreeProvider } from './tree';
import { Shell } from './shell';
import { Loading } from '../components/common';
import { SetupPage } from '../pages/setup-page';
import { LoginPage } from '../pages/login-page';
import { DashboardPage } from '../pages/dashboard-page';
import { SitePage } from '../pages/site-page';
import { FloorPage } from '../pages/floor-page';
import { StationPage } from '../pages/station-page';
import { ConnectorPage } from '../pages/connector-page';
import { UsersPage } from '../pages/users-page';
import { AuditPage } from '../pages/audit-page';
import { SettingsPage } from '../pages/settings-page';
import { EmailPage } from '../pages/email-page';
import { PlaceholderPage, PLACEHOLDERS } from '../pages/placeholder-page';
import { EvUserPage } from '../pages/ev-user-page';
import { ResidentsPage } from '../pages/residents/residents-page';
import { BillingPage } from '../pages/billing/billing-page';
import { ChargersPage } from '../pages/chargers-page';
import { AlarmsPage } from '../pages/alarms/alarms-page';
import { SessionPage } from '../pages/session/session-page';
import { ReportsPage } from '../pages/reports/reports-page';
import { SiteMapPage } from '../pages/site-map/site-map-page';
import { SessionsPage } from '../pages/sessions/sessions-page';
import { ReviewPage } from '../pages/sessions/review-page';
import { LoadBalancingPage } from '../pages/load-balancing/load-balancing-page';
import { ChangePasswordDialog } from '../pages/change-password-dialog';
import { can } from '../lib/permissions';

function Routed() {
  const { state, reload } = useSession();
  switch (state.phase) {
    case 'loading':
      return <Loading label="Connecting to StrataCharge…" />;
    case 'unreachable':
      return (
        <Center mih="100vh">
          <Stack align="center">
            <Title order={3}>Cannot reach the StrataCharge service</Title>
            <Text c="dimmed">{state.message}</Text>
            <Button onClick={() => void reload()}>Try again</Button>
          </Stack>
        </Center>
      );
    case 'setup':
      return <SetupPage defaultTimeZone={state.defaultTimeZone} />;
    case 'login':
      return <LoginPage notice={state.notice} />;
    case 'ready': {
      // After a password reset the core refuses everything until a new password is chosen.
      if (state.user.mustChangePassword)
        return <ChangePasswordDialog opened required onClose={() => void reload()} />;
      const role = state.user.role;
      const staff = can.isStaff(role);
      return (
        <TreeProvider enabled={staff}>
          <Shell>
            <Routes>
              <Route path="/" element={staff ? <DashboardPage /> : <EvUserPage />} />
              {/* Every role: an EV user opens their own sessions (the core refuses others'). */}
              <Route path="/sessions/:id" element={<SessionPage />} />
              <Route path="/sessions" element={<SessionsPage />} />
              {can.viewBilling(role) ? (
                <Route path="/sessions/review" element={<ReviewPage />} />
              ) : null}
              {can.viewReports(role) ? <Route path="/reports" element={<ReportsPage />} /> : null}
              {staff ? (
                <>
                  <Route path="/sites/:siteId" element={<SitePage />} />
                  <Route path="/sites/:siteId/floors/:floorId" element={<FloorPage />} />
                  <Route path="/stations/:stationId" element={<StationPage />} />
                  <Route
                    path="/stations/:stationId/connectors/:connectorNumber"
                    element={<ConnectorPage />}
                  />
                  <Route path="/stations/:stationId/:tab" element={<StationPage />} />
                  <Route path="/settings" element={<SettingsPage />} />
                  <Route path="/map" element={<SiteMapPage />} />
                  <Route path="/chargers" element={<ChargersPage />} />
                  <Route path="/alarms" element={<AlarmsPage />} />
                  <Route path="/alarms/:tab" element={<AlarmsPage />} />
                  {can.editSite(role) ? <Route path="/cards" element={<ResidentsPage />} /> : null}
                  <Route path="/load-balancing" element={<LoadBalancingPage />} />
                  {can.viewBilling(role) ? (
                    <Route path="/billing" element={<BillingPage />} />
                  ) : null}
                  {PLACEHOLDERS.map((p) => (
                    <Route key={p.path} path={p.path} element={<PlaceholderPage {...p} />} />
                  ))}
                </>
              ) : null}
              {can.manageUsers(role) ? <Route path="/users" element={<UsersPage />} /> : null}
              {can.viewAudit(role) ? <Route path="/audit" element={<AuditPage />} /> : null}
              {can.manageMail(role) ? (
                <>
                  <Route path="/email" element={<EmailPage />} />
                  <Route path="/email/:tab" element={<EmailPage />} />
                </>
              ) : null}
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </Shell>
        </TreeProvider>
      );
    }
  }
}

export function App() {
  return (
    // Hash routing: works from file:// in the desktop app and over http from the service.
    <HashRouter>
      <SessionProvider>
        <Routed />
      </SessionProvider>
    </HashRouter>
  );
}
