// EV users see only their own data. Their sessions and statements arrive with billing (cards are
// not linked to accounts yet); until then the page says exactly that and shows their account.
import { Paper, Stack, Text, Title } from '@mantine/core';
import { useUser } from '../app/session';
import { useQuery } from '../api/use-query';
import { PageHeader, EmptyState } from '../components/common';

export function EvUserPage() {
  const user = useUser();
  const sites = useQuery('site-list', {});
  return (
    <>
      <PageHeader title={`Hello, ${user.name}`} subtitle="Your charging at a glance." />
      <Stack maw={720}>
        <Paper withBorder p="lg">
          <Title order={5}>Your account</Title>
          <Text size="sm">{user.email}</Text>
          <Text size="sm" c="dimmed">
            {(sites.data ?? []).map((s) => s.name).join(', ') || 'No building assigned yet'}
          </Text>
        </Paper>
        <EmptyState title="Your charging sessions are not shown here yet">
          This version of StrataCharge does not yet connect charging cards to resident accounts, so
          it cannot list your sessions or statements; they will appear here when billing arrives.
          Your card keeps working at the building’s chargers. For a question about a charge, contact
          your strata manager.
        </EmptyState>
      </Stack>
    </>
  );
}
