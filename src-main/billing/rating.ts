// The rating core: one charging session + its tariff → invoice lines in integer cents, each with
// an explanation of every cent. Pure: no I/O, no clock reads; the site's time zone is passed in.
// Method (rounding, interpolation, DST, periods) is written up in docs/billing.md.
import {
  divRound,
  formatCents,
  formatMillicents,
  GST_DEN,
  GST_NUM,
} from '../../src-shared/billing/money';
import {
  coverage,
  DAYS,
  type Day,
  type Tariff,
  type TariffComponent,
  type TimeOfUse,
} from '../../src-shared/billing/tariff';
import { isoDateOf, zoneClock, type Wall, type ZoneClock } from './zone-clock';

export interface SessionToRate {
  /** UTC epoch ms. */
  startedAt: number;
  endedAt: number;
  meterStartWh: number;
  meterStopWh: number;
  /** When the car stopped drawing power (e.g. from a SuspendedEV status), if known. */
  chargingStoppedAt?: number | null;
}

/** One reading of the energy register (Wh) during the session. */
export interface MeterSample {
  at: number;
  wh: number;
}

export type LineKind = 'energy' | 'occupancy' | 'idle' | 'handlingFee' | 'monthlyFee' | 'free';

export interface RatedLine {
  kind: LineKind;
  description: string;
  /** Time-of-use band name, for energy lines of a time-of-use or pass-through-by-band tariff. */
  band?: string;
  wh?: number;
  minutes?: number;
  /** Unit price as entered (millicents per kWh or per minute), before GST is taken out. */
  unitPriceMillicents?: number;
  amountExGstCents: number;
  explanation: string;
}

export interface EnergyRun {
  band: string;
  from: number;
  to: number;
  wh: number;
}

export interface Rating {
  lines: RatedLine[];
  breakdown: {
    totalWh: number;
    /** Consecutive stretches of the session in one band, with the energy in each. */
    runs: EnergyRun[];
    occupancySeconds: number;
    idleSeconds: number;
  };
}

export type RatingResult = { ok: true; rating: Rating } | { ok: false; review: string };

type Point = { at: number; wh: number };

/** The session's register as points from start to end; or why it cannot be billed as is. */
function series(s: SessionToRate, samples: readonly MeterSample[]): Point[] | string {
  if (!(s.endedAt >= s.startedAt)) return 'The session ends before it starts.';
  if (!Number.isSafeInteger(s.meterStartWh) || !Number.isSafeInteger(s.meterStopWh)) {
    return 'A start or stop meter reading is missing.';
  }
  if (s.meterStopWh < s.meterStartWh)
    return 'The meter went backwards (stop reading below start reading).';
  const inside = samples
    .filter((p) => p.at > s.startedAt && p.at < s.endedAt)
    .slice()
    .sort((a, b) => a.at - b.at);
  const pts: Point[] = [
    { at: s.startedAt, wh: s.meterStartWh },
    ...inside,
    { at: s.endedAt, wh: s.meterStopWh },
  ];
  for (let i = 1; i < pts.length; i++) {
    const [a, b] = [pts[i - 1] as Point, pts[i] as Point];
    if (!Number.isSafeInteger(b.wh))
      return `A meter sample at ${new Date(b.at).toISOString()} is not a whole Wh.`;
    if (b.wh < a.wh)
      return `The meter went backwards at ${new Date(b.at).toISOString()} (${a.wh} Wh → ${b.wh} Wh).`;
  }
  return pts;
}

/** Register value at instant t, rounded to the Wh: linear in time between the two points around t. */
function whAt(pts: readonly Point[], t: number): number {
  for (let i = 1; i < pts.length; i++) {
    const [a, b] = [pts[i - 1] as Point, pts[i] as Point];
    if (t <= b.at) {
      if (t <= a.at || b.at === a.at) return a.wh;
      if (t === b.at) return b.wh;
      return a.wh + divRound(BigInt(b.wh - a.wh) * BigInt(t - a.at), BigInt(b.at - a.at));
    }
  }
  return (pts[pts.length - 1] as Point).wh;
}

/**
 * The first instant after `t` (wall clock `w`) at which the wall clock reads `minute` (0–1440)
 * of w's date, or the instant the clocks change (DST), whichever comes first: the caller re-reads
 * the wall clock there. So a boundary inside the hour skipped in spring falls at the jump, and
 * the hour repeated in autumn is walked twice, each pass priced by its wall time.
 */
function wallInstant(clock: ZoneClock, t: number, w: Wall, minute: number): number {
  const offset = w.offset;
  const wall = Date.UTC(w.year, w.month - 1, w.day, 0, minute);
  const sameOffset = wall - offset * 60_000;
  if (clock.offsetAt(sameOffset) === offset) return sameOffset;
  let [lo, hi] = [t, sameOffset];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (clock.offsetAt(mid) === offset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** A time-of-use table ready to walk: per day, each minute's band and where its stretch ends. */
interface WalkTable {
  band: Record<Day, number[]>;
  /** The first minute after m (≤ 1440) whose band differs from m's. */
  runEnd: Record<Day, Int16Array>;
  holidays: Set<string>;
}

// Built once per TimeOfUse object (a run rates thousands of sessions with the same one).
const walkTables = new WeakMap<TimeOfUse, WalkTable>();

function walkTable(tou: TimeOfUse): WalkTable {
  let w = walkTables.get(tou);
  if (w) return w;
  const { table } = coverage(tou, '');
  const runEnd = {} as Record<Day, Int16Array>;
  for (const d of DAYS) {
    const row = table[d];
    const ends = new Int16Array(1440);
    let end = 1440;
    for (let m = 1439; m >= 0; m--) {
      if (m < 1439 && row[m + 1] !== row[m]) end = m + 1;
      ends[m] = end;
    }
    runEnd[d] = ends;
  }
  w = { band: table, runEnd, holidays: new Set(tou.holidays) };
  walkTables.set(tou, w);
  return w;
}

/** Stretches of [start, end) in one band, walking wall-clock time in `zone` (DST-aware). */
export function bandRuns(
  tou: TimeOfUse,
  zone: string,
  start: number,
  end: number,
): Array<{ band: number; from: number; to: number }> {
  const { band: table, runEnd, holidays } = walkTable(tou);
  const clock = zoneClock(zone);
  const runs: Array<{ band: number; from: number; to: number }> = [];
  let t = start;
  while (t < end) {
    const w = clock.wall(t);
    const day =
      holidays.size > 0 && holidays.has(isoDateOf(w))
        ? tou.holidayAs
        : (DAYS[w.weekday - 1] ?? 'mon');
    const minute = w.hour * 60 + w.minute;
    const band = table[day][minute] ?? -1;
    const next = wallInstant(clock, t, w, runEnd[day][minute] ?? 1440);
    // wallInstant always moves forward; this guard keeps a future mistake from hanging a run.
    if (next <= t)
      throw new Error(
        `Time-of-use walk made no progress at ${new Date(t).toISOString()} in ${zone}.`,
      );
    const to = Math.min(next, end);
    const last = runs[runs.length - 1];
    if (last && last.band === band) last.to = to;
    else runs.push({ band, from: t, to });
    t = to;
  }
  return runs;
}

const WH_PER_KWH = 1000n;
const MC_PER_CENT = 1000n;

/** Multiplier that turns an entered price into an ex-GST price: 10/11 if entered inc GST. */
function exGst(tariff: Tariff): [bigint, bigint] {
  return tariff.pricesIncludeGst ? [GST_DEN, GST_DEN + GST_NUM] : [1n, 1n];
}

function kwh(wh: number): string {
  return `${(wh / 1000).toFixed(3)} kWh`;
}

function gstNote(tariff: Tariff): string {
  return tariff.pricesIncludeGst ? ' (price inc GST; ex GST = × 10/11)' : '';
}

function energyLines(
  tariff: Tariff,
  pts: readonly Point[],
  s: SessionToRate,
  zone: string,
  priced: { kind: 'flat'; millicentsPerKwh: number } | ({ kind: 'timeOfUse' } & TimeOfUse),
  margin: number | null,
  runsOut: EnergyRun[],
): RatedLine[] {
  const [gn, gd] = exGst(tariff);
  const marginNum = BigInt(10_000 + (margin ?? 0));
  const marginNote = margin === null ? '' : ` + ${margin / 100} % margin`;
  const what = margin === null ? 'Energy' : 'Energy (electricity cost';
  const close = margin === null ? '' : `${marginNote})`;
  const line = (wh: number, mc: number, band?: string): RatedLine => {
    const amount = divRound(
      BigInt(wh) * BigInt(mc) * marginNum * gn,
      WH_PER_KWH * MC_PER_CENT * 10_000n * gd,
    );
    return {
      kind: 'energy',
      description: `${what}${close}${band ? ` — ${band}` : ''}`,
      ...(band ? { band } : {}),
      wh,
      unitPriceMillicents: mc,
      amountExGstCents: amount,
      explanation: `${kwh(wh)} × ${formatMillicents(mc)}/kWh${marginNote}${gstNote(tariff)} = ${formatCents(amount)} ex GST`,
    };
  };
  const total = s.meterStopWh - s.meterStartWh;
  if (priced.kind === 'flat') {
    runsOut.push({ band: '', from: s.startedAt, to: s.endedAt, wh: total });
    return [line(total, priced.millicentsPerKwh)];
  }
  // Each run's energy is the difference of the (rounded) register at its two ends, so the parts
  // always add up to the session total exactly.
  const perBand = new Map<number, number>();
  for (const r of bandRuns(priced, zone, s.startedAt, s.endedAt)) {
    const wh = whAt(pts, r.to) - whAt(pts, r.from);
    runsOut.push({ band: priced.bands[r.band]?.name ?? '', from: r.from, to: r.to, wh });
    perBand.set(r.band, (perBand.get(r.band) ?? 0) + wh);
  }
  return [...perBand.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, wh]) => {
      const b = priced.bands[i];
      return line(wh, b?.millicentsPerKwh ?? 0, b?.name ?? '');
    });
}

/** When the car stopped drawing power: as reported, else the first reading already at the final
 *  register value (to sample resolution; errs towards fewer idle minutes). */
function chargingStop(s: SessionToRate, pts: readonly Point[]): number {
  if (s.chargingStoppedAt != null)
    return Math.min(Math.max(s.chargingStoppedAt, s.startedAt), s.endedAt);
  const first = pts.find((p) => p.wh === s.meterStopWh);
  return first && s.meterStopWh > s.meterStartWh ? first.at : s.endedAt;
}

function minuteLine(
  tariff: Tariff,
  c: Extract<TariffComponent, { kind: 'perMinute' }>,
  seconds: number,
): RatedLine {
  const [gn, gd] = exGst(tariff);
  const minutes = Math.max(0, Math.floor((seconds - c.graceMinutes * 60) / 60));
  const amount = divRound(BigInt(minutes) * BigInt(c.millicentsPerMinute) * gn, MC_PER_CENT * gd);
  const label = c.basis === 'idle' ? 'Idle time after charging' : 'Bay occupancy';
  return {
    kind: c.basis,
    description: label,
    minutes,
    unitPriceMillicents: c.millicentsPerMinute,
    amountExGstCents: amount,
    explanation: `${Math.floor(seconds / 60)} min ${seconds % 60} s ${c.basis === 'idle' ? 'idle' : 'in the bay'}, less ${c.graceMinutes} min grace = ${minutes} whole min × ${formatMillicents(c.millicentsPerMinute)}/min${gstNote(tariff)} = ${formatCents(amount)} ex GST`,
  };
}

/**
 * Rates one session. Monthly fees are not per session: see `rateMonthlyFees`. The tariff must
 * have passed `validateTariff`; a session whose readings cannot be trusted comes back as
 * `{ ok: false, review }` and is never billed as zero or as a guess.
 */
export function rateSession(
  tariff: Tariff,
  session: SessionToRate,
  samples: readonly MeterSample[],
  zone: string,
): RatingResult {
  const pts = series(session, samples);
  if (typeof pts === 'string') return { ok: false, review: pts };
  const totalWh = session.meterStopWh - session.meterStartWh;
  const occupancySeconds = Math.floor((session.endedAt - session.startedAt) / 1000);
  const idleSeconds = Math.floor((session.endedAt - chargingStop(session, pts)) / 1000);
  const runs: EnergyRun[] = [];
  const lines: RatedLine[] = [];
  for (const c of tariff.components) {
    switch (c.kind) {
      case 'perKwh':
        lines.push(
          ...energyLines(
            tariff,
            pts,
            session,
            zone,
            { kind: 'flat', millicentsPerKwh: c.millicentsPerKwh },
            null,
            runs,
          ),
        );
        break;
      case 'timeOfUse':
        lines.push(...energyLines(tariff, pts, session, zone, c, null, runs));
        break;
      case 'passThrough': {
        lines.push(...energyLines(tariff, pts, session, zone, c.cost, c.marginBasisPoints, runs));
        if (c.handlingFeeCents > 0) {
          const [gn, gd] = exGst(tariff);
          const amount = divRound(BigInt(c.handlingFeeCents) * gn, gd);
          lines.push({
            kind: 'handlingFee',
            description: 'Handling fee',
            amountExGstCents: amount,
            explanation: `${formatCents(c.handlingFeeCents)} per session${gstNote(tariff)} = ${formatCents(amount)} ex GST`,
          });
        }
        break;
      }
      case 'perMinute':
        lines.push(minuteLine(tariff, c, c.basis === 'idle' ? idleSeconds : occupancySeconds));
        break;
      case 'free':
        runs.push({ band: '', from: session.startedAt, to: session.endedAt, wh: totalWh });
        lines.push({
          kind: 'free',
          description: 'Free charging',
          wh: totalWh,
          amountExGstCents: 0,
          explanation: `${kwh(totalWh)} at no charge`,
        });
        break;
      case 'monthlyFee':
        break;
      default:
        c satisfies never;
    }
  }
  return {
    ok: true,
    rating: { lines, breakdown: { totalWh, runs, occupancySeconds, idleSeconds } },
  };
}

/** The tariff's monthly fees for `months` whole months (1 monthly, 3 quarterly). */
export function rateMonthlyFees(tariff: Tariff, months: number): RatedLine[] {
  const [gn, gd] = exGst(tariff);
  return tariff.components.flatMap((c) => {
    if (c.kind !== 'monthlyFee') return [];
    const amount = divRound(BigInt(c.cents) * BigInt(months) * gn, gd);
    return [
      {
        kind: 'monthlyFee',
        description: `Monthly access fee (per ${c.per})`,
        amountExGstCents: amount,
        explanation: `${months} × ${formatCents(c.cents)}${gstNote(tariff)} = ${formatCents(amount)} ex GST`,
      } satisfies RatedLine,
    ];
  });
}

/** Days an account owned the lot in one month of the period, out of the month's days. */
export interface OwnedShare {
  owned: number;
  days: number;
  label: string;
}

/**
 * Monthly fees prorated by days owned (a lot that changed owner mid-period): per component one
 * line of fee × Σ(owned / days) over the period's months, as one exact fraction rounded once,
 * half up, like every line (docs/billing.md "Monthly fees"). Every month whole: the same line as
 * rateMonthlyFees. A month with no day owned adds nothing; no day at all: no line.
 */
export function rateProratedFees(tariff: Tariff, shares: readonly OwnedShare[]): RatedLine[] {
  if (shares.every((m) => m.owned === m.days)) return rateMonthlyFees(tariff, shares.length);
  const owned = shares.filter((m) => m.owned > 0);
  if (owned.length === 0) return [];
  const [gn, gd] = exGst(tariff);
  // Σ owned_i / days_i over one common denominator (the product of the month lengths).
  const den = owned.reduce((d, m) => d * BigInt(m.days), 1n);
  const num = owned.reduce((n, m) => n + (BigInt(m.owned) * den) / BigInt(m.days), 0n);
  const fraction = owned.map((m) => `${m.owned}/${m.days} days of ${m.label}`).join(' + ');
  const days = owned.reduce((n, m) => n + m.owned, 0);
  return tariff.components.flatMap((c) => {
    if (c.kind !== 'monthlyFee') return [];
    const amount = divRound(BigInt(c.cents) * num * gn, den * gd);
    return [
      {
        kind: 'monthlyFee',
        description: `Monthly access fee (per ${c.per}), ${days} day${days === 1 ? '' : 's'} owned`,
        amountExGstCents: amount,
        explanation: `${formatCents(c.cents)} × (${fraction})${gstNote(tariff)} = ${formatCents(amount)} ex GST`,
      } satisfies RatedLine,
    ];
  });
}

/** Period rule: a session belongs to the billing period [periodStart, periodEnd) in which it ended. */
export function inPeriod(
  session: Pick<SessionToRate, 'endedAt'>,
  periodStart: number,
  periodEnd: number,
): boolean {
  return session.endedAt >= periodStart && session.endedAt < periodEnd;
}
