// EV users see only their own account: its cards and charging sessions (my-account-get finds
// the account from the login; the core refuses every other account's data).
import { Badge, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useUser } from '../app/session';
import { useQuery } from '../api/use-query';
import { PageHeader, EmptyState, ErrorAlert, Loading } from '../components/common';
import { formatDateTime, formatEnergyWh } from '../lib/format';
import { MyInvoices } from './billing/my-invoices';

export function EvUserPage() {
  const user = useUser();
  const mine = useQuery('my-account-get', {});
  const d = mine.data;
  return (
    <>
      <PageHeader title={`Hello, ${user.name}`} subtitle="Your charging at a glance." />
      <Stack maw={820}>
        {mine.error ? <ErrorAlert error={mine.error} /> : null}
        {mine.loading ? <Loading /> : null}
        {d && d.accounts.length === 0 ? (
          <EmptyState title="Your login is not linked to a lot yet">
            Ask your strata manager to link your login to your lot’s account (Residents & cards →
            the account → the resident). Your sessions and cards then appear here. Your card keeps
            working at the building’s chargers meanwhile.
          </EmptyState>
        ) : null}
        {d && d.accounts.length > 0 ? (
          <>
            <Paper withBorder p="lg">
              <Title order={5}>Your account</Title>
              {d.accounts.map((a) => (
                <Text key={a.id} size="sm">
                  Lot {a.lotNumber}
                  {a.unitNumber ? ` · Unit ${a.unitNumber}` : ''} · {a.ownerNames}
                </Text>
              ))}
              <Text size="sm" c="dimmed">
                {user.email}
              </Text>
            </Paper>
            <Paper withBorder p="lg">
              <Title order={5} mb="xs">
                Your cards
              </Title>
              {d.cards.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No card yet: your strata manager issues them.
                </Text>
              ) : (
                d.cards.map((c) => (
                  <Text key={c.id} size="sm">
                    <Text span ff="monospace">
                      {c.idTag}
                    </Text>{' '}
                    {c.label ?? ''} <Badge variant="light">{c.status}</Badge>
                  </Text>
                ))
              )}
            </Paper>
            <Paper withBorder p="lg">
              <Title order={5} mb="xs">
                Your charging sessions
              </Title>
              {d.sessions.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No sessions yet: they appear here as soon as you charge with your card.
                </Text>
              ) : (
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Started</Table.Th>
                      <Table.Th>Stopped</Table.Th>
                      <Table.Th>Card</Table.Th>
                      <Table.Th>Energy</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.sessions.map((s) => (
                      <Table.Tr key={s.id}>
                        <Table.Td>{formatDateTime(s.startedAt)}</Table.Td>
                        <Table.Td>
                          {s.stoppedAt ? formatDateTime(s.stoppedAt) : 'Charging'}
                        </Table.Td>
                        <Table.Td ff="monospace">{s.idTag}</Table.Td>
                        <Table.Td>{formatEnergyWh(s.energyWh)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
            <MyInvoices />
          </>
        ) : null}
      </Stack>
    </>
  );
}
