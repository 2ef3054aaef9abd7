// The wall clock of a time zone, fast. Rating a run reads the local date and time of a few
// instants per session (its start and end, each time-of-use boundary, DST searches): a luxon
// DateTime per instant costs ~10 µs of Intl work, ~30 % of a quarterly run's CPU. Here the zone's
// UTC offset is asked of luxon once per UTC hour and reused for every instant in that hour; an
// hour in which the offset changes (a DST change) is detected by asking at both of its ends, and
// then every instant in it is asked of luxon. The wall fields are then plain arithmetic on
// `t + offset`, which is how luxon itself derives them, so the results are luxon's.
import { DateTime } from 'luxon';

const HOUR = 3_600_000;

/** Local wall-clock fields of an instant (as luxon's DateTime gives them). */
export interface Wall {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 = Monday … 7 = Sunday (luxon's / ISO weekday). */
  weekday: number;
  /** Minutes east of UTC at this instant. */
  offset: number;
}

export interface ZoneClock {
  readonly zone: string;
  /** The zone's UTC offset in minutes at instant t (luxon's DateTime#offset). */
  offsetAt(t: number): number;
  wall(t: number): Wall;
  /** 'YYYY-MM-DD' local date (luxon's toISODate). */
  isoDate(t: number): string;
  /** 'YYYY-MM-DD HH:mm' local date and time (luxon's toFormat('yyyy-LL-dd HH:mm')). */
  dateTime(t: number): string;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number) => String(n).padStart(4, '0');
/** 'YYYY-MM-DD' of wall fields. */
export const isoDateOf = (w: Wall) => `${pad4(w.year)}-${pad2(w.month)}-${pad2(w.day)}`;

const luxonOffset = (t: number, zone: string) => DateTime.fromMillis(t, { zone }).offset;

// A long-lived process meets a bounded set of hours per zone, but cap it anyway.
const MAX_HOURS = 200_000;

function createZoneClock(zone: string): ZoneClock {
  // UTC hour index → the offset through that whole hour, or null: it changes inside the hour.
  const hours = new Map<number, number | null>();
  function offsetAt(t: number): number {
    const h = Math.floor(t / HOUR);
    let o = hours.get(h);
    if (o === undefined) {
      const a = luxonOffset(h * HOUR, zone);
      const b = luxonOffset(h * HOUR + HOUR - 1, zone);
      o = a === b && Number.isFinite(a) ? a : null;
      if (hours.size >= MAX_HOURS) hours.clear();
      hours.set(h, o);
    }
    return o ?? luxonOffset(t, zone);
  }
  function wall(t: number): Wall {
    const offset = offsetAt(t);
    const d = new Date(t + offset * 60_000);
    const dow = d.getUTCDay();
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      weekday: dow === 0 ? 7 : dow,
      offset,
    };
  }
  return {
    zone,
    offsetAt,
    wall,
    isoDate: (t) => isoDateOf(wall(t)),
    dateTime: (t) => {
      const w = wall(t);
      return `${isoDateOf(w)} ${pad2(w.hour)}:${pad2(w.minute)}`;
    },
  };
}

const clocks = new Map<string, ZoneClock>();

/** The (shared, cached) clock of an IANA zone. */
export function zoneClock(zone: string): ZoneClock {
  let c = clocks.get(zone);
  if (!c) {
    c = createZoneClock(zone);
    clocks.set(zone, c);
  }
  return c;
}
