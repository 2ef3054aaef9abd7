// Billing periods in the site's calendar. A period ends at the end of its end day (local
// midnight after it) and starts the day after the previous period's end day, so periods tile
// the calendar with no gap or overlap, whatever the DST changes in between.
import { DateTime } from 'luxon';
import type { BillingSettings } from '../../src-shared/billing/settings';

export interface Period {
  /** Inclusive local dates. */
  start: string;
  end: string;
  /** [startMs, endMs): local midnight at the start, local midnight after the end day. */
  startMs: number;
  endMs: number;
  label: string;
}

type Cycle = Pick<BillingSettings, 'cycle' | 'periodEndDay' | 'quarterEndMonth'>;

function endDayOf(month: DateTime, s: Cycle): DateTime {
  const last = month.endOf('month').day;
  const day = s.periodEndDay === 0 ? last : Math.min(s.periodEndDay, last);
  return month.set({ day }).startOf('day');
}

const isEndMonth = (m: number, s: Cycle) =>
  s.cycle === 'monthly' || (m - s.quarterEndMonth + 12) % 3 === 0;

/** The period end day on or after `d` (local start of day). */
function endOnOrAfter(d: DateTime, s: Cycle): DateTime {
  let month = d.startOf('month');
  for (let i = 0; i < 14; i++) {
    if (isEndMonth(month.month, s)) {
      const end = endDayOf(month, s);
      if (end >= d) return end;
    }
    month = month.plus({ months: 1 });
  }
  throw new Error('no billing period end found within 14 months');
}

/** The billing period that contains local date `date` ('YYYY-MM-DD') in `zone`. */
export function periodContaining(s: Cycle, zone: string, date: string): Period {
  const d = DateTime.fromISO(date, { zone }).startOf('day');
  if (!d.isValid) throw new RangeError(`Not a date: ${date}`);
  const end = endOnOrAfter(d, s);
  const prevMonth = end.minus({ months: s.cycle === 'monthly' ? 1 : 3 }).startOf('month');
  const start = endDayOf(prevMonth, s).plus({ days: 1 });
  const endExclusive = end.plus({ days: 1 });
  const months = s.cycle === 'monthly' ? 1 : 3;
  const label =
    s.periodEndDay === 0
      ? months === 1
        ? end.setLocale('en-AU').toFormat('LLLL yyyy')
        : `${start.setLocale('en-AU').toFormat('LLL')}–${end.setLocale('en-AU').toFormat('LLL yyyy')}`
      : `${start.toFormat('dd/LL/yyyy')}–${end.toFormat('dd/LL/yyyy')}`;
  return {
    start: start.toISODate() ?? '',
    end: end.toISODate() ?? '',
    startMs: start.toMillis(),
    endMs: endExclusive.toMillis(),
    label,
  };
}

/** A month of a period (for monthly fees): its days' local midnights, in order. */
export interface FeeMonth {
  label: string;
  midnights: number[];
}

/**
 * The months a period covers, each as the monthly cycle's period with the same end day (a
 * quarter ending 31 March: January, February, March; a month ending on the 15th: 16th–15th),
 * with the local midnight of each of its days, for prorating a monthly fee by days owned.
 */
export function feeMonths(s: Cycle, zone: string, period: Period): FeeMonth[] {
  const monthly: Cycle = { ...s, cycle: 'monthly' };
  const out: FeeMonth[] = [];
  let end = period.end;
  while (end >= period.start) {
    const p = periodContaining(monthly, zone, end);
    const midnights: number[] = [];
    for (
      let d = DateTime.fromISO(p.start, { zone });
      d.toMillis() < p.endMs;
      d = d.plus({ days: 1 })
    )
      midnights.push(d.toMillis());
    out.unshift({ label: p.label, midnights });
    end = addDays(p.start, -1);
  }
  return out;
}

/** Whole months a period covers (for monthly fees): 1 or 3. */
export const monthsOf = (s: Cycle): number => (s.cycle === 'monthly' ? 1 : 3);

/** Local midnight of a local date, as UTC ms. */
export function localMidnight(date: string, zone: string): number {
  const d = DateTime.fromISO(date, { zone }).startOf('day');
  if (!d.isValid) throw new RangeError(`Not a date: ${date}`);
  return d.toMillis();
}

export const localDate = (ms: number, zone: string): string =>
  DateTime.fromMillis(ms, { zone }).toISODate() ?? '';

export const localDateTime = (ms: number, zone: string): string =>
  DateTime.fromMillis(ms, { zone }).toFormat('yyyy-LL-dd HH:mm');

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? date;
}
