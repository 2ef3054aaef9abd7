// Billing (administrators, site administrators): invoice runs (preview → issue → email), the
// invoices with their PDFs and payments, the accounting exports of a run, the site's tariffs and
// its billing settings (issuer, cycle, payment options, livery). Every amount comes from the
// core; the page formats en-AU.
import { SiteTabsPage, type SiteTab } from '../../components/site-tabs-page';
import { RunsPanel } from './runs-panel';
import { InvoicesPanel } from './invoices-panel';
import { ExportsPanel } from './exports-panel';
import { TariffsPanel } from './tariffs-panel';
import { SettingsPanel } from './settings-panel';
import { ReportsPanel } from './reports-panel';

const TABS: readonly SiteTab[] = [
  { value: 'runs', label: 'Invoice runs', panel: ({ siteId }) => <RunsPanel siteId={siteId} /> },
  {
    value: 'invoices',
    label: 'Invoices',
    panel: ({ siteId }) => <InvoicesPanel siteId={siteId} />,
  },
  { value: 'exports', label: 'Exports', panel: ({ siteId }) => <ExportsPanel siteId={siteId} /> },
  { value: 'reports', label: 'Reports', panel: ({ siteId }) => <ReportsPanel siteId={siteId} /> },
  { value: 'tariffs', label: 'Tariffs', panel: ({ siteId }) => <TariffsPanel siteId={siteId} /> },
  {
    value: 'settings',
    label: 'Settings',
    panel: ({ siteId }) => <SettingsPanel siteId={siteId} />,
  },
];

export function BillingPage() {
  return (
    <SiteTabsPage
      title="Billing"
      subtitle="Tariffs, invoice runs per billing period, tax invoices as PDF, payments and accounting exports."
      keptHere="its billing is"
      tabs={TABS}
    />
  );
}
