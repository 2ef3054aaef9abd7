// When a job runs: a typed spec (clearer than cron syntax) and the one function that turns it
// into the next slot. Calendar times are wall-clock times in the site's IANA time zone (luxon),
// so "02:00 Australia/Sydney" stays 02:00 local across daylight saving changes.
import { DateTime, IANAZone } from 'luxon';

export type Schedule =
  /** Every `every` milliseconds, counted from the previous slot. */
  | { every: number }
  /** Every day at `daily` ('HH:MM', 24-hour) local time in `zone`. */
  | { daily: string; zone: string }
  /** Every month on `day` (1-31; past the month's end = its last day) at `at` local time. */
  | { monthly: { day: number; at: string }; zone: string };

export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

interface Wall {
  hour: number;
  minute: number;
}

function parseTime(at: string): Wall {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
  if (!m) throw new ScheduleError(`A schedule time must be HH:MM (24-hour), not "${at}".`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** Throws a ScheduleError naming what is wrong; called when a job is added. */
export function checkSchedule(s: Schedule): void {
  if ('every' in s) {
    if (!Number.isInteger(s.every) || s.every < 1000) {
      throw new ScheduleError(`An interval must be a whole number of ms, at least 1000.`);
    }
    return;
  }
  if (!IANAZone.isValidZone(s.zone)) throw new ScheduleError(`Unknown time zone "${s.zone}".`);
  if ('daily' in s) {
    parseTime(s.daily);
    return;
  }
  parseTime(s.monthly.at);
  if (!Number.isInteger(s.monthly.day) || s.monthly.day < 1 || s.monthly.day > 31) {
    throw new ScheduleError(`A monthly day must be 1 to 31, not ${s.monthly.day}.`);
  }
}

const key = (d: DateTime) => [d.year, d.month, d.day, d.hour, d.minute];
function before(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i] ?? 0, b[i] ?? 0];
    if (x !== y) return x < y;
  }
  return false;
}

/**
 * The instant a wall-clock time happens on a date in a zone. On the spring-forward day a time in
 * the gap (02:30 in Sydney in October) does not exist: the job runs at the first instant after
 * it, when the clocks jump (03:00 daylight time), like cron. On the fall-back day a time that
 * happens twice (02:30 in April) is its FIRST occurrence (luxon's choice, kept deliberately), and
 * the next slot is computed as "after that instant", so it runs once.
 */
function instantOf(year: number, month: number, day: number, w: Wall, zone: string): number {
  const dt = DateTime.fromObject({ year, month, day, hour: w.hour, minute: w.minute }, { zone });
  if (dt.hour === w.hour && dt.minute === w.minute) return dt.toMillis();
  // In a gap: luxon moved it forward by the gap's length; walk back to the jump itself.
  const wanted = [year, month, day, w.hour, w.minute];
  let t = dt.toMillis();
  for (let i = 0; i < 24 * 60; i++) {
    const prev = DateTime.fromMillis(t - 60_000, { zone });
    if (before(key(prev), wanted)) break;
    t -= 60_000;
  }
  return t;
}

/**
 * The first slot strictly after `after`. `anchor` is the previous slot (interval jobs count from
 * it so they do not drift by their own run time); calendar jobs ignore it.
 */
export function nextSlot(s: Schedule, after: number, anchor: number = after): number {
  if ('every' in s) {
    const k = Math.max(1, Math.floor((after - anchor) / s.every) + 1);
    return anchor + k * s.every;
  }
  const local = DateTime.fromMillis(after, { zone: s.zone });
  if ('daily' in s) {
    const w = parseTime(s.daily);
    // Today's slot, else tomorrow's (the day after is only needed around a DST jump).
    for (let d = 0; d <= 2; d++) {
      const day = local.plus({ days: d });
      const t = instantOf(day.year, day.month, day.day, w, s.zone);
      if (t > after) return t;
    }
  } else {
    const w = parseTime(s.monthly.at);
    for (let m = 0; m <= 2; m++) {
      const month = local.startOf('month').plus({ months: m });
      const day = Math.min(s.monthly.day, month.daysInMonth ?? 28);
      const t = instantOf(month.year, month.month, day, w, s.zone);
      if (t > after) return t;
    }
  }
  throw new ScheduleError('No next slot found for the schedule.');
}

/** The latest slot at or before `now`, starting from a due slot (for "missed N runs"). */
export function latestSlot(
  s: Schedule,
  due: number,
  now: number,
): { slot: number; missed: number } {
  let slot = due;
  let missed = 0;
  if ('every' in s) {
    missed = Math.floor((now - due) / s.every);
    return { slot: due + missed * s.every, missed };
  }
  // Calendar slots: at most a few hundred a year; bounded for a clock set decades ahead.
  for (let i = 0; i < 10_000; i++) {
    const next = nextSlot(s, slot);
    if (next > now) break;
    slot = next;
    missed++;
  }
  return { slot, missed };
}
