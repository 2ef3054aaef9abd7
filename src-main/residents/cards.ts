// RFID cards: the source of truth for who may charge at a site. A card belongs to an account of
// the site; it works while it is active, not expired and its account is open. Cards presented at
// a site that match none are kept as "recent unknown cards" (one click to issue), and a card
// tapped while the site is in learn mode is captured, teaching the site its card-number form.
// Every change publishes `card.changed` inside its transaction (delivered after COMMIT): the
// chargers' local lists follow it (local-list-sync.ts).
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import { learnCardForm, normaliseCardNumber, type CardForm } from '../../src-shared/card-number';
import type { AuthorizationStatus } from '../../src-shared/ocpp/types';
import type { Db } from '../db/open';
import type { DomainEvents } from '../platform/domain-events';
import type { DomainEventMap } from '../platform/domain-event-types';
import {
  cards,
  sessionAccounts,
  siteCardSettings,
  sites,
  transactions,
  unknownCards,
} from '../db/schema';
import type { Accounts, Bay } from './accounts';

export type CardRow = typeof cards.$inferSelect;
export type CardStatus = 'active' | 'blocked' | 'expired' | 'replaced';

export interface IssueInput {
  siteId: number;
  accountId: number;
  number: string;
  label: string | null;
  residentId: number | null;
  expiresAt: number | null;
  /** `number` is already in the site's form (from the import's check): not read again. */
  normalised?: boolean;
}

/** What the chargers' authorisation needs to know about a presented card. */
export interface CardDecision {
  status: AuthorizationStatus;
  expiryDate: number | null;
  card: CardRow;
}

export function createCards(db: Db, events: DomainEvents, accounts: Accounts) {
  /** One database transaction whose events are delivered after its COMMIT. */
  const inTransaction = <T>(fn: () => T): T =>
    events.transaction((f) => db.transaction(() => f()), fn);
  const changed = (c: CardRow, change: DomainEventMap['card.changed']['change'], at: number) =>
    events.publish({ type: 'card.changed', cardId: c.id, siteId: c.siteId, change, at });

  function get(id: number): CardRow | null {
    return db.select().from(cards).where(eq(cards.id, id)).get() ?? null;
  }
  function require(id: number): CardRow {
    const c = get(id);
    if (!c) throw new ApiFailure('not-found', 'That card no longer exists.', { field: 'id' });
    return c;
  }
  function byTag(siteId: number, idTag: string): CardRow | null {
    return (
      db
        .select()
        .from(cards)
        .where(and(eq(cards.siteId, siteId), eq(cards.idTag, idTag)))
        .get() ?? null
    );
  }

  /** The status a person reading the card list needs (expired is a date, not a stored state). */
  function statusOf(c: CardRow, now: number): CardStatus {
    if (c.status === 'active' && c.expiresAt !== null && c.expiresAt <= now) return 'expired';
    return c.status;
  }

  // ── Site card-number form and learn mode ──
  function settings(siteId: number) {
    return db.select().from(siteCardSettings).where(eq(siteCardSettings.siteId, siteId)).get();
  }
  function formOf(siteId: number): CardForm | null {
    const f = settings(siteId)?.form;
    return f ? (JSON.parse(f) as CardForm) : null;
  }
  function patchSettings(siteId: number, patch: Partial<typeof siteCardSettings.$inferInsert>) {
    // An unknown site would fail the foreign key as `internal`: say what is wrong instead.
    if (!db.select({ id: sites.id }).from(sites).where(eq(sites.id, siteId)).get()) {
      throw new ApiFailure('not-found', 'That site no longer exists.', { field: 'siteId' });
    }
    db.insert(siteCardSettings)
      .values({ siteId, ...patch })
      .onConflictDoUpdate({ target: siteCardSettings.siteId, set: patch })
      .run();
  }
  function setForm(siteId: number, form: CardForm | null) {
    patchSettings(siteId, { form: form ? JSON.stringify(form) : null });
  }
  function startLearning(siteId: number, until: number, printed: string | null) {
    patchSettings(siteId, {
      learnUntil: until,
      learnPrinted: printed,
      learntIdTag: null,
      learntAt: null,
      learntStationId: null,
    });
  }
  function stopLearning(siteId: number) {
    patchSettings(siteId, { learnUntil: null });
  }
  function learnState(siteId: number, now: number) {
    const s = settings(siteId);
    return {
      learning: s?.learnUntil != null && s.learnUntil > now,
      until: s?.learnUntil ?? null,
      idTag: s?.learntIdTag ?? null,
      at: s?.learntAt ?? null,
      stationId: s?.learntStationId ?? null,
      form: formOf(siteId),
    };
  }

  /** The idTag for a number as typed, in the site's form, or a validation failure naming it. */
  function normalise(siteId: number, number: string, field = 'number'): string {
    const r = normaliseCardNumber(number, formOf(siteId));
    if (!r.ok) throw new ApiFailure('validation', `Card number ${number}: ${r.reason}.`, { field });
    return r.idTag;
  }

  function assertNotIssued(siteId: number, idTag: string, field = 'number') {
    const existing = byTag(siteId, idTag);
    if (existing) {
      throw new ApiFailure(
        'conflict',
        `Card ${idTag} is already issued at this site (${existing.label ?? `account ${existing.accountId}`}).`,
        { field },
      );
    }
  }

  function issue(i: IssueInput, now: number): CardRow {
    const account = accounts.require(i.accountId);
    if (account.siteId !== i.siteId) {
      throw new ApiFailure('validation', 'That account is not of this site.', {
        field: 'accountId',
      });
    }
    if (i.residentId !== null && accounts.getResident(i.residentId)?.accountId !== i.accountId) {
      throw new ApiFailure('validation', 'That resident is not of this account.', {
        field: 'residentId',
      });
    }
    const idTag = i.normalised ? i.number : normalise(i.siteId, i.number);
    assertNotIssued(i.siteId, idTag);
    return inTransaction(() => {
      const row = db
        .insert(cards)
        .values({
          siteId: i.siteId,
          idTag,
          printed: i.normalised || i.number.trim() === idTag ? null : i.number.trim(),
          label: i.label,
          accountId: i.accountId,
          residentId: i.residentId,
          status: 'active',
          expiresAt: i.expiresAt,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();
      // Issued from the unknown list: it is known now.
      db.delete(unknownCards)
        .where(and(eq(unknownCards.siteId, i.siteId), eq(unknownCards.idTag, idTag)))
        .run();
      changed(row, 'added', now);
      return row;
    });
  }

  /** A lost or broken card: the new one takes over its account, resident and label; the old one
   *  is refused from now on. */
  function replace(id: number, number: string, now: number): { old: CardRow; card: CardRow } {
    return inTransaction(() => {
      const old = require(id);
      if (old.status === 'replaced') {
        throw new ApiFailure('conflict', 'This card has already been replaced.');
      }
      const card = issue(
        {
          siteId: old.siteId,
          accountId: old.accountId,
          number,
          label: old.label,
          residentId: old.residentId,
          expiresAt: old.expiresAt,
        },
        now,
      );
      const updated = db
        .update(cards)
        .set({ status: 'replaced', replacedById: card.id, updatedAt: now })
        .where(eq(cards.id, id))
        .returning()
        .get();
      changed(updated, 'blocked', now);
      return { old: updated, card };
    });
  }

  function setStatus(id: number, status: 'active' | 'blocked', now: number): CardRow {
    const c = require(id);
    if (c.status === 'replaced') {
      throw new ApiFailure('conflict', 'A replaced card cannot be changed; issue a new card.');
    }
    return inTransaction(() => {
      const row = db
        .update(cards)
        .set({ status, updatedAt: now })
        .where(eq(cards.id, id))
        .returning()
        .get();
      changed(row, status === 'blocked' ? 'blocked' : 'updated', now);
      return row;
    });
  }

  function setExpiry(id: number, expiresAt: number | null, now: number): CardRow {
    require(id);
    return inTransaction(() => {
      const row = db
        .update(cards)
        .set({ expiresAt, updatedAt: now })
        .where(eq(cards.id, id))
        .returning()
        .get();
      changed(row, 'updated', now);
      return row;
    });
  }

  function update(
    id: number,
    f: { label?: string | null; residentId?: number | null },
    now: number,
  ): CardRow {
    const c = require(id);
    if (f.residentId != null && accounts.getResident(f.residentId)?.accountId !== c.accountId) {
      throw new ApiFailure('validation', 'That resident is not of this card’s account.', {
        field: 'residentId',
      });
    }
    return inTransaction(() => {
      const row = db
        .update(cards)
        .set({ ...f, updatedAt: now })
        .where(eq(cards.id, id))
        .returning()
        .get();
      changed(row, 'updated', now);
      return row;
    });
  }

  /** Only a card that never charged: sessions must keep naming the card they were made with. */
  function remove(id: number, now: number): CardRow {
    return inTransaction(() => {
      const c = require(id);
      const used = db
        .select({ n: sql<number>`count(*)` })
        .from(sessionAccounts)
        .where(eq(sessionAccounts.cardId, id))
        .get();
      if ((used?.n ?? 0) > 0) {
        throw new ApiFailure(
          'conflict',
          `Card ${c.idTag} has charging sessions and cannot be deleted; block it instead.`,
        );
      }
      db.update(cards).set({ replacedById: null }).where(eq(cards.replacedById, id)).run();
      db.delete(cards).where(eq(cards.id, id)).run();
      changed(c, 'removed', now);
      return c;
    });
  }

  function list(filter: { siteId?: number; accountIds?: number[] }, now: number) {
    const rows = db
      .select()
      .from(cards)
      .where(
        and(
          filter.siteId === undefined ? undefined : eq(cards.siteId, filter.siteId),
          filter.accountIds === undefined ? undefined : inArray(cards.accountId, filter.accountIds),
        ),
      )
      .orderBy(asc(cards.idTag))
      .all();
    return rows.map((c) => ({ ...c, effectiveStatus: statusOf(c, now) }));
  }

  // ── At the charger ──
  /**
   * The answer for a card presented at a site's charger, or null when the site has no such card
   * (the caller then consults the organisation-wide id tag list, else Invalid). A private bay
   * takes only the cards of its lot (whoever owns the lot now).
   */
  function decide(
    siteId: number,
    idTag: string,
    now: number,
    bay?: Bay | null,
  ): CardDecision | null {
    const card = byTag(siteId, idTag);
    if (!card) return null;
    const answer = (status: AuthorizationStatus): CardDecision => ({
      status,
      expiryDate: card.expiresAt,
      card,
    });
    if (card.status !== 'active') return answer('Blocked');
    if (card.expiresAt !== null && card.expiresAt <= now) return answer('Expired');
    const account = accounts.get(card.accountId);
    if (!account || !accounts.isOpen(account, now)) return answer('Expired');
    if (bay?.kind === 'private' && bay.accountId !== card.accountId) {
      if (bay.lotNumber === null || account.lotNumber !== bay.lotNumber) return answer('Invalid');
    }
    return answer('Accepted');
  }

  /** An unknown card was presented: remember it, and capture it if the site is learning. */
  function presentedUnknown(siteId: number, stationId: number | null, idTag: string, now: number) {
    db.insert(unknownCards)
      .values({ siteId, idTag, stationId, firstAt: now, lastAt: now })
      .onConflictDoUpdate({
        target: [unknownCards.siteId, unknownCards.idTag],
        set: { count: sql`${unknownCards.count} + 1`, lastAt: now, stationId },
      })
      .run();
  }

  /** Any Authorize at a site in learn mode is captured (the first one ends learn mode). */
  function captureIfLearning(
    siteId: number,
    stationId: number | null,
    idTag: string,
    now: number,
  ): boolean {
    const s = settings(siteId);
    if (!s || s.learnUntil == null || s.learnUntil <= now) return false;
    const { form } = learnCardForm(idTag, s.learnPrinted);
    patchSettings(siteId, {
      form: JSON.stringify(form),
      learnUntil: null,
      learntIdTag: idTag,
      learntAt: now,
      learntStationId: stationId,
    });
    return true;
  }

  function recentUnknown(siteId: number, since: number) {
    return db
      .select()
      .from(unknownCards)
      .where(and(eq(unknownCards.siteId, siteId), gt(unknownCards.lastAt, since)))
      .orderBy(desc(unknownCards.lastAt))
      .limit(50)
      .all();
  }

  // ── Session attribution ──
  function attribute(
    transactionId: number,
    a: {
      accountId: number | null;
      cardId: number | null;
      via: 'card' | 'private-bay' | 'visitor-bay';
      free: boolean;
    },
  ) {
    db.insert(sessionAccounts)
      .values({ transactionId, ...a })
      .onConflictDoNothing()
      .run();
  }

  function sessionsOf(accountIds: number[], limit: number) {
    if (accountIds.length === 0) return [];
    return db
      .select({
        id: transactions.id,
        accountId: sessionAccounts.accountId,
        cardId: sessionAccounts.cardId,
        idTag: transactions.idTag,
        stationId: transactions.stationId,
        connectorNumber: transactions.connectorNumber,
        status: transactions.status,
        startedAt: transactions.startedAt,
        stoppedAt: transactions.stoppedAt,
        energyWh: sql<
          number | null
        >`coalesce(${transactions.meterStopWh}, ${transactions.meterLastWh}) - ${transactions.meterStartWh}`,
        free: sessionAccounts.free,
      })
      .from(sessionAccounts)
      .innerJoin(transactions, eq(transactions.id, sessionAccounts.transactionId))
      .where(inArray(sessionAccounts.accountId, accountIds))
      .orderBy(desc(transactions.startedAt))
      .limit(limit)
      .all();
  }

  return {
    get,
    require,
    byTag,
    statusOf,
    formOf,
    setForm,
    startLearning,
    stopLearning,
    learnState,
    normalise,
    issue,
    replace,
    setStatus,
    setExpiry,
    update,
    remove,
    list,
    decide,
    presentedUnknown,
    captureIfLearning,
    recentUnknown,
    attribute,
    sessionsOf,
  };
}

export type Cards = ReturnType<typeof createCards>;
