// What the OCPP handlers ask the residents domain when a card is presented or a session starts
// (handlers-16.ts). Cards are the source of truth for a site; the organisation-wide id tag list
// (id-tag-upsert) is consulted only for a number the site has no card for.
import type { AuthorizationStatus } from '../../src-shared/ocpp/types';
import type { Accounts } from './accounts';
import type { Cards } from './cards';

export interface ChargerRef {
  siteId: number;
  stationId: number;
}

export interface CardAuthority {
  /** The answer for a card of this site, or null when the site has no such card. `learn`: an
   *  Authorize, which a site in learn mode captures. */
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

export function createCardAuthority(accounts: Accounts, cards: Cards): CardAuthority {
  return {
    authorize(at, idTag, now, opts) {
      if (opts.learn) cards.captureIfLearning(at.siteId, at.stationId, idTag, now);
      const bay =
        opts.connectorNumber === undefined
          ? null
          : accounts.bayOf(at.stationId, opts.connectorNumber);
      const d = cards.decide(at.siteId, idTag, now, bay);
      return d ? { status: d.status, expiryDate: d.expiryDate, parentIdTag: null } : null;
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
        // A plug-in (free vend) start on a private bay: its account's.
        cards.attribute(tx.id, {
          accountId: bay.accountId,
          cardId: null,
          via: 'private-bay',
          free: false,
        });
      }
    },
  };
}
