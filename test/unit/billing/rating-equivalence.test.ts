// The optimised rating core (rating.ts: wall clock from a cached zone offset, band table built
// once per tariff) against the one it replaced (rating-reference.ts: a luxon DateTime per step,
// the table rebuilt per session), result for result, on random tariffs of every component kind
// and random sessions in zones with unusual DST rules, a third of them on their DST change
// nights; and the zone clock against luxon at every minute within 2 h of each 2026 change.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  DAYS,
  validateTariff,
  type Band,
  type Tariff,
  type TariffComponent,
  type TimeOfUse,
} from '../../../src-shared/billing/tariff';
import { rateSession, type MeterSample } from '../../../src-main/billing/rating';
import { zoneClock } from '../../../src-main/billing/zone-clock';
import { rateSession as referenceRateSession } from './rating-reference';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Sydney (the usual), Lord Howe (a 30-minute change), St John's (offset -3:30, changes at
// 02:00 local), Santiago (changes at midnight: the skipped hour is a date's first), Chatham
// (+12:45), Kathmandu (+5:45, no DST), London, UTC.
const ZONES = [
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'America/Santiago',
  'Pacific/Chatham',
  'Asia/Kathmandu',
  'Europe/London',
  'UTC',
];

const YEAR = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;

/** The instants in 2026 at which the zone's offset changes (to the minute). */
function changes(zone: string): number[] {
  const out: number[] = [];
  const off = (t: number) => DateTime.fromMillis(t, { zone }).offset;
  for (let t = YEAR; t < YEAR + 366 * 24 * HOUR; t += HOUR) {
    if (off(t) === off(t + HOUR)) continue;
    let [lo, hi] = [t, t + HOUR];
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (off(mid) === off(t)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function randomTimeOfUse(rnd: () => number): TimeOfUse {
  const bands: Band[] = [];
  if (rnd() < 0.3) {
    // A usual shape: one band over several days, one crossing midnight.
    const peak = 6 * 60 + Math.floor(rnd() * 180);
    const offPeak = 20 * 60 + Math.floor(rnd() * 180);
    bands.push(
      {
        name: 'Peak',
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        from: hhmm(peak),
        to: hhmm(offPeak),
        millicentsPerKwh: Math.floor(rnd() * 80_000),
      },
      {
        name: 'Off-peak',
        days: [...DAYS],
        from: hhmm(offPeak),
        to: hhmm(peak),
        millicentsPerKwh: Math.floor(rnd() * 80_000),
      },
      {
        name: 'Weekend',
        days: ['sat', 'sun'],
        from: hhmm(peak),
        to: hhmm(offPeak),
        millicentsPerKwh: Math.floor(rnd() * 80_000),
      },
    );
  } else {
    for (const day of DAYS) {
      const cuts = new Set<number>();
      const n = Math.floor(rnd() * 5);
      while (cuts.size < n) cuts.add(1 + Math.floor(rnd() * 1439));
      const edges = [0, ...[...cuts].sort((a, b) => a - b), 1440];
      for (let i = 1; i < edges.length; i++) {
        bands.push({
          name: `${day}${i}`,
          days: [day],
          from: hhmm(edges[i - 1] ?? 0),
          to: hhmm(edges[i] ?? 0),
          millicentsPerKwh: Math.floor(rnd() * 80_000),
        });
      }
    }
  }
  const holidays = rnd() < 0.5 ? [] : ['2026-01-01', '2026-04-03', '2026-04-05', '2026-10-04'];
  return { bands, holidays, holidayAs: rnd() < 0.5 ? 'sun' : 'sat' };
}

function randomTariff(rnd: () => number): Tariff {
  const components: TariffComponent[] = [];
  const energy = Math.floor(rnd() * 5);
  if (energy === 0) components.push({ kind: 'perKwh', millicentsPerKwh: Math.floor(rnd() * 6e4) });
  if (energy === 1) components.push({ kind: 'timeOfUse', ...randomTimeOfUse(rnd) });
  if (energy === 2)
    components.push({
      kind: 'passThrough',
      cost:
        rnd() < 0.5
          ? { kind: 'flat', millicentsPerKwh: Math.floor(rnd() * 4e4) }
          : { kind: 'timeOfUse', ...randomTimeOfUse(rnd) },
      marginBasisPoints: Math.floor(rnd() * 3000),
      handlingFeeCents: Math.floor(rnd() * 300),
    });
  if (energy === 3)
    return { name: 'free', pricesIncludeGst: false, components: [{ kind: 'free' }] };
  if (energy === 4) components.push({ kind: 'timeOfUse', ...randomTimeOfUse(rnd) });
  if (rnd() < 0.5)
    components.push({
      kind: 'perMinute',
      basis: rnd() < 0.5 ? 'idle' : 'occupancy',
      millicentsPerMinute: Math.floor(rnd() * 20_000),
      graceMinutes: Math.floor(rnd() * 60),
    });
  if (rnd() < 0.3) components.push({ kind: 'monthlyFee', cents: 1500, per: 'account' });
  return { name: 'random', pricesIncludeGst: rnd() < 0.5, components };
}

describe('rating equivalence: the optimised core gives the reference core’s results', () => {
  it('for 3,000 random tariffs and sessions across eight zones, a third on DST nights', () => {
    const rnd = mulberry32(20261202);
    const nights = new Map(ZONES.map((z) => [z, changes(z)]));
    // Rated twice with the same tariff object too: the band table is cached per object.
    let lastTariff: Tariff | null = null;
    for (let k = 0; k < 3000; k++) {
      const zone = ZONES[k % ZONES.length] ?? 'UTC';
      const tariff: Tariff = lastTariff && rnd() < 0.3 ? lastTariff : randomTariff(rnd);
      lastTariff = tariff;
      expect(validateTariff(tariff), `case ${k}`).toEqual([]);
      const near = nights.get(zone) ?? [];
      const startedAt =
        k % 3 === 0 && near.length > 0
          ? (near[k % near.length] ?? 0) - Math.floor(rnd() * 12 * HOUR)
          : YEAR + Math.floor(rnd() * 365 * 24 * HOUR);
      const endedAt = startedAt + Math.floor(rnd() * 30 * HOUR);
      const meterStartWh = Math.floor(rnd() * 1e7);
      let wh = meterStartWh;
      const samples: MeterSample[] = [];
      const n = Math.floor(rnd() * 12);
      const times = Array.from(
        { length: n },
        () => startedAt + Math.floor(rnd() * (endedAt - startedAt)),
      ).sort((a, b) => a - b);
      for (const t of times) {
        // Now and then the register stalls (idle time) or goes backwards (held for review).
        wh += rnd() < 0.02 ? -5 : rnd() < 0.2 ? 0 : Math.floor(rnd() * 3000);
        samples.push({ at: t, wh });
      }
      const meterStopWh = wh + (rnd() < 0.3 ? 0 : Math.floor(rnd() * 3000));
      const session = {
        startedAt,
        endedAt,
        meterStartWh,
        meterStopWh,
        chargingStoppedAt: rnd() < 0.2 ? startedAt + Math.floor(rnd() * 40 * HOUR) : undefined,
      };
      const ctx = `case ${k} in ${zone} (${new Date(startedAt).toISOString()} → ${new Date(endedAt).toISOString()})`;
      expect(rateSession(tariff, session, samples, zone), ctx).toEqual(
        referenceRateSession(tariff, session, samples, zone),
      );
    }
  });
});

describe('zone clock', () => {
  it('reads luxon’s wall clock at every minute within 2 h of each 2026 change and at random instants', () => {
    const rnd = mulberry32(7);
    for (const zone of ZONES) {
      const clock = zoneClock(zone);
      const instants: number[] = [];
      for (const c of changes(zone)) {
        instants.push(c - 1, c + 1);
        for (let t = c - 2 * HOUR; t <= c + 2 * HOUR; t += 60_000) instants.push(t);
      }
      for (let i = 0; i < 1000; i++) instants.push(YEAR + Math.floor(rnd() * 400 * 24 * HOUR));
      for (const t of instants) {
        const d = DateTime.fromMillis(t, { zone });
        const w = clock.wall(t);
        const ctx = `${zone} at ${new Date(t).toISOString()}`;
        expect([w.year, w.month, w.day, w.hour, w.minute, w.weekday, w.offset], ctx).toEqual([
          d.year,
          d.month,
          d.day,
          d.hour,
          d.minute,
          d.weekday,
          d.offset,
        ]);
        expect(clock.isoDate(t), ctx).toBe(d.toISODate());
        expect(clock.dateTime(t), ctx).toBe(d.toFormat('yyyy-LL-dd HH:mm'));
      }
    }
  });
});
