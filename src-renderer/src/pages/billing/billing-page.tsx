// Billing (administrators, site administrators): invoice runs (preview → issue), the invoices
// with their PDFs and payments, the site's tariffs and its billing settings (issuer, cycle,
// payment options, livery). Every amount comes from the core; the page formats en-AU.
import { Select, Tabs } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/common';
import { RunsPanel } from './runs-panel';
import { InvoicesPanel } from './invoices-panel';
import { TariffsPanel } from './tariffs-panel';
import { SettingsPanel } from './settings-panel';

export function BillingPage() {
  const sites = useQuery('site-list', {});
  const [chosen, setChosen] = useState<number | null>(null);
  const list = sites.data ?? [];
  const siteId = chosen ?? list[0]?.id ?? null;
  if (sites.error) return <ErrorAlert error={sites.error} />;
  if (sites.loading) return <Loading />;
  return (
    <>
      <PageHeader
        title="Billing"
        subtitle="Tariffs, invoice runs per billing period, tax invoices as PDF, and payments."
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
          Add a site first (Dashboard → Add site); its billing is kept here.
        </EmptyState>
      ) : (
        <Tabs defaultValue="runs" keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="runs">Invoice runs</Tabs.Tab>
            <Tabs.Tab value="invoices">Invoices</Tabs.Tab>
            <Tabs.Tab value="tariffs">Tariffs</Tabs.Tab>
            <Tabs.Tab value="settings">Settings</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="runs">
            <RunsPanel siteId={siteId} />
          </Tabs.Panel>
          <Tabs.Panel value="invoices">
            <InvoicesPanel siteId={siteId} />
          </Tabs.Panel>
          <Tabs.Panel value="tariffs">
            <TariffsPanel siteId={siteId} />
          </Tabs.Panel>
          <Tabs.Panel value="settings">
            <SettingsPanel siteId={siteId} />
          </Tabs.Panel>
        </Tabs>
      )}
    </>
  );
}
