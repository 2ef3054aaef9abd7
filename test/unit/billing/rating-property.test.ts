// Property test with a seeded PRNG (reproducible; no fast-check here): for random valid
// time-of-use tariffs (boundaries at any minute, including inside DST gaps) and random sessions
// with random monotone samples across 2026 in Sydney, the band parts always add up to the
// session's energy, amounts are whole non-negative cents, and the runs tile the session.
import { describe, expect, it } from 'vitest';
import { DAYS, validateTariff, type Band, type Tariff } from '../../../src-shared/billing/tariff';
import { rateSession, type MeterSample } from '../../../src-main/billing/rating';

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

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

// The site's wall clock by Intl (not luxon, which the code under test uses).
const fmt = new Intl.DateTimeFormat('en-AU', {
  timeZone: 'Australia/Sydney',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
function wall(t: number): { day: string; date: string; minute: number } {
  const p = Object.fromEntries(fmt.formatToParts(t).map((x) => [x.type, x.value]));
  return {
    day: String(p.weekday).toLowerCase().slice(0, 3),
    date: `${p.year}-${p.month}-${p.day}`,
    minute: Number(p.hour) * 60 + Number(p.minute),
  };
}

function randomTariff(rnd: () => number): Tariff {
  const bands: Band[] = [];
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
  return {
    name: 'random',
    pricesIncludeGst: rnd() < 0.5,
    components: [
      { kind: 'timeOfUse', bands, holidays: ['2026-04-03', '2026-10-05'], holidayAs: 'sun' },
    ],
  };
}

describe('rating property: parts sum to the session energy', () => {
  it('holds for 400 random tariffs and sessions', () => {
    const rnd = mulberry32(20261201);
    const year = Date.parse('2026-01-01T00:00:00Z');
    // Bias a third of the sessions onto the two DST change nights.
    const dstNights = [Date.parse('2026-04-04T12:00:00Z'), Date.parse('2026-10-03T12:00:00Z')];
    for (let k = 0; k < 400; k++) {
      const tariff = randomTariff(rnd);
      expect(validateTariff(tariff)).toEqual([]);
      const startedAt =
        k % 3 === 0
          ? (dstNights[k % 2] ?? 0) + Math.floor(rnd() * 8 * 3600_000)
          : year + Math.floor(rnd() * 365 * 86400_000);
      const endedAt = startedAt + Math.floor(rnd() * 30 * 3600_000);
      const meterStartWh = Math.floor(rnd() * 1e7);
      let wh = meterStartWh;
      const samples: MeterSample[] = [];
      const n = Math.floor(rnd() * 20);
      const times = Array.from(
        { length: n },
        () => startedAt + Math.floor(rnd() * (endedAt - startedAt)),
      ).sort((a, b) => a - b);
      for (const t of times) {
        wh += Math.floor(rnd() * 3000);
        samples.push({ at: t, wh });
      }
      const meterStopWh = wh + Math.floor(rnd() * 3000);
      const r = rateSession(
        tariff,
        { startedAt, endedAt, meterStartWh, meterStopWh },
        samples,
        'Australia/Sydney',
      );
      if (!r.ok) throw new Error(`case ${k}: ${r.review}`);
      const { lines, breakdown } = r.rating;
      const total = meterStopWh - meterStartWh;
      const ctx = `case ${k} (${new Date(startedAt).toISOString()} → ${new Date(endedAt).toISOString()})`;
      expect(
        breakdown.runs.reduce((s, x) => s + x.wh, 0),
        ctx,
      ).toBe(total);
      expect(
        lines.reduce((s, l) => s + (l.wh ?? 0), 0),
        ctx,
      ).toBe(total);
      for (const l of lines) {
        expect(Number.isSafeInteger(l.amountExGstCents) && l.amountExGstCents >= 0, ctx).toBe(true);
        expect(Number.isSafeInteger(l.wh) && (l.wh ?? -1) >= 0, ctx).toBe(true);
      }
      // Each run is priced by the band the site's wall clock was in, at its start and just before its end.
      for (const run of breakdown.runs) {
        for (const t of [run.from, run.to - 1]) {
          const w = wall(t);
          const day = ['2026-04-03', '2026-10-05'].includes(w.date) ? 'sun' : w.day;
          const band =
            tariff.components[0]?.kind === 'timeOfUse'
              ? tariff.components[0].bands.find((b) => b.name === run.band)
              : undefined;
          expect(band?.days, ctx).toEqual([day]);
          const [from, to] = [band?.from ?? '', band?.to ?? ''].map(
            (x) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3)),
          );
          expect(
            w.minute >= (from ?? NaN) && w.minute < (to ?? NaN),
            `${ctx} ${run.band} at ${new Date(t).toISOString()}`,
          ).toBe(true);
        }
      }
      if (endedAt > startedAt) {
        expect(breakdown.runs[0]?.from, ctx).toBe(startedAt);
        expect(breakdown.runs.at(-1)?.to, ctx).toBe(endedAt);
        breakdown.runs.slice(1).forEach((run, i) => {
          const prev = breakdown.runs[i];
          expect(run.from, ctx).toBe(prev?.to);
          expect(run.from > (prev?.from ?? Infinity), ctx).toBe(true);
        });
      }
    }
  });
});
