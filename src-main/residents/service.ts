// The residents domain: accounts per lot, residents, bays, cards, and what the chargers ask.
// Every change publishes a domain event after its COMMIT (card.changed, account.changed,
// bay.changed); the chargers' local lists follow them (local-list-sync.ts, started in core.ts
// once the OCPP service exists).
import type { Db } from '../db/open';
import type { DomainEvents } from '../platform/domain-events';
import { createAccounts } from './accounts';
import { createCardAuthority } from './authority';
import { createCards } from './cards';
import { createCsvImport } from './csv-import';
import type { LocalListSync } from './local-list-sync';

export function createResidentsService(db: Db, events: DomainEvents) {
  const accounts = createAccounts(db, events);
  const cards = createCards(db, events, accounts);
  const authority = createCardAuthority(db, accounts, cards);
  const csvImport = createCsvImport(db, events, accounts, cards);
  return {
    /** Set by core.ts once the OCPP service exists. */
    localList: null as LocalListSync | null,
    accounts,
    cards,
    authority,
    csvImport,
  };
}

export type ResidentsService = ReturnType<typeof createResidentsService>;
