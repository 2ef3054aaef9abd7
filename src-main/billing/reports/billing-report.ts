// Billing reports for a site over its billing periods (docs/billing.md "Reports"):
// - revenue per period: the issued invoices and credit notes of the period's run (a voided
//   invoice and its credit note cancel; a re-issue counts), ex GST, GST, inc GST;
// - energy: delivered by the chargers (every completed session that ended in the period, the
//   period rule of a run, by its meter readings, a review's stop reading winning) vs billed (those
//   of them on a live invoice, whichever run billed them), so held, unattributed, excluded or
//   not-yet-issued energy shows as unbilled; and, where the manager read a building (car-park sub-)meter at the range's ends,
//   the energy it measured and the losses (meter − delivered);
// - operating margin: revenue ex GST − the electricity cost of the delivered energy, at a flat
//   price per kWh or by a stored time-of-use tariff used as the cost (each session split by its
//   meter samples across the bands, exactly as rating does).
// Read-only and synchronous; money in integer cents, energy in Wh.
import { ApiFailure } from '../../../src-shared/api/result';
import type { Tariff } from '../../../src-shared/billing/tariff';
import type { BillingSettings } from '../../../src-shared/billing/settings';
import type { Db } from '../../db/open';
import { addDays, periodContaining, type Period } from '../periods';
import { rateSession } from '../rating';
import type { TariffStore } from '../tariff-store';

export type CostBasis =
  | { kind: 'flat'; millicentsPerKwh: number }
  | { kind: 'tariff'; tariffId: number }
  | { kind: 'none' };

export interface PeriodFigures {
  label: string;
  start: string;
  end: string;
  runId: number | null;
  invoices: number;
  exGstCents: number;
  gstCents: number;
  incGstCents: number;
  billedWh: number;
  deliveredWh: number;
  unbilledWh: number;
  /** Delivered sessions not billed (held, no account, excluded, not yet issued). */
  unbilledSessions: number;
  costCents: number | null;
  marginCents: number | null;
}

export interface BillingReport {
  periods: PeriodFigures[];
  totals: Omit<PeriodFigures, 'label' | 'start' | 'end' | 'runId'>;
  buildingMeter: { measuredWh: number; deliveredWh: number; lossesWh: number } | null;
  costNote: string;
}

/** At most this many periods in one report (eight years of months). */
export const MAX_REPORT_PERIODS = 96;

export function createBillingReports(db: Db, tariffs: TariffStore) {
  const runStmt = db.$client.prepare(
    `SELECT id FROM invoice_runs WHERE site_id = ? AND period_start = ?`,
  );
  const revenueStmt = db.$client.prepare(`
    SELECT count(CASE WHEN kind = 'invoice' AND status <> 'void' THEN 1 END) AS invoices,
           coalesce(sum(ex_gst_cents), 0) AS ex, coalesce(sum(gst_cents), 0) AS gst,
           coalesce(sum(inc_gst_cents), 0) AS inc
    FROM invoices WHERE run_id = ?`);
  // The same reading of a session as a run's (run-builder.ts): a review's stop wins.
  const deliveredStmt = db.$client.prepare(`
    SELECT t.id, t.started_at AS startedAt, coalesce(rs.stopped_at, t.stopped_at) AS stoppedAt,
           t.meter_start_wh AS meterStartWh,
           coalesce(rs.meter_stop_wh, t.meter_stop_wh) AS meterStopWh,
           EXISTS (SELECT 1 FROM invoice_sessions s
                   WHERE s.transaction_id = t.id AND s.live = 1) AS billed
    FROM transactions t JOIN stations st ON st.id = t.station_id
    LEFT JOIN session_review_state rs ON rs.transaction_id = t.id
    WHERE st.site_id = ? AND coalesce(rs.stopped_at, t.stopped_at) >= ?
      AND coalesce(rs.stopped_at, t.stopped_at) < ?
      AND coalesce(rs.meter_stop_wh, t.meter_stop_wh) IS NOT NULL`);
  const samplesStmt = db.$client.prepare(
    `SELECT timestamp AS at, energy_wh AS wh FROM meter_values
     WHERE transaction_id = ? AND energy_wh IS NOT NULL ORDER BY timestamp`,
  );

  function periodsBetween(s: BillingSettings, zone: string, from: string, to: string): Period[] {
    if (to < from)
      throw new ApiFailure('validation', 'The report’s end date is before its start date.', {
        field: 'to',
      });
    const out: Period[] = [];
    let p = periodContaining(s, zone, from);
    while (p.start <= to) {
      out.push(p);
      if (out.length > MAX_REPORT_PERIODS)
        throw new ApiFailure(
          'validation',
          `A report covers at most ${MAX_REPORT_PERIODS} billing periods: choose a shorter range.`,
          { field: 'from' },
        );
      p = periodContaining(s, zone, addDays(p.end, 1));
    }
    return out;
  }

  function costTariff(siteId: number, basis: CostBasis, at: number): Tariff | null {
    if (basis.kind !== 'tariff') return null;
    const rec = tariffs.versionAt(basis.tariffId, at);
    if (!rec || tariffs.record(basis.tariffId, at).siteId !== siteId)
      throw new ApiFailure(
        'not-found',
        'That cost tariff is not one of this site’s, or had no version then.',
        { field: 'cost.tariffId' },
      );
    return rec.tariff;
  }

  /**
   * Throws the ApiFailure report() would for this question (dates, range, cost tariff, meter
   * readings) without reading any session: for a download, refused in words before it starts.
   */
  function check(
    siteId: number,
    settings: BillingSettings,
    range: { from: string; to: string },
    basis: CostBasis,
    meter: { openingWh: number; closingWh: number } | null,
  ): Period[] {
    const zone = tariffs.zoneOf(siteId);
    if (basis.kind === 'tariff') costTariff(siteId, basis, Number.MAX_SAFE_INTEGER);
    if (meter && meter.closingWh < meter.openingWh)
      throw new ApiFailure(
        'validation',
        'The building meter’s closing reading is below its opening reading.',
        { field: 'buildingMeter.closingWh' },
      );
    return periodsBetween(settings, zone, range.from, range.to);
  }

  function report(
    siteId: number,
    settings: BillingSettings,
    range: { from: string; to: string },
    basis: CostBasis,
    meter: { openingWh: number; closingWh: number } | null,
  ): BillingReport {
    const zone = tariffs.zoneOf(siteId);
    const periods = check(siteId, settings, range, basis, meter).map((p) => {
      const run = runStmt.get(siteId, p.start) as { id: number } | undefined;
      const rev = run
        ? (revenueStmt.get(run.id) as { invoices: number; ex: number; gst: number; inc: number })
        : { invoices: 0, ex: 0, gst: 0, inc: 0 };
      const sessions = deliveredStmt.all(siteId, p.startMs, p.endMs) as {
        id: number;
        startedAt: number;
        stoppedAt: number;
        meterStartWh: number;
        meterStopWh: number;
        billed: number;
      }[];
      let deliveredWh = 0;
      let billedWh = 0;
      let unbilledSessions = 0;
      let costCents: number | null = basis.kind === 'none' ? null : 0;
      let flatMillicents = 0n;
      for (const s of sessions) {
        const wh = Math.max(0, s.meterStopWh - s.meterStartWh);
        deliveredWh += wh;
        if (s.billed) billedWh += wh;
        else unbilledSessions += 1;
        if (basis.kind === 'flat') flatMillicents += BigInt(wh) * BigInt(basis.millicentsPerKwh);
        if (basis.kind === 'tariff' && costCents !== null) {
          const t = costTariff(siteId, basis, s.startedAt);
          const r = t
            ? rateSession(
                { ...t, components: t.components.filter((c) => c.kind !== 'monthlyFee') },
                {
                  startedAt: s.startedAt,
                  endedAt: s.stoppedAt,
                  meterStartWh: s.meterStartWh,
                  meterStopWh: s.meterStopWh,
                },
                samplesStmt.all(s.id) as { at: number; wh: number }[],
                zone,
              )
            : null;
          // A session whose readings cannot be rated costs its energy at no band: counted in
          // delivered energy, left out of the cost (the note says how many).
          if (r?.ok) costCents += r.rating.lines.reduce((a, l) => a + l.amountExGstCents, 0);
        }
      }
      // Flat cost: Wh × millicents/kWh = 10⁻⁶ cents; rounded once per period, half up.
      if (basis.kind === 'flat') costCents = Number((flatMillicents + 500_000n) / 1_000_000n);
      return {
        label: p.label,
        start: p.start,
        end: p.end,
        runId: run?.id ?? null,
        invoices: rev.invoices,
        exGstCents: rev.ex,
        gstCents: rev.gst,
        incGstCents: rev.inc,
        billedWh,
        deliveredWh,
        unbilledWh: deliveredWh - billedWh,
        unbilledSessions,
        costCents,
        marginCents: costCents === null ? null : rev.ex - costCents,
      } satisfies PeriodFigures;
    });
    const sum = (f: (p: PeriodFigures) => number) => periods.reduce((a, p) => a + f(p), 0);
    const totals = {
      invoices: sum((p) => p.invoices),
      exGstCents: sum((p) => p.exGstCents),
      gstCents: sum((p) => p.gstCents),
      incGstCents: sum((p) => p.incGstCents),
      billedWh: sum((p) => p.billedWh),
      deliveredWh: sum((p) => p.deliveredWh),
      unbilledWh: sum((p) => p.unbilledWh),
      unbilledSessions: sum((p) => p.unbilledSessions),
      costCents: basis.kind === 'none' ? null : sum((p) => p.costCents ?? 0),
      marginCents: basis.kind === 'none' ? null : sum((p) => p.marginCents ?? 0),
    };
    let buildingMeter: BillingReport['buildingMeter'] = null;
    if (meter) {
      const measuredWh = meter.closingWh - meter.openingWh;
      buildingMeter = {
        measuredWh,
        deliveredWh: totals.deliveredWh,
        lossesWh: measuredWh - totals.deliveredWh,
      };
    }
    const costNote =
      basis.kind === 'none'
        ? 'Enter the electricity cost to see the operating margin.'
        : basis.kind === 'flat'
          ? `Cost: delivered energy × ${basis.millicentsPerKwh / 1000} c/kWh ex GST, rounded once per period (half up). Margin = revenue ex GST − cost.`
          : 'Cost: each delivered session priced by the cost tariff’s bands, split by its meter samples like an invoice line (docs/billing.md). Margin = revenue ex GST − cost.';
    return { periods, totals, buildingMeter, costNote };
  }

  return { report, check };
}

export type BillingReports = ReturnType<typeof createBillingReports>;
