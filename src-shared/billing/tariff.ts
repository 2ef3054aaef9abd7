// Tariff types and their validation. Runtime-neutral (the renderer's tariff form uses the same
// checks). Prices are integer millicents (1/1000 cent) so 32.5 c/kWh is exact; fees are cents.
// Times of day are wall-clock 'HH:MM' in the site's time zone; the rating core converts them.

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];
export const DAY_NAMES: Record<Day, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export interface Band {
  /** Shown on the invoice line: "Peak", "Off-peak". */
  name: string;
  days: Day[];
  /** 'HH:MM', inclusive. */
  from: string;
  /** 'HH:MM' or '24:00', exclusive. A window with to <= from wraps midnight: on each listed day
   *  it covers 00:00–to and from–24:00 (how tariff sheets write "off-peak 22:00–07:00"). */
  to: string;
  millicentsPerKwh: number;
}

export interface TimeOfUse {
  bands: Band[];
  /** Public holidays ('YYYY-MM-DD', local dates) the manager keeps; they are priced as `holidayAs`. */
  holidays: string[];
  holidayAs: Day;
}

export type EnergyCost =
  { kind: 'flat'; millicentsPerKwh: number } | ({ kind: 'timeOfUse' } & TimeOfUse);

export type TariffComponent =
  | { kind: 'perKwh'; millicentsPerKwh: number }
  /** occupancy: from plug-in to unplug; idle: from when charging stopped to unplug. Only whole
   *  minutes past the grace period are charged. */
  | {
      kind: 'perMinute';
      basis: 'occupancy' | 'idle';
      millicentsPerMinute: number;
      graceMinutes: number;
    }
  | ({ kind: 'timeOfUse' } & TimeOfUse)
  | { kind: 'monthlyFee'; cents: number; per: 'account' | 'bay' }
  | { kind: 'free' }
  /** The building's electricity cost per kWh (flat or by band) plus a margin (basis points:
   *  1500 = 15 %) and/or a handling fee per session (cents). */
  | { kind: 'passThrough'; cost: EnergyCost; marginBasisPoints: number; handlingFeeCents: number };

export interface Tariff {
  name: string;
  /** true: every price above was entered including GST; the rating core takes the GST out. */
  pricesIncludeGst: boolean;
  components: TariffComponent[];
}

export interface TariffProblem {
  /** Path of the offending field, e.g. "components.0.bands.1.from". */
  field: string;
  message: string;
}

const TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
/** Minutes since midnight for 'HH:MM' ('24:00' = 1440), or null. */
export function parseTimeOfDay(s: string): number | null {
  const m = TIME.exec(s);
  if (!m) return null;
  return m[3] ? 1440 : Number(m[1]) * 60 + Number(m[2]);
}
export function formatTimeOfDay(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

/** For each day, the band index covering each minute of the day (-1 = none); also reports
 *  overlaps and gaps, naming the day and times, so "Monday 07:00–09:00 has no band". */
export function coverage(
  tou: TimeOfUse,
  field: string,
): { table: Record<Day, number[]>; problems: TariffProblem[] } {
  const problems: TariffProblem[] = [];
  const table = Object.fromEntries(
    DAYS.map((d) => [d, new Array<number>(1440).fill(-1)]),
  ) as Record<Day, number[]>;
  const overlaps = new Map<string, { day: Day; a: number; b: number; from: number; to: number }>();
  tou.bands.forEach((band, i) => {
    const f = `${field}.bands.${i}`;
    const from = parseTimeOfDay(band.from);
    const to = parseTimeOfDay(band.to);
    if (from === null || from === 1440)
      problems.push({
        field: `${f}.from`,
        message: `Band "${band.name}": start time must be HH:MM (00:00–23:59), not "${band.from}".`,
      });
    if (to === null)
      problems.push({
        field: `${f}.to`,
        message: `Band "${band.name}": end time must be HH:MM (00:00–24:00), not "${band.to}".`,
      });
    if (band.days.length === 0)
      problems.push({
        field: `${f}.days`,
        message: `Band "${band.name}" applies to no day; choose at least one.`,
      });
    for (const d of band.days)
      if (!DAYS.includes(d))
        problems.push({
          field: `${f}.days`,
          message: `Band "${band.name}": "${String(d)}" is not a day of the week.`,
        });
    if (from === null || from === 1440 || to === null) return;
    const ranges: Array<[number, number]> =
      to > from
        ? [[from, to]]
        : [
            [0, to],
            [from, 1440],
          ];
    for (const d of band.days) {
      const row = table[d];
      if (!row) continue;
      for (const [a, b] of ranges) {
        for (let m = a; m < b; m++) {
          const prev = row[m] ?? -1;
          if (prev >= 0 && prev !== i) {
            const key = `${d}:${prev}:${i}`;
            const o = overlaps.get(key);
            if (o && o.to === m) o.to = m + 1;
            else if (!o) overlaps.set(key, { day: d, a: prev, b: i, from: m, to: m + 1 });
          } else row[m] = i;
        }
      }
    }
  });
  for (const o of overlaps.values()) {
    const [na, nb] = [tou.bands[o.a]?.name, tou.bands[o.b]?.name];
    problems.push({
      field: `${field}.bands.${o.b}`,
      message: `${DAY_NAMES[o.day]} ${formatTimeOfDay(o.from)}–${formatTimeOfDay(o.to)} is in both "${na}" and "${nb}"; bands must not overlap.`,
    });
  }
  if (problems.length === 0) {
    for (const d of DAYS) {
      const row = table[d];
      for (let m = 0; m < 1440; m++) {
        if (row[m] !== -1) continue;
        let end = m;
        while (end < 1440 && row[end] === -1) end++;
        problems.push({
          field: `${field}.bands`,
          message: `${DAY_NAMES[d]} ${formatTimeOfDay(m)}–${formatTimeOfDay(end)} has no band; every minute of the week needs a price.`,
        });
        m = end;
      }
    }
  }
  return { table, problems };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

const MAX_MILLICENTS = 100_000_000; // $1,000 per kWh or minute: beyond that it is a typing error
function price(v: number, field: string, what: string, out: TariffProblem[]): void {
  if (!Number.isSafeInteger(v) || v < 0 || v > MAX_MILLICENTS) {
    out.push({
      field,
      message: `${what} must be a price from 0 to $1,000 in thousandths of a cent, not ${String(v)}.`,
    });
  }
}
function cents(v: number, field: string, what: string, out: TariffProblem[]): void {
  if (!Number.isSafeInteger(v) || v < 0 || v > 10_000_000) {
    out.push({
      field,
      message: `${what} must be whole cents from 0 to $100,000, not ${String(v)}.`,
    });
  }
}

function checkTou(tou: TimeOfUse, field: string, out: TariffProblem[]): void {
  tou.bands.forEach((b, i) => {
    if (b.name.trim() === '')
      out.push({
        field: `${field}.bands.${i}.name`,
        message: `Band ${i + 1} needs a name (e.g. "Peak").`,
      });
    price(
      b.millicentsPerKwh,
      `${field}.bands.${i}.millicentsPerKwh`,
      `Band "${b.name}" price per kWh`,
      out,
    );
  });
  if (tou.bands.length === 0)
    out.push({ field: `${field}.bands`, message: 'A time-of-use tariff needs at least one band.' });
  else out.push(...coverage(tou, field).problems);
  tou.holidays.forEach((h, i) => {
    if (!isCalendarDate(h))
      out.push({
        field: `${field}.holidays.${i}`,
        message: `Public holiday "${h}" is not a date (YYYY-MM-DD).`,
      });
  });
  if (!DAYS.includes(tou.holidayAs))
    out.push({
      field: `${field}.holidayAs`,
      message: 'Choose which day type public holidays are priced as.',
    });
}

/** Every problem with a tariff, in words a strata manager understands; [] when it can be used. */
export function validateTariff(t: Tariff): TariffProblem[] {
  const out: TariffProblem[] = [];
  if (t.name.trim() === '') out.push({ field: 'name', message: 'The tariff needs a name.' });
  if (t.components.length === 0)
    out.push({
      field: 'components',
      message: 'Add at least one charge (or mark the tariff free).',
    });
  let energy = 0;
  const minuteBases = new Set<string>();
  t.components.forEach((c, i) => {
    const f = `components.${i}`;
    switch (c.kind) {
      case 'perKwh':
        energy++;
        price(c.millicentsPerKwh, `${f}.millicentsPerKwh`, 'Price per kWh', out);
        break;
      case 'perMinute':
        if (minuteBases.has(c.basis))
          out.push({ field: f, message: `There is already a per-minute ${c.basis} charge.` });
        minuteBases.add(c.basis);
        price(c.millicentsPerMinute, `${f}.millicentsPerMinute`, 'Price per minute', out);
        if (
          !Number.isSafeInteger(c.graceMinutes) ||
          c.graceMinutes < 0 ||
          c.graceMinutes > 24 * 60
        ) {
          out.push({
            field: `${f}.graceMinutes`,
            message: `Grace period must be whole minutes from 0 to 1440, not ${String(c.graceMinutes)}.`,
          });
        }
        break;
      case 'timeOfUse':
        energy++;
        checkTou(c, f, out);
        break;
      case 'monthlyFee':
        cents(c.cents, `${f}.cents`, 'Monthly fee', out);
        break;
      case 'free':
        if (t.components.length > 1)
          out.push({
            field: f,
            message: 'A free tariff cannot also have charges; remove the other charges or "free".',
          });
        break;
      case 'passThrough':
        energy++;
        if (c.cost.kind === 'flat')
          price(
            c.cost.millicentsPerKwh,
            `${f}.cost.millicentsPerKwh`,
            'Electricity cost per kWh',
            out,
          );
        else checkTou(c.cost, `${f}.cost`, out);
        if (
          !Number.isSafeInteger(c.marginBasisPoints) ||
          c.marginBasisPoints < 0 ||
          c.marginBasisPoints > 100_000
        ) {
          out.push({
            field: `${f}.marginBasisPoints`,
            message: `Margin must be from 0 % to 1000 % in hundredths of a percent, not ${String(c.marginBasisPoints)}.`,
          });
        }
        cents(c.handlingFeeCents, `${f}.handlingFeeCents`, 'Handling fee', out);
        break;
      default:
        c satisfies never;
        out.push({ field: f, message: 'Unknown kind of charge.' });
    }
  });
  if (energy > 1)
    out.push({
      field: 'components',
      message:
        'Choose one way to price energy: per kWh, time-of-use, or pass-through — not several.',
    });
  return out;
}
