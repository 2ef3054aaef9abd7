// Stored tariffs. A tariff is a name with versions, each in effect from a local date: a price
// change adds a version and never edits one, and a version may not take effect inside a period
// already invoiced, so what was billed stays explainable by the prices stored for it.
// Which tariff a session uses: the account's override, else the bay's override, else the
// connector's, the station's, the site's (docs/billing.md "Which tariff applies").
import { and, asc, desc, eq, isNull, lte } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import { validateTariff, type Tariff } from '../../src-shared/billing/tariff';
import type { TariffRecord, TariffTarget } from '../../src-shared/api/methods/billing';
import type { Db } from '../db/open';
import {
  accounts,
  connectors,
  invoiceRuns,
  siteHolidays,
  sites,
  stations,
  tariffAssignments,
  tariffs,
  tariffVersions,
} from '../db/schema';
import { formatLocalDate } from '../../src-shared/billing/invoice-document';
import { addDays, localMidnight } from './periods';

export interface TariffVersionRow {
  id: number;
  tariffId: number;
  name: string;
  effectiveFromMs: number;
  tariff: Tariff;
}

export function createTariffStore(db: Db) {
  function zoneOf(siteId: number): string {
    const s = db.select({ z: sites.timeZone }).from(sites).where(eq(sites.id, siteId)).get();
    if (!s) throw new ApiFailure('not-found', 'That site no longer exists.', { field: 'siteId' });
    return s.z;
  }

  function check(t: Tariff): void {
    const problems = validateTariff(t);
    if (problems.length > 0) {
      throw new ApiFailure('validation', problems.map((p) => p.message).join(' '), {
        fields: problems.map((p) => ({ field: `tariff.${p.field}`, message: p.message })),
      });
    }
  }

  /** A new version may not reach back into a period that has been invoiced. */
  function checkNotInvoiced(siteId: number, effectiveFrom: string, what = 'a price change'): void {
    const last = db
      .select({ end: invoiceRuns.periodEnd, endMs: invoiceRuns.periodEndMs })
      .from(invoiceRuns)
      .where(eq(invoiceRuns.siteId, siteId))
      .orderBy(desc(invoiceRuns.periodEndMs))
      .get();
    if (last && localMidnight(effectiveFrom, zoneOf(siteId)) < last.endMs) {
      throw new ApiFailure(
        'conflict',
        `Invoices up to ${formatLocalDate(last.end)} are issued; ${what} can take effect from the day after, not ${formatLocalDate(effectiveFrom)}.`,
        { field: 'effectiveFrom' },
      );
    }
  }

  function record(id: number, now: number): TariffRecord {
    const t = db.select().from(tariffs).where(eq(tariffs.id, id)).get();
    if (!t) throw new ApiFailure('not-found', 'That tariff no longer exists.', { field: 'id' });
    const versions = db
      .select()
      .from(tariffVersions)
      .where(eq(tariffVersions.tariffId, id))
      .orderBy(asc(tariffVersions.effectiveFromMs))
      .all();
    const current = versions.filter((v) => v.effectiveFromMs <= now).at(-1) ?? null;
    return {
      id: t.id,
      siteId: t.siteId,
      name: t.name,
      versions: versions.map((v) => ({
        id: v.id,
        effectiveFrom: v.effectiveFrom,
        tariff: JSON.parse(v.definition) as Tariff,
        createdAt: v.createdAt,
      })),
      currentVersionId: current?.id ?? null,
    };
  }

  function create(siteId: number, effectiveFrom: string, t: Tariff, now: number): TariffRecord {
    check(t);
    const zone = zoneOf(siteId);
    checkNotInvoiced(siteId, effectiveFrom);
    const id = db.transaction((tx) => {
      const row = tx
        .insert(tariffs)
        .values({ siteId, name: t.name, createdAt: now })
        .returning({ id: tariffs.id })
        .get();
      tx.insert(tariffVersions)
        .values({
          tariffId: row.id,
          effectiveFrom,
          effectiveFromMs: localMidnight(effectiveFrom, zone),
          definition: JSON.stringify(t),
          createdAt: now,
        })
        .run();
      return row.id;
    });
    return record(id, now);
  }

  function addVersion(
    tariffId: number,
    effectiveFrom: string,
    t: Tariff,
    now: number,
  ): TariffRecord {
    check(t);
    const row = db.select().from(tariffs).where(eq(tariffs.id, tariffId)).get();
    if (!row) throw new ApiFailure('not-found', 'That tariff no longer exists.', { field: 'id' });
    checkNotInvoiced(row.siteId, effectiveFrom);
    const clash = db
      .select({ id: tariffVersions.id })
      .from(tariffVersions)
      .where(
        and(eq(tariffVersions.tariffId, tariffId), eq(tariffVersions.effectiveFrom, effectiveFrom)),
      )
      .get();
    if (clash) {
      throw new ApiFailure(
        'conflict',
        `This tariff already has a version from ${formatLocalDate(effectiveFrom)}; versions are never edited. Choose another date.`,
        { field: 'effectiveFrom' },
      );
    }
    db.transaction((tx) => {
      tx.insert(tariffVersions)
        .values({
          tariffId,
          effectiveFrom,
          effectiveFromMs: localMidnight(effectiveFrom, zoneOf(row.siteId)),
          definition: JSON.stringify(t),
          createdAt: now,
        })
        .run();
      tx.update(tariffs).set({ name: t.name }).where(eq(tariffs.id, tariffId)).run();
    });
    return record(tariffId, now);
  }

  function list(siteId: number, now: number): TariffRecord[] {
    return db
      .select({ id: tariffs.id })
      .from(tariffs)
      .where(eq(tariffs.siteId, siteId))
      .orderBy(asc(tariffs.name))
      .all()
      .map((r) => record(r.id, now));
  }

  /** The site a target belongs to, or a not-found failure naming it. */
  function siteOfTarget(target: TariffTarget, id: number): number | undefined {
    switch (target) {
      case 'site':
        return db.select({ s: sites.id }).from(sites).where(eq(sites.id, id)).get()?.s;
      case 'station':
        return db.select({ s: stations.siteId }).from(stations).where(eq(stations.id, id)).get()?.s;
      case 'connector':
      case 'bay':
        return db
          .select({ s: stations.siteId })
          .from(connectors)
          .innerJoin(stations, eq(stations.id, connectors.stationId))
          .where(eq(connectors.id, id))
          .get()?.s;
      case 'account':
        return db.select({ s: accounts.siteId }).from(accounts).where(eq(accounts.id, id)).get()?.s;
    }
  }

  /**
   * From `effectiveFrom` (a local date) on, `tariffId` applies to the target (null: nothing
   * does; the next level down applies). Earlier assignments stay in force for their dates, so a
   * run over a past period rates each session by what applied then. Another change on the same
   * date replaces that date's; none may reach into an invoiced period. `effectiveFrom` null:
   * since always (allowed only while nothing is invoiced; see firstOpenDate).
   */
  function assign(
    siteId: number,
    target: TariffTarget,
    targetId: number,
    tariffId: number | null,
    effectiveFrom: string | null,
    now: number,
  ): void {
    if (siteOfTarget(target, targetId) !== siteId) {
      throw new ApiFailure('not-found', `That ${target} is not one of this site's.`, {
        field: 'targetId',
      });
    }
    if (tariffId !== null) {
      const t = db.select().from(tariffs).where(eq(tariffs.id, tariffId)).get();
      if (!t || t.siteId !== siteId) {
        throw new ApiFailure('not-found', 'That tariff is not one of this site’s.', {
          field: 'tariffId',
        });
      }
    }
    if (effectiveFrom !== null) checkNotInvoiced(siteId, effectiveFrom, 'a change of tariff');
    else if (firstOpenDate(siteId) !== null)
      throw new ApiFailure('validation', 'Choose the date the change takes effect from.', {
        field: 'effectiveFrom',
      });
    const effectiveFromMs =
      effectiveFrom === null ? 0 : localMidnight(effectiveFrom, zoneOf(siteId));
    db.transaction((tx) => {
      tx.delete(tariffAssignments)
        .where(
          and(
            eq(tariffAssignments.target, target),
            eq(tariffAssignments.targetId, targetId),
            effectiveFrom === null
              ? isNull(tariffAssignments.effectiveFrom)
              : eq(tariffAssignments.effectiveFrom, effectiveFrom),
          ),
        )
        .run();
      tx.insert(tariffAssignments)
        .values({
          siteId,
          target,
          targetId,
          tariffId,
          effectiveFrom,
          effectiveFromMs,
          updatedAt: now,
        })
        .run();
    });
  }

  /** The first local date not in an invoiced period (null: nothing invoiced yet). */
  function firstOpenDate(siteId: number): string | null {
    const last = db
      .select({ end: invoiceRuns.periodEnd })
      .from(invoiceRuns)
      .where(eq(invoiceRuns.siteId, siteId))
      .orderBy(desc(invoiceRuns.periodEndMs))
      .get();
    return last ? addDays(last.end, 1) : null;
  }

  /** Every assignment row of the site, oldest first (the history). */
  function assignmentHistory(siteId: number) {
    return db
      .select()
      .from(tariffAssignments)
      .where(eq(tariffAssignments.siteId, siteId))
      .orderBy(asc(tariffAssignments.effectiveFromMs), asc(tariffAssignments.id))
      .all();
  }

  /** What applies at instant `at`, per target (targets whose latest row ends them are left out). */
  function assignments(siteId: number, at: number) {
    const current = new Map<string, typeof tariffAssignments.$inferSelect>();
    for (const a of assignmentHistory(siteId)) {
      if (a.effectiveFromMs <= at) current.set(`${a.target}:${a.targetId}`, a);
    }
    return [...current.values()].flatMap((a) =>
      a.tariffId === null ? [] : [{ ...a, tariffId: a.tariffId }],
    );
  }

  function holidays(siteId: number) {
    return db
      .select({ date: siteHolidays.date, name: siteHolidays.name })
      .from(siteHolidays)
      .where(eq(siteHolidays.siteId, siteId))
      .orderBy(asc(siteHolidays.date))
      .all();
  }

  function setHolidays(siteId: number, list: { date: string; name: string }[]): void {
    const seen = new Set<string>();
    list.forEach((h, i) => {
      if (Number.isNaN(Date.parse(`${h.date}T00:00:00Z`)) || !/^\d{4}-\d{2}-\d{2}$/.test(h.date)) {
        throw new ApiFailure('validation', `Holiday ${i + 1}: "${h.date}" is not a date.`, {
          field: `holidays.${i}.date`,
        });
      }
      if (seen.has(h.date)) {
        throw new ApiFailure(
          'validation',
          `${formatLocalDate(h.date)} is listed twice; keep one public holiday per date.`,
          { field: `holidays.${i}.date` },
        );
      }
      seen.add(h.date);
    });
    db.transaction((tx) => {
      tx.delete(siteHolidays).where(eq(siteHolidays.siteId, siteId)).run();
      for (const h of list)
        tx.insert(siteHolidays)
          .values({ siteId, ...h })
          .run();
    });
  }

  /** The version of a tariff in effect at instant t, or null. */
  function versionAt(tariffId: number, t: number): TariffVersionRow | null {
    const v = db
      .select({
        id: tariffVersions.id,
        tariffId: tariffVersions.tariffId,
        effectiveFromMs: tariffVersions.effectiveFromMs,
        definition: tariffVersions.definition,
        name: tariffs.name,
      })
      .from(tariffVersions)
      .innerJoin(tariffs, eq(tariffs.id, tariffVersions.tariffId))
      .where(and(eq(tariffVersions.tariffId, tariffId), lte(tariffVersions.effectiveFromMs, t)))
      .orderBy(desc(tariffVersions.effectiveFromMs))
      .get();
    if (!v) return null;
    return { ...v, tariff: JSON.parse(v.definition) as Tariff };
  }

  /** Every version of a tariff, oldest first (a run reads them once, not per session). */
  function versionsOf(tariffId: number): TariffVersionRow[] {
    return db
      .select({
        id: tariffVersions.id,
        tariffId: tariffVersions.tariffId,
        effectiveFromMs: tariffVersions.effectiveFromMs,
        definition: tariffVersions.definition,
        name: tariffs.name,
      })
      .from(tariffVersions)
      .innerJoin(tariffs, eq(tariffs.id, tariffVersions.tariffId))
      .where(eq(tariffVersions.tariffId, tariffId))
      .orderBy(asc(tariffVersions.effectiveFromMs))
      .all()
      .map((v) => ({ ...v, tariff: JSON.parse(v.definition) as Tariff }));
  }

  /** A resolver over the site's assignment history (read once per run), at a given instant. */
  function resolver(siteId: number) {
    const byKey = new Map<string, { fromMs: number; tariffId: number | null }[]>();
    for (const a of assignmentHistory(siteId)) {
      const key = `${a.target}:${a.targetId}`;
      byKey.set(key, [
        ...(byKey.get(key) ?? []),
        { fromMs: a.effectiveFromMs, tariffId: a.tariffId },
      ]);
    }
    const get = (target: TariffTarget, id: number | null | undefined, at: number) => {
      if (id == null) return undefined;
      const rows = byKey.get(`${target}:${id}`) ?? [];
      // Oldest first: the last one in force at `at` wins; a null row ends the assignment.
      return rows.filter((r) => r.fromMs <= at).at(-1)?.tariffId ?? undefined;
    };
    return {
      /** The tariff for a session at `at` (when it started): account, bay, connector, station, site. */
      forSession(q: {
        accountId: number | null;
        connectorId: number | null;
        isBay: boolean;
        stationId: number | null;
        at: number;
      }): number | null {
        return (
          get('account', q.accountId, q.at) ??
          (q.isBay ? get('bay', q.connectorId, q.at) : undefined) ??
          get('connector', q.connectorId, q.at) ??
          get('station', q.stationId, q.at) ??
          get('site', siteId, q.at) ??
          null
        );
      },
      /** The tariff whose per-account monthly fee an account pays, at `at`. */
      forAccount(accountId: number, at: number): number | null {
        return get('account', accountId, at) ?? get('site', siteId, at) ?? null;
      },
      /** The tariff whose per-bay monthly fee a private bay pays, at `at`. */
      forBay(connectorId: number, stationId: number, at: number): number | null {
        return (
          get('bay', connectorId, at) ??
          get('connector', connectorId, at) ??
          get('station', stationId, at) ??
          get('site', siteId, at) ??
          null
        );
      },
    };
  }

  return {
    zoneOf,
    create,
    addVersion,
    list,
    record,
    assign,
    assignments,
    assignmentHistory,
    firstOpenDate,
    holidays,
    setHolidays,
    versionAt,
    versionsOf,
    resolver,
  };
}

export type TariffStore = ReturnType<typeof createTariffStore>;
