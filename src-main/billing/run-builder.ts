// What a run invoices: every completed session of the site that ended before the period's end
// and is on no live invoice yet (so a session held in an earlier run is billed in the next one
// once resolved), rated with rateSession in the site's zone by the tariff version in effect when
// it started, plus each account's monthly fees for the period. Synchronous and read-only, so the
// issuing transaction computes exactly what it writes.
import { DateTime } from 'luxon';
import type { Tariff, TariffComponent } from '../../src-shared/billing/tariff';
import { invoiceTotals } from '../../src-shared/billing/money';
import type {
  InvoiceFeeLine,
  InvoicePart,
  InvoiceSessionLine,
} from '../../src-shared/billing/invoice-document';
import type { BillingSettings } from '../../src-shared/billing/settings';
import type { Db } from '../db/open';
import { rateProratedFees, rateSession, type OwnedShare, type RatedLine } from './rating';
import { feeMonths, type FeeMonth, type Period } from './periods';
import type { TariffStore, TariffVersionRow } from './tariff-store';
import { zoneClock } from './zone-clock';

export interface HeldSession {
  sessionId: number;
  accountId: number | null;
  lot: string | null;
  charger: string;
  ended: string;
  reason: string;
}

export interface AccountBill {
  accountId: number;
  lotNumber: string;
  unitNumber: string | null;
  ownerNames: string;
  sessions: InvoiceSessionLine[];
  fees: InvoiceFeeLine[];
  totals: { exGstCents: number; gstCents: number; incGstCents: number };
  warnings: string[];
}

export interface RunContent {
  accounts: AccountBill[];
  held: HeldSession[];
}

interface SessionRow {
  id: number;
  stationId: number;
  connectorNumber: number;
  startedAt: number;
  stoppedAt: number;
  meterStartWh: number;
  meterStopWh: number | null;
  flag: string | null;
  flagReason: string | null;
  stationName: string;
  connectorId: number | null;
  bayLabel: string | null;
  bayKind: string | null;
  accountId: number | null;
  free: number | null;
}

interface AccountRow {
  id: number;
  openedAt: number;
  closedAt: number | null;
  lotNumber: string;
  unitNumber: string | null;
  ownerNames: string;
  invoiceEmails: string;
}

const FREE: Tariff = {
  name: 'Free (visitor bay)',
  pricesIncludeGst: false,
  components: [{ kind: 'free' }],
};

/** The site's public holidays join each time-of-use table's own list. */
function withHolidays(t: Tariff, holidays: string[]): Tariff {
  if (holidays.length === 0) return t;
  const add = <T extends { holidays: string[] }>(c: T): T => ({
    ...c,
    holidays: [...new Set([...c.holidays, ...holidays])],
  });
  return {
    ...t,
    components: t.components.map((c): TariffComponent => {
      if (c.kind === 'timeOfUse') return add(c);
      if (c.kind === 'passThrough' && c.cost.kind === 'timeOfUse')
        return { ...c, cost: add(c.cost) };
      return c;
    }),
  };
}

function rateText(l: RatedLine, t: Tariff): string | null {
  if (l.unitPriceMillicents === undefined) return null;
  const unit = l.kind === 'energy' ? 'kWh' : 'min';
  return `${l.unitPriceMillicents / 1000} c/${unit}${t.pricesIncludeGst ? ' inc GST' : ''}`;
}

function toPart(l: RatedLine, t: Tariff): InvoicePart {
  return {
    description: l.description,
    wh: l.wh ?? null,
    minutes: l.minutes ?? null,
    rate: rateText(l, t),
    amountExGstCents: l.amountExGstCents,
    explanation: l.explanation,
  };
}

export function createRunBuilder(db: Db, tariffs: TariffStore) {
  // A session's billable state, by the sessions domain's rules (src-main/sessions/billable.ts,
  // docs/sessions.md "How billing reads a session"): a review's attribution, stop reading and
  // stop time win over the charger's; excluded sessions are never billed; a flag with no
  // decision on it holds the session. `flag` is non-null only while it holds.
  const sessionsStmt = db.$client.prepare(`
    SELECT t.id, t.station_id AS stationId, t.connector_number AS connectorNumber,
           t.started_at AS startedAt, coalesce(rs.stopped_at, t.stopped_at) AS stoppedAt,
           t.meter_start_wh AS meterStartWh,
           coalesce(rs.meter_stop_wh, t.meter_stop_wh) AS meterStopWh,
           CASE WHEN t.flag IS NOT NULL AND (rs.transaction_id IS NULL OR rs.flag IS NOT t.flag
                OR rs.flag_reason IS NOT t.flag_reason) THEN t.flag END AS flag,
           t.flag_reason AS flagReason, st.name AS stationName,
           c.id AS connectorId, b.label AS bayLabel, b.kind AS bayKind,
           coalesce(rs.account_id, sa.account_id) AS accountId, sa.free AS free
    FROM transactions t
    JOIN stations st ON st.id = t.station_id
    LEFT JOIN connectors c ON c.station_id = t.station_id AND c.connector_number = t.connector_number
    LEFT JOIN bays b ON b.connector_id = c.id
    LEFT JOIN session_accounts sa ON sa.transaction_id = t.id
    LEFT JOIN session_review_state rs ON rs.transaction_id = t.id
    WHERE st.site_id = ? AND coalesce(rs.excluded, 0) = 0
      AND coalesce(rs.stopped_at, t.stopped_at) IS NOT NULL
      AND coalesce(rs.stopped_at, t.stopped_at) < ?
      AND NOT EXISTS (SELECT 1 FROM invoice_sessions i WHERE i.transaction_id = t.id AND i.live = 1)
    ORDER BY coalesce(rs.stopped_at, t.stopped_at), t.id`);
  const samplesStmt = db.$client.prepare(
    `SELECT timestamp AS at, energy_wh AS wh FROM meter_values
     WHERE transaction_id = ? AND energy_wh IS NOT NULL ORDER BY timestamp`,
  );
  const accountsStmt = db.$client.prepare(`
    SELECT id, opened_at AS openedAt, closed_at AS closedAt, lot_number AS lotNumber,
           unit_number AS unitNumber, owner_names AS ownerNames, invoice_emails AS invoiceEmails
    FROM accounts WHERE site_id = ? AND opened_at < ? AND (closed_at IS NULL OR closed_at > ?)`);
  const accountStmt = db.$client.prepare(`
    SELECT id, opened_at AS openedAt, closed_at AS closedAt, lot_number AS lotNumber,
           unit_number AS unitNumber, owner_names AS ownerNames, invoice_emails AS invoiceEmails
    FROM accounts WHERE id = ?`);
  // A private bay serves whoever owns its lot (it follows a sale by itself, docs/residents.md),
  // so its fee goes to each account of the lot for the days it owned it.
  const baysStmt = db.$client.prepare(`
    SELECT b.connector_id AS connectorId, c.station_id AS stationId, b.label,
           st.name AS stationName, c.connector_number AS connectorNumber
    FROM bays b JOIN connectors c ON c.id = b.connector_id JOIN stations st ON st.id = c.station_id
    JOIN accounts owner ON owner.id = b.account_id
    WHERE b.kind = 'private' AND owner.site_id = ? AND owner.lot_number = ?
    ORDER BY b.connector_id`);

  /**
   * What one build reads once, not per session or account: the assignment history, the public
   * holidays, each tariff's versions (and each version with the holidays joined, one object per
   * version, so the rating core's per-tariff tables are built once per run).
   */
  function runContext(siteId: number) {
    const resolve = tariffs.resolver(siteId);
    const holidays = tariffs.holidays(siteId).map((h) => h.date);
    const versions = new Map<number, TariffVersionRow[]>();
    const withSiteHolidays = new Map<number, Tariff>();
    /** The version of a tariff in effect at instant t (tariffs.versionAt, from memory). */
    const versionAt = (tariffId: number, t: number): TariffVersionRow | null => {
      let list = versions.get(tariffId);
      if (!list) {
        list = tariffs.versionsOf(tariffId);
        versions.set(tariffId, list);
      }
      let found: TariffVersionRow | null = null;
      for (const v of list) if (v.effectiveFromMs <= t) found = v;
      return found;
    };
    const rated = (v: TariffVersionRow): Tariff => {
      let t = withSiteHolidays.get(v.id);
      if (!t) {
        t = withHolidays(v.tariff, holidays);
        withSiteHolidays.set(v.id, t);
      }
      return t;
    };
    return { siteId, resolve, versionAt, rated };
  }
  type RunContext = ReturnType<typeof runContext>;

  /** Every session line for the given sessions, and the held ones with the reason. */
  function rateSessions(
    ctx: RunContext,
    rows: SessionRow[],
    zone: string,
    accountOf: (id: number) => AccountRow | undefined,
  ): { lines: Map<number, InvoiceSessionLine[]>; held: HeldSession[] } {
    const { resolve } = ctx;
    const clock = zoneClock(zone);
    const lines = new Map<number, InvoiceSessionLine[]>();
    const held: HeldSession[] = [];
    for (const s of rows) {
      const ended = clock.dateTime(s.stoppedAt);
      const charger = `${s.stationName} / outlet ${s.connectorNumber}`;
      const hold = (reason: string) =>
        held.push({
          sessionId: s.id,
          accountId: s.accountId,
          lot: s.accountId === null ? null : (accountOf(s.accountId)?.lotNumber ?? null),
          charger,
          ended,
          reason,
        });
      if (s.flag !== null) {
        hold(`Flagged for review: ${s.flagReason ?? s.flag}`);
        continue;
      }
      if (s.accountId === null) {
        hold('Belongs to no account (no card or bay matched it).');
        continue;
      }
      let tariff: Tariff;
      if (s.free) tariff = FREE;
      else {
        const tariffId = resolve.forSession({
          accountId: s.accountId,
          connectorId: s.connectorId,
          isBay: s.bayKind !== null,
          stationId: s.stationId,
          at: s.startedAt,
        });
        const version = tariffId === null ? null : ctx.versionAt(tariffId, s.startedAt);
        if (!version) {
          hold(
            tariffId === null
              ? 'No tariff applies: assign a tariff to the site (Billing → Tariffs).'
              : 'Its tariff had no version in effect when the session started.',
          );
          continue;
        }
        tariff = ctx.rated(version);
      }
      const samples = samplesStmt.all(s.id) as { at: number; wh: number }[];
      const r = rateSession(
        tariff,
        {
          startedAt: s.startedAt,
          endedAt: s.stoppedAt,
          meterStartWh: s.meterStartWh,
          meterStopWh: s.meterStopWh ?? Number.NaN,
        },
        samples,
        zone,
      );
      if (!r.ok) {
        hold(r.review);
        continue;
      }
      const parts = r.rating.lines.map((l) => toPart(l, tariff));
      const line: InvoiceSessionLine = {
        sessionId: s.id,
        started: clock.dateTime(s.startedAt),
        ended,
        charger,
        bay: s.bayLabel,
        meterStartWh: s.meterStartWh,
        meterStopWh: s.meterStopWh ?? s.meterStartWh,
        wh: r.rating.breakdown.totalWh,
        tariff: tariff.name,
        parts,
        amountExGstCents: parts.reduce((a, p) => a + p.amountExGstCents, 0),
      };
      const list = lines.get(s.accountId) ?? [];
      list.push(line);
      lines.set(s.accountId, list);
    }
    return { lines, held };
  }

  /**
   * The account's monthly fees (per account and per private bay of its lot) for the period,
   * prorated by the days it owned the lot in each month (a day is the account's when it owned
   * the lot at that day's 00:00 in the site's zone), by the tariff in force on its last day.
   */
  function feesFor(
    ctx: RunContext,
    a: AccountRow,
    period: Period,
    months: FeeMonth[],
  ): InvoiceFeeLine[] {
    const { resolve, siteId } = ctx;
    const until = Math.min(period.endMs, a.closedAt ?? Number.POSITIVE_INFINITY);
    const at = until - 1;
    const shares: OwnedShare[] = months.map((m) => ({
      label: m.label,
      days: m.midnights.length,
      owned: m.midnights.filter((t) => t >= a.openedAt && (a.closedAt === null || t < a.closedAt))
        .length,
    }));
    const partly = shares.some((m) => m.owned !== m.days);
    const out: InvoiceFeeLine[] = [];
    const fees = (t: Tariff, per: 'account' | 'bay', describe: (d: string) => string) => {
      for (const c of t.components) {
        if (c.kind !== 'monthlyFee' || c.per !== per) continue;
        const [l] = rateProratedFees({ ...t, components: [c] }, shares);
        if (l)
          out.push({
            description: describe(l.description),
            amountExGstCents: l.amountExGstCents,
            explanation: l.explanation,
          });
      }
    };
    const accountTariff = resolve.forAccount(a.id, at);
    const av = accountTariff === null ? null : ctx.versionAt(accountTariff, at);
    if (av) fees(av.tariff, 'account', (d) => `${d} — ${period.label}`);
    const bays = baysStmt.all(siteId, a.lotNumber) as {
      connectorId: number;
      stationId: number;
      label: string | null;
      stationName: string;
      connectorNumber: number;
    }[];
    for (const b of bays) {
      const tid = resolve.forBay(b.connectorId, b.stationId, at);
      const v = tid === null ? null : ctx.versionAt(tid, at);
      if (!v) continue;
      const bay = b.label ?? `${b.stationName} / outlet ${b.connectorNumber}`;
      fees(v.tariff, 'bay', (d) =>
        partly
          ? `Monthly bay fee (${bay}), ${d.slice(d.lastIndexOf(',') + 2)} — ${period.label}`
          : `Monthly bay fee (${bay}) — ${period.label}`,
      );
    }
    return out;
  }

  function bill(
    a: AccountRow,
    sessions: InvoiceSessionLine[],
    fees: InvoiceFeeLine[],
    heldCount: number,
    gstRegistered: boolean,
  ): AccountBill {
    const totals = invoiceTotals([...sessions.flatMap((s) => s.parts), ...fees], gstRegistered);
    const warnings: string[] = [];
    if ((JSON.parse(a.invoiceEmails) as string[]).length === 0)
      warnings.push('No invoice email: print and post this invoice.');
    if (heldCount > 0)
      warnings.push(
        `${heldCount} session${heldCount === 1 ? '' : 's'} held for review (billed in a later run once resolved).`,
      );
    return {
      accountId: a.id,
      lotNumber: a.lotNumber,
      unitNumber: a.unitNumber,
      ownerNames: a.ownerNames,
      sessions,
      fees,
      totals,
      warnings,
    };
  }

  /** Everything a run for `period` would invoice (read-only). */
  function build(siteId: number, period: Period, settings: BillingSettings): RunContent {
    const zone = tariffs.zoneOf(siteId);
    const months = feeMonths(settings, zone, period);
    const rows = sessionsStmt.all(siteId, period.endMs) as SessionRow[];
    const open = accountsStmt.all(siteId, period.endMs, period.startMs) as AccountRow[];
    const accounts = new Map(open.map((a) => [a.id, a]));
    const accountOf = (id: number) => {
      let a = accounts.get(id);
      if (!a) {
        a = accountStmt.get(id) as AccountRow | undefined;
        if (a) accounts.set(id, a);
      }
      return a;
    };
    const ctx = runContext(siteId);
    const { lines, held } = rateSessions(ctx, rows, zone, accountOf);
    for (const id of lines.keys()) accountOf(id);
    const heldOf = new Map<number, number>();
    for (const h of held)
      if (h.accountId !== null) heldOf.set(h.accountId, (heldOf.get(h.accountId) ?? 0) + 1);
    const out: AccountBill[] = [];
    for (const a of accounts.values()) {
      const sessions = lines.get(a.id) ?? [];
      const fees = feesFor(ctx, a, period, months);
      if (sessions.length === 0 && fees.length === 0) continue;
      out.push(bill(a, sessions, fees, heldOf.get(a.id) ?? 0, settings.gstRegistered));
    }
    out.sort(
      (x, y) =>
        x.lotNumber.localeCompare(y.lotNumber, 'en-AU', { numeric: true }) ||
        x.accountId - y.accountId,
    );
    return { accounts: out, held };
  }

  /** Rates the given sessions again for one account (a re-issue after a void). */
  function rebill(
    siteId: number,
    accountId: number,
    sessionIds: number[],
    fees: InvoiceFeeLine[],
    settings: BillingSettings,
  ): { bill: AccountBill; held: HeldSession[] } {
    const zone = tariffs.zoneOf(siteId);
    const wanted = new Set(sessionIds);
    const rows = (sessionsStmt.all(siteId, Number.MAX_SAFE_INTEGER) as SessionRow[]).filter((r) =>
      wanted.has(r.id),
    );
    const a = accountStmt.get(accountId) as AccountRow;
    const { lines, held } = rateSessions(runContext(siteId), rows, zone, () => a);
    return {
      bill: bill(a, lines.get(accountId) ?? [], fees, held.length, settings.gstRegistered),
      held,
    };
  }

  return { build, rebill };
}

export type RunBuilder = ReturnType<typeof createRunBuilder>;

/** "2026-03-31" → Date for en-AU display in explanations. */
export const isoToday = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toISODate() ?? '';
