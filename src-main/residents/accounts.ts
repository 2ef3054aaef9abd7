// Billing accounts per lot, their residents and bays. A lot changes hands by closing its open
// account on a date and opening the new owner's on the same date (changeOwner, one transaction),
// so "which account owned lot X at time T" has exactly one answer (ownerAt). A private bay is
// given to an account but belongs to its lot: after a sale it serves the lot's new owner, and a
// session on it goes to whoever owned the lot at the session's time. Changes publish
// `account.changed` / `bay.changed` after COMMIT (the chargers' local lists follow them).
import { and, asc, eq, gt, gte, inArray, isNull, lte, notInArray, or, sql } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import type { Db } from '../db/open';
import type { DomainEvents } from '../platform/domain-events';
import type { DomainEventMap } from '../platform/domain-event-types';
import {
  accounts,
  bays,
  connectors,
  invoiceSessions,
  residents,
  sessionAccounts,
  stations,
  transactions,
} from '../db/schema';

export type AccountRow = typeof accounts.$inferSelect;
export type ResidentRow = typeof residents.$inferSelect;

export interface AccountFields {
  lotNumber: string;
  unitNumber: string | null;
  ownerNames: string;
  postalAddress: string | null;
  invoiceEmails: string[];
  accountCode: string | null;
  bpayReference: string | null;
  deftReference: string | null;
  strataPayReference: string | null;
  notes: string | null;
}

export interface ResidentFields {
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
}

export type BayKind = 'private' | 'shared' | 'visitor';
export interface Bay {
  kind: BayKind;
  accountId: number | null;
  /** The lot of a private bay's account (null: no account). */
  lotNumber: string | null;
}

/** Open at time t: opened at or before t, not closed by t. */
const openAt = (t: number) =>
  and(lte(accounts.openedAt, t), or(isNull(accounts.closedAt), gt(accounts.closedAt, t)));

export function createAccounts(db: Db, events: DomainEvents) {
  const inTransaction = <T>(fn: () => T): T =>
    events.transaction((f) => db.transaction(() => f()), fn);
  const changed = (
    a: AccountRow,
    change: DomainEventMap['account.changed']['change'],
    at: number,
  ) => events.publish({ type: 'account.changed', accountId: a.id, siteId: a.siteId, change, at });

  function get(id: number): AccountRow | null {
    return db.select().from(accounts).where(eq(accounts.id, id)).get() ?? null;
  }
  function require(id: number): AccountRow {
    const a = get(id);
    if (!a) throw new ApiFailure('not-found', 'That account no longer exists.', { field: 'id' });
    return a;
  }

  /** The account that owned the lot at time t, if any. */
  function ownerAt(siteId: number, lotNumber: string, t: number): AccountRow | null {
    return (
      db
        .select()
        .from(accounts)
        .where(and(eq(accounts.siteId, siteId), eq(accounts.lotNumber, lotNumber), openAt(t)))
        .get() ?? null
    );
  }

  function isOpen(a: AccountRow, t: number): boolean {
    return a.openedAt <= t && (a.closedAt === null || a.closedAt > t);
  }

  /** Refuses a second account open on the same lot over the same time. */
  function assertLotFree(siteId: number, lotNumber: string, from: number, exceptId?: number) {
    const clash = db
      .select({ id: accounts.id, ownerNames: accounts.ownerNames })
      .from(accounts)
      .where(
        and(
          eq(accounts.siteId, siteId),
          eq(accounts.lotNumber, lotNumber),
          or(isNull(accounts.closedAt), gt(accounts.closedAt, from)),
          exceptId === undefined ? undefined : sql`${accounts.id} <> ${exceptId}`,
        ),
      )
      .get();
    if (clash) {
      throw new ApiFailure(
        'conflict',
        `Lot ${lotNumber} already has an open account (${clash.ownerNames}). Use "Change owner" to close it and open the new owner's account on a date.`,
        { field: 'lotNumber' },
      );
    }
  }

  function create(siteId: number, f: AccountFields, openedAt: number, now: number): AccountRow {
    assertLotFree(siteId, f.lotNumber, openedAt);
    return inTransaction(() => {
      const row = db
        .insert(accounts)
        .values({
          siteId,
          ...f,
          invoiceEmails: JSON.stringify(f.invoiceEmails),
          openedAt,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();
      changed(row, 'opened', now);
      return row;
    });
  }

  function update(id: number, f: Partial<AccountFields>, now: number): AccountRow {
    const before = require(id);
    if (f.lotNumber !== undefined && f.lotNumber !== before.lotNumber && before.closedAt === null) {
      assertLotFree(before.siteId, f.lotNumber, before.openedAt, id);
    }
    const { invoiceEmails, ...rest } = f;
    return inTransaction(() => {
      const row = db
        .update(accounts)
        .set({
          ...rest,
          ...(invoiceEmails ? { invoiceEmails: JSON.stringify(invoiceEmails) } : {}),
          updatedAt: now,
        })
        .where(eq(accounts.id, id))
        .returning()
        .get();
      changed(row, 'updated', now);
      return row;
    });
  }

  function close(id: number, at: number, now: number): AccountRow {
    const a = require(id);
    if (a.closedAt !== null) {
      throw new ApiFailure('conflict', 'This account is already closed.');
    }
    if (at < a.openedAt) {
      throw new ApiFailure('validation', 'The closing date is before the account opened.', {
        field: 'closedAt',
      });
    }
    return inTransaction(() => {
      const row = db
        .update(accounts)
        .set({ closedAt: at, updatedAt: now })
        .where(eq(accounts.id, id))
        .returning()
        .get();
      changed(row, 'closed', now);
      return row;
    });
  }

  /** The lot is sold: the open account closes at `at`, the new owner's opens at `at`. */
  function changeOwner(
    oldId: number,
    at: number,
    f: Omit<AccountFields, 'lotNumber'>,
    now: number,
  ): { closed: AccountRow; opened: AccountRow } {
    return inTransaction(() => {
      const old = require(oldId);
      const closed = close(oldId, at, now);
      const opened = create(old.siteId, { ...f, lotNumber: old.lotNumber }, at, now);
      // A settlement is often entered days late: the plug-in sessions on the lot's private bay
      // since then are the new owner's (not those already on a live invoice: those are billed,
      // a credit note would undo them).
      db.update(sessionAccounts)
        .set({ accountId: opened.id })
        .where(
          and(
            eq(sessionAccounts.accountId, oldId),
            eq(sessionAccounts.via, 'private-bay'),
            inArray(
              sessionAccounts.transactionId,
              db
                .select({ id: transactions.id })
                .from(transactions)
                .where(gte(transactions.startedAt, at)),
            ),
            notInArray(
              sessionAccounts.transactionId,
              db
                .select({ id: invoiceSessions.transactionId })
                .from(invoiceSessions)
                .where(eq(invoiceSessions.live, 1)),
            ),
          ),
        )
        .run();
      return { closed, opened };
    });
  }

  function list(
    siteId: number,
    filter: { text?: string; status?: 'open' | 'closed' },
    now: number,
  ): (AccountRow & { residents: number; cards: number })[] {
    const q = filter.text ? `%${filter.text}%` : null;
    const rows = db
      .select({
        a: accounts,
        residents: sql<number>`(select count(*) from residents r where r.account_id = "accounts"."id")`,
        cards: sql<number>`(select count(*) from cards c where c.account_id = "accounts"."id" and c.status <> 'replaced')`,
      })
      .from(accounts)
      .where(
        and(
          eq(accounts.siteId, siteId),
          filter.status === 'open' ? openAt(now) : undefined,
          filter.status === 'closed' ? lte(accounts.closedAt, now) : undefined,
          q
            ? or(
                sql`${accounts.lotNumber} like ${q}`,
                sql`${accounts.unitNumber} like ${q}`,
                sql`${accounts.ownerNames} like ${q}`,
                sql`${accounts.accountCode} like ${q}`,
                sql`exists (select 1 from residents r where r.account_id = "accounts"."id" and (r.first_name || ' ' || r.last_name like ${q} or r.email like ${q}))`,
              )
            : undefined,
        ),
      )
      .orderBy(
        sql`cast(${accounts.lotNumber} as integer)`,
        asc(accounts.lotNumber),
        asc(accounts.openedAt),
      )
      .all();
    return rows.map((r) => ({ ...r.a, residents: r.residents, cards: r.cards }));
  }

  // ── Residents ──
  function residentsOf(accountId: number): ResidentRow[] {
    return db
      .select()
      .from(residents)
      .where(eq(residents.accountId, accountId))
      .orderBy(asc(residents.lastName), asc(residents.firstName))
      .all();
  }
  function getResident(id: number): ResidentRow | null {
    return db.select().from(residents).where(eq(residents.id, id)).get() ?? null;
  }
  function addResident(accountId: number, f: ResidentFields, now: number): ResidentRow {
    require(accountId);
    return db
      .insert(residents)
      .values({ accountId, ...f, createdAt: now, updatedAt: now })
      .returning()
      .get();
  }
  function updateResident(id: number, f: Partial<ResidentFields>, now: number): ResidentRow {
    const row = db
      .update(residents)
      .set({ ...f, updatedAt: now })
      .where(eq(residents.id, id))
      .returning()
      .get();
    if (!row) throw new ApiFailure('not-found', 'That resident no longer exists.', { field: 'id' });
    return row;
  }
  function deleteResident(id: number): boolean {
    return db.delete(residents).where(eq(residents.id, id)).run().changes > 0;
  }
  function linkLogin(residentId: number, userId: number | null, now: number): void {
    db.update(residents).set({ userId, updatedAt: now }).where(eq(residents.id, residentId)).run();
  }
  /** The accounts whose resident this user (an EV user) is. */
  /** The accounts an EV user is a resident of, on the sites their login may see: taking a
   *  site from the login takes its account away everywhere (sessions, invoices, downloads). */
  function accountsOfUser(userId: number, siteIds: readonly number[]): number[] {
    if (siteIds.length === 0) return [];
    return db
      .selectDistinct({ id: residents.accountId })
      .from(residents)
      .innerJoin(accounts, eq(accounts.id, residents.accountId))
      .where(and(eq(residents.userId, userId), inArray(accounts.siteId, [...siteIds])))
      .all()
      .map((r) => r.id);
  }

  // ── Bays ──
  function listBays(siteId: number) {
    return db
      .select({
        connectorId: connectors.id,
        stationId: stations.id,
        stationName: stations.name,
        connectorNumber: connectors.connectorNumber,
        kind: sql<BayKind>`coalesce(${bays.kind}, 'shared')`,
        accountId: bays.accountId,
        label: bays.label,
      })
      .from(connectors)
      .innerJoin(stations, eq(stations.id, connectors.stationId))
      .leftJoin(bays, eq(bays.connectorId, connectors.id))
      .where(eq(stations.siteId, siteId))
      .orderBy(asc(stations.name), asc(connectors.connectorNumber))
      .all();
  }
  /** What a connector is for; a private bay also names its lot (it serves the lot's owner). */
  function bayOf(stationId: number, connectorNumber: number): Bay | null {
    return (
      db
        .select({ kind: bays.kind, accountId: bays.accountId, lotNumber: accounts.lotNumber })
        .from(bays)
        .innerJoin(connectors, eq(connectors.id, bays.connectorId))
        .leftJoin(accounts, eq(accounts.id, bays.accountId))
        .where(
          and(eq(connectors.stationId, stationId), eq(connectors.connectorNumber, connectorNumber)),
        )
        .get() ?? null
    );
  }
  /** Every bay of a station that is not shared (the local list of a private charger). */
  function baysOfStation(stationId: number): Bay[] {
    return db
      .select({ kind: bays.kind, accountId: bays.accountId, lotNumber: accounts.lotNumber })
      .from(connectors)
      .leftJoin(bays, eq(bays.connectorId, connectors.id))
      .leftJoin(accounts, eq(accounts.id, bays.accountId))
      .where(and(eq(connectors.stationId, stationId), sql`${connectors.connectorNumber} > 0`))
      .all()
      .map((b) => ({ kind: b.kind ?? 'shared', accountId: b.accountId, lotNumber: b.lotNumber }));
  }
  function setBay(
    connectorId: number,
    kind: BayKind,
    accountId: number | null,
    label: string | null,
    now: number,
  ) {
    if (kind === 'private' && accountId === null) {
      throw new ApiFailure('validation', 'Choose the account this private bay belongs to.', {
        field: 'accountId',
      });
    }
    if (accountId !== null) {
      const a = require(accountId);
      const site = db
        .select({ siteId: stations.siteId })
        .from(connectors)
        .innerJoin(stations, eq(stations.id, connectors.stationId))
        .where(eq(connectors.id, connectorId))
        .get();
      if (site?.siteId !== a.siteId) {
        throw new ApiFailure('validation', 'The account is not of this bay’s site.', {
          field: 'accountId',
        });
      }
    }
    const where = db
      .select({ stationId: stations.id, siteId: stations.siteId })
      .from(connectors)
      .innerJoin(stations, eq(stations.id, connectors.stationId))
      .where(eq(connectors.id, connectorId))
      .get();
    if (!where) {
      throw new ApiFailure('not-found', 'That connector no longer exists.', {
        field: 'connectorId',
      });
    }
    const values = { kind, accountId: kind === 'shared' ? null : accountId, label, updatedAt: now };
    inTransaction(() => {
      db.insert(bays)
        .values({ connectorId, ...values })
        .onConflictDoUpdate({ target: bays.connectorId, set: values })
        .run();
      if (where.siteId !== null) {
        events.publish({
          type: 'bay.changed',
          connectorId,
          stationId: where.stationId,
          siteId: where.siteId,
          kind,
          accountId: values.accountId,
          at: now,
        });
      }
    });
  }

  return {
    get,
    require,
    ownerAt,
    isOpen,
    create,
    update,
    close,
    changeOwner,
    list,
    residentsOf,
    getResident,
    addResident,
    updateResident,
    deleteResident,
    linkLogin,
    accountsOfUser,
    listBays,
    bayOf,
    baysOfStation,
    setBay,
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
