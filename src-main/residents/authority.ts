// What the OCPP handlers ask the residents domain when a card is presented or a session starts
// (handlers-16.ts). Cards are the source of truth for a site; the organisation-wide id tag list
// (id-tag-upsert) is consulted only for a number the site has no card for.
// A card already charging on another connector is answered ConcurrentTx (one card, one car): at
// a StartTransaction for any other connector; at an Authorize only when that transaction is on
// another charger, since a tap on the charger that is charging may be the tap that stops it.
import { and, eq } from 'drizzle-orm';
import type { AuthorizationStatus } from '../../src-shared/ocpp/types';
import type { Db } from '../db/open';
import { transactions } from '../db/schema';
import type { Accounts } from './accounts';
import type { Cards } from './cards';

export interface ChargerRef {
  siteId: number;
  stationId: number;
}

export interface CardAuthority {
  /** The answer for a card of this site, or null when the site has no such card. `learn`: an
   *  Authorize, which a site in learn mode captures; `connectorNumber` is known at a
   *  StartTransaction (the connector it starts on). */
  authorize(
    at: ChargerRef,
    idTag: string,
    now: number,
    opts: { connectorNumber?: number; learn?: boolean },
  ): { status: AuthorizationStatus; expiryDate: number | null; parentIdTag: null } | null;
  /** Nothing knew the card (answered Invalid): listed in "recent unknown cards". */
  unknown(at: ChargerRef, idTag: string, now: number): void;
  /** A new transaction: fix the account it belongs to (card, private or visitor bay). */
  started(
    at: ChargerRef,
    tx: { id: number; connectorNumber: number; idTag: string; startedAt: number },
  ): void;
}

export function createCardAuthority(db: Db, accounts: Accounts, cards: Cards): CardAuthority {
  /** The card is charging elsewhere: another charger, or (at a start) another connector. */
  function chargingElsewhere(at: ChargerRef, idTag: string, connectorNumber?: number): boolean {
    return db
      .select({ stationId: transactions.stationId, connectorNumber: transactions.connectorNumber })
      .from(transactions)
      .where(and(eq(transactions.idTag, idTag), eq(transactions.status, 'active')))
      .all()
      .some(
        (t) =>
          t.stationId !== at.stationId ||
          (connectorNumber !== undefined && t.connectorNumber !== connectorNumber),
      );
  }

  return {
    authorize(at, idTag, now, opts) {
      if (opts.learn) cards.captureIfLearning(at.siteId, at.stationId, idTag, now);
      const bay =
        opts.connectorNumber === undefined
          ? null
          : accounts.bayOf(at.stationId, opts.connectorNumber);
      const d = cards.decide(at.siteId, idTag, now, bay);
      if (!d) return null;
      const status =
        d.status === 'Accepted' && chargingElsewhere(at, idTag, opts.connectorNumber)
          ? 'ConcurrentTx'
          : d.status;
      return { status, expiryDate: d.expiryDate, parentIdTag: null };
    },
    unknown(at, idTag, now) {
      cards.presentedUnknown(at.siteId, at.stationId, idTag, now);
    },
    started(at, tx) {
      const bay = accounts.bayOf(at.stationId, tx.connectorNumber);
      const card = cards.byTag(at.siteId, tx.idTag);
      if (bay?.kind === 'visitor') {
        cards.attribute(tx.id, {
          accountId: bay.accountId,
          cardId: card?.id ?? null,
          via: 'visitor-bay',
          free: true,
        });
      } else if (card) {
        cards.attribute(tx.id, {
          accountId: card.accountId,
          cardId: card.id,
          via: 'card',
          free: false,
        });
      } else if (bay?.kind === 'private') {
        // A plug-in (free vend) start on a private bay: the lot's owner's at the session's time.
        const owner =
          bay.lotNumber === null ? null : accounts.ownerAt(at.siteId, bay.lotNumber, tx.startedAt);
        cards.attribute(tx.id, {
          accountId: owner?.id ?? bay.accountId,
          cardId: null,
          via: 'private-bay',
          free: false,
        });
      }
    },
  };
}
