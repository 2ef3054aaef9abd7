// The residents domain: accounts per lot, residents, bays, cards, and what the chargers ask.
// `onCardsChanged` runs after a card transaction commits (local authorisation list sync); it is
// a plain callback so it can move onto the domain events later.
import type { Db } from '../db/open';
import { createAccounts } from './accounts';
import { createCardAuthority } from './authority';
import { createCards } from './cards';
import { createCsvImport } from './csv-import';
import type { LocalListSync } from './local-list-sync';

export function createResidentsService(db: Db) {
  const accounts = createAccounts(db);
  const cards = createCards(db, accounts);
  const authority = createCardAuthority(accounts, cards);
  const csvImport = createCsvImport(db, accounts, cards);
  const listeners: ((siteId: number) => void)[] = [];
  return {
    /** Set by core.ts once the OCPP service exists. */
    localList: null as LocalListSync | null,
    accounts,
    cards,
    authority,
    csvImport,
    /** Register what runs after a site's cards changed (after commit). */
    onCardsChanged(fn: (siteId: number) => void) {
      listeners.push(fn);
    },
    /** Call after the transaction that changed a site's cards has committed. */
    cardsChanged(siteId: number) {
      for (const fn of listeners) fn(siteId);
    },
  };
}

export type ResidentsService = ReturnType<typeof createResidentsService>;
