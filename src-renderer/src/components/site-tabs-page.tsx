// The shell of a per-site page made of tabs (Billing, Residents & cards, Load balancing): the header, a site
// picker when there is more than one site, an empty state naming what to do when there is none,
// and the tabs, each given the chosen site.
import { Select, Tabs } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useQuery } from '../api/use-query';
import { EmptyState, ErrorAlert, Loading, PageHeader } from './common';

export interface SiteTab {
  value: string;
  label: string;
  panel: (site: { siteId: number; timeZone: string }) => ReactNode;
}

export function SiteTabsPage({
  title,
  subtitle,
  keptHere,
  tabs,
}: {
  title: string;
  subtitle: string;
  /** What the page keeps, for the empty state ("its billing"). */
  keptHere: string;
  tabs: readonly SiteTab[];
}) {
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
        title={title}
        subtitle={subtitle}
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
          Add a site first (Dashboard → Add site); {keptHere} kept here.
        </EmptyState>
      ) : (
        <Tabs defaultValue={tabs[0]?.value} keepMounted={false}>
          <Tabs.List mb="md">
            {tabs.map((t) => (
              <Tabs.Tab key={t.value} value={t.value}>
                {t.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {tabs.map((t) => (
            <Tabs.Panel key={t.value} value={t.value}>
              {t.panel({ siteId, timeZone })}
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </>
  );
}
