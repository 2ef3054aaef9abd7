// Residents & cards (administrators, site administrators): a site's billing accounts per lot with
// their residents and cards, every card with its lifecycle actions, learn mode, the cards
// chargers saw but nobody issued, what each connector is for (bays), and the CSV import with its
// row-by-row preview and the export.
import { Select, Stack, Tabs } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/common';
import { AccountsPanel } from './accounts-panel';
import { BaysPanel } from './bays-panel';
import { CardsPanel } from './cards-panel';
import { ImportPanel } from './import-panel';

export function ResidentsPage() {
  const sites = useQuery('site-list', {});
  const [chosen, setChosen] = useState<number | null>(null);
  const list = sites.data ?? [];
  const siteId = chosen ?? list[0]?.id ?? null;
  const timeZone = list.find((s) => s.id === siteId)?.timeZone ?? 'UTC';
  if (sites.error) return <ErrorAlert error={sites.error} />;
  if (sites.loading) return <Loading />;
  return (
    <>
      <PageHeader
        title="Residents & cards"
        subtitle="Billing accounts per lot, the residents of each, their RFID cards and bays."
        actions={
          list.length > 1 ? (
            <Select
              aria-label="Site"
              data={list.map((s) => ({ value: String(s.id), label: s.name }))}
              value={siteId === null ? null : String(siteId)}
              onChange={(v) => setChosen(v ? Number(v) : null)}
              allowDeselect={false}
            />
          ) : null
        }
      />
      {siteId === null ? (
        <EmptyState title="No site yet">
          Add a site first (Dashboard → Add site); its lots and residents are kept here.
        </EmptyState>
      ) : (
        <Tabs defaultValue="accounts" keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="accounts">Accounts</Tabs.Tab>
            <Tabs.Tab value="cards">Cards</Tabs.Tab>
            <Tabs.Tab value="bays">Bays</Tabs.Tab>
            <Tabs.Tab value="import">Import</Tabs.Tab>
          </Tabs.List>
          <Stack>
            <Tabs.Panel value="accounts">
              <AccountsPanel siteId={siteId} timeZone={timeZone} />
            </Tabs.Panel>
            <Tabs.Panel value="cards">
              <CardsPanel siteId={siteId} />
            </Tabs.Panel>
            <Tabs.Panel value="bays">
              <BaysPanel siteId={siteId} />
            </Tabs.Panel>
            <Tabs.Panel value="import">
              <ImportPanel siteId={siteId} />
            </Tabs.Panel>
          </Stack>
        </Tabs>
      )}
    </>
  );
}
