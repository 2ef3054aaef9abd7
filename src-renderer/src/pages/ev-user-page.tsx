// EV users see only their own data. Their sessions and invoices arrive with billing; until then
// the page says so and shows their account.
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
        <EmptyState title="No charging sessions to show yet">
          Your sessions and monthly statements will appear here. If you charged recently and see
          nothing, ask your strata manager to link your card to your account.
        </EmptyState>
      </Stack>
    </>
  );
}
