// Chargers that tried to connect and were refused: adopt them in one click, or dismiss them.
import { useState } from 'react';
import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '../api/use-query';
import { useUser } from '../app/session';
import { useTree } from '../app/tree';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../components/common';
import { ChargerAddressList } from '../components/charger-addresses';
import { CommissioningCard } from '../components/commissioning-card';
import { PAGE_SIZE, usePageOffset } from '../components/pager';
import { PagedTable } from '../components/paged-table';
import { StationDialog } from '../components/station-dialog';
import { runAction } from '../lib/actions';
import { can } from '../lib/permissions';
import { formatDateTime, formatNumber } from '../lib/format';

export function ChargersPage() {
  const user = useUser();
  const tree = useTree();
  const [offset, setOffset] = usePageOffset('');
  const attempts = useQuery(
    'charger-attempts-list',
    { limit: PAGE_SIZE, offset },
    {
      refreshOn: (e) => e.type === 'charger-attempt' || e.type === 'tree-changed',
    },
  );
  const settings = useQuery('ocpp-settings-get', {});
  const [adopting, setAdopting] = useState<string | null>(null);
  const firstSite = tree.data?.sites[0];
  const rows = attempts.data?.attempts ?? [];
  const total = attempts.data?.total ?? 0;
  return (
    <>
      <PageHeader
        title="New chargers"
        subtitle="Chargers that tried to connect, and the commissioning window."
      />
      <Stack>
        <Paper withBorder p="lg">
          <Title order={5}>Point chargers at</Title>
          <Text size="sm" c="dimmed" mb={4}>
            Enter this as the charger’s OCPP central system URL, with its charge box id in place of
            {' {chargeBoxId}'}:
          </Text>
          <ChargerAddressList urls={settings.data?.chargerUrls} />
        </Paper>
        <CommissioningCard />
        <Title order={4} mt="sm">
          Chargers that tried to connect
        </Title>
        {attempts.error ? <ErrorAlert error={attempts.error} /> : null}
        {attempts.loading ? (
          <Loading />
        ) : total === 0 ? (
          <EmptyState title="No unknown chargers have tried to connect">
            When a charger with an unregistered charge box id (or a wrong password) connects, it is
            refused and listed here so you can adopt it in one click.
          </EmptyState>
        ) : (
          <PagedTable
            label="Chargers that tried to connect"
            noun="chargers"
            rows={rows}
            rowKey={(a) => a.identity}
            total={total}
            offset={offset}
            onOffset={setOffset}
            verticalSpacing="sm"
            columns={[
              {
                header: 'Charge box id',
                // A 60-character id a charger made up must wrap, not push the buttons out.
                cell: (a) => (
                  <Text ff="monospace" size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {a.identity}
                  </Text>
                ),
              },
              { header: 'IP address', cell: (a) => a.ip ?? '—' },
              { header: 'Why refused', cell: (a) => a.reason },
              { header: 'Attempts', cell: (a) => formatNumber(a.count) },
              { header: 'Last try', cell: (a) => formatDateTime(a.lastAt) },
              {
                header: '',
                cell: (a) => (
                  <Group gap="xs" justify="flex-end">
                    {!can.createStation(user.role) ? null : a.adoptable ? (
                      <Button
                        size="xs"
                        onClick={() => setAdopting(a.identity)}
                        disabled={!firstSite}
                      >
                        Adopt
                      </Button>
                    ) : (
                      <Text size="xs" c="dimmed" maw={260} data-testid="not-adoptable">
                        {a.notAdoptable}
                      </Text>
                    )}
                    {can.dismissChargerAttempts(user.role) ? (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="gray"
                        onClick={async () => {
                          const r = await runAction(
                            'charger-attempt-dismiss',
                            { identity: a.identity },
                            { success: 'Dismissed' },
                          );
                          if (r.ok) attempts.refresh();
                        }}
                      >
                        Dismiss
                      </Button>
                    ) : null}
                  </Group>
                ),
              },
            ]}
          />
        )}
      </Stack>
      {adopting && firstSite ? (
        <StationDialog
          siteId={firstSite.id}
          floorId={null}
          floors={firstSite.floors}
          adoptIdentity={adopting}
          onClose={() => {
            setAdopting(null);
            attempts.refresh();
          }}
        />
      ) : null}
    </>
  );
}
