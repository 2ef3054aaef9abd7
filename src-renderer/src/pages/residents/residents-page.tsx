// Residents & cards (administrators, site administrators): a site's billing accounts per lot with
// their residents and cards, every card with its lifecycle actions, learn mode, the cards
// chargers saw but nobody issued, what each connector is for (bays), and the CSV import with its
// row-by-row preview and the export.
import { SiteTabsPage, type SiteTab } from '../../components/site-tabs-page';
import { AccountsPanel } from './accounts-panel';
import { BaysPanel } from './bays-panel';
import { CardsPanel } from './cards-panel';
import { ImportPanel } from './import-panel';

const TABS: readonly SiteTab[] = [
  {
    value: 'accounts',
    label: 'Accounts',
    panel: ({ siteId, timeZone }) => <AccountsPanel siteId={siteId} timeZone={timeZone} />,
  },
  { value: 'cards', label: 'Cards', panel: ({ siteId }) => <CardsPanel siteId={siteId} /> },
  { value: 'bays', label: 'Bays', panel: ({ siteId }) => <BaysPanel siteId={siteId} /> },
  { value: 'import', label: 'Import', panel: ({ siteId }) => <ImportPanel siteId={siteId} /> },
];

export function ResidentsPage() {
  return (
    <SiteTabsPage
      title="Residents & cards"
      subtitle="Billing accounts per lot, the residents of each, their RFID cards and bays."
      keptHere="its lots and residents are"
      tabs={TABS}
    />
  );
}
