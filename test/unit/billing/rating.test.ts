// The rating core against hand-computed invoices: each expected figure below was worked out on
// paper (shown in the comments), not by the code under test.
import { describe, expect, it } from 'vitest';
import { invoiceTotals } from '../../../src-shared/billing/money';
import type { Band, Tariff, TariffComponent } from '../../../src-shared/billing/tariff';
import { validateTariff } from '../../../src-shared/billing/tariff';
import {
  inPeriod,
  rateMonthlyFees,
  rateSession,
  type MeterSample,
} from '../../../src-main/billing/rating';

const SYD = 'Australia/Sydney';
const at = (iso: string) => Date.parse(iso);

function tariff(components: TariffComponent[], pricesIncludeGst = false): Tariff {
  const t: Tariff = { name: 'Test', pricesIncludeGst, components };
  expect(validateTariff(t)).toEqual([]);
  return t;
}

function rate(t: Tariff, s: Parameters<typeof rateSession>[1], samples: MeterSample[] = []) {
  const r = rateSession(t, s, samples, SYD);
  if (!r.ok) throw new Error(r.review);
  return r.rating;
}

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as Band['days'];
const everyDay = [...weekdays, 'sat', 'sun'] as Band['days'];
const tou: Extract<TariffComponent, { kind: 'timeOfUse' }> = {
  kind: 'timeOfUse',
  bands: [
    { name: 'Peak', days: weekdays, from: '07:00', to: '22:00', millicentsPerKwh: 40_000 },
    { name: 'Off-peak', days: weekdays, from: '22:00', to: '07:00', millicentsPerKwh: 20_000 },
    { name: 'Weekend', days: ['sat', 'sun'], from: '00:00', to: '24:00', millicentsPerKwh: 15_000 },
  ],
  holidays: ['2026-01-26'],
  holidayAs: 'sun',
};

describe('rating: one hand-computed example per tariff kind', () => {
  it('per kWh, entered ex GST and inc GST', () => {
    // 12.345 kWh × 32.5 c = 401.2125 c → 401 c.
    const ex = rate(tariff([{ kind: 'perKwh', millicentsPerKwh: 32_500 }]), {
      startedAt: at('2026-03-02T00:00:00Z'),
      endedAt: at('2026-03-02T02:00:00Z'),
      meterStartWh: 1_000_000,
      meterStopWh: 1_012_345,
    });
    expect(ex.lines).toMatchObject([{ kind: 'energy', wh: 12_345, amountExGstCents: 401 }]);
    expect(ex.lines[0]?.explanation).toBe('12.345 kWh × 32.5 c/kWh = $4.01 ex GST');
    // 10 kWh × 33 c inc GST = 330 c inc = 300 c ex.
    const inc = rate(tariff([{ kind: 'perKwh', millicentsPerKwh: 33_000 }], true), {
      startedAt: at('2026-03-02T00:00:00Z'),
      endedAt: at('2026-03-02T02:00:00Z'),
      meterStartWh: 0,
      meterStopWh: 10_000,
    });
    expect(inc.lines[0]?.amountExGstCents).toBe(300);
    expect(invoiceTotals(inc.lines)).toEqual({ exGstCents: 300, gstCents: 30, incGstCents: 330 });
  });

  it('per minute of idle time after a grace period, and of occupancy', () => {
    const s = {
      startedAt: at('2026-03-02T00:00:00Z'),
      endedAt: at('2026-03-02T01:05:30Z'),
      meterStartWh: 0,
      meterStopWh: 7_000,
      chargingStoppedAt: at('2026-03-02T00:20:00Z'),
    };
    // Idle 45 min 30 s, less 10 min grace = 35 whole minutes × 50 c = 1750 c.
    // Occupancy 65 min 30 s, no grace = 65 whole minutes × 2 c = 130 c.
    const r = rate(
      tariff([
        { kind: 'perMinute', basis: 'idle', millicentsPerMinute: 50_000, graceMinutes: 10 },
        { kind: 'perMinute', basis: 'occupancy', millicentsPerMinute: 2_000, graceMinutes: 0 },
      ]),
      s,
    );
    expect(r.lines).toMatchObject([
      { kind: 'idle', minutes: 35, amountExGstCents: 1750 },
      { kind: 'occupancy', minutes: 65, amountExGstCents: 130 },
    ]);
    // Without a reported stop time, idle starts at the first sample already at the final reading
    // (00:30): 35 min 30 s idle - 10 min grace = 25 min × 50 c = 1250 c.
    const { chargingStoppedAt: _ignored, ...noStop } = s;
    const derived = rate(
      tariff([{ kind: 'perMinute', basis: 'idle', millicentsPerMinute: 50_000, graceMinutes: 10 }]),
      noStop,
      [
        { at: at('2026-03-02T00:10:00Z'), wh: 4_000 },
        { at: at('2026-03-02T00:30:00Z'), wh: 7_000 },
        { at: at('2026-03-02T00:50:00Z'), wh: 7_000 },
      ],
    );
    expect(derived.lines).toMatchObject([{ kind: 'idle', minutes: 25, amountExGstCents: 1250 }]);
  });

  it('pass-through of the electricity cost plus margin and handling fee', () => {
    // 10 kWh × 25 c × 1.20 = 300 c; handling fee 50 c.
    const r = rate(
      tariff([
        {
          kind: 'passThrough',
          cost: { kind: 'flat', millicentsPerKwh: 25_000 },
          marginBasisPoints: 2000,
          handlingFeeCents: 50,
        },
      ]),
      {
        startedAt: at('2026-03-02T00:00:00Z'),
        endedAt: at('2026-03-02T03:00:00Z'),
        meterStartWh: 5,
        meterStopWh: 10_005,
      },
    );
    expect(r.lines).toMatchObject([
      { kind: 'energy', wh: 10_000, amountExGstCents: 300 },
      { kind: 'handlingFee', amountExGstCents: 50 },
    ]);
  });

  it('free, and the monthly fee (monthly and quarterly, inc GST)', () => {
    const free = rate(tariff([{ kind: 'free' }]), {
      startedAt: at('2026-03-02T00:00:00Z'),
      endedAt: at('2026-03-02T03:00:00Z'),
      meterStartWh: 0,
      meterStopWh: 8_123,
    });
    expect(free.lines).toMatchObject([{ kind: 'free', wh: 8_123, amountExGstCents: 0 }]);
    // $16.50 inc GST = $15.00 ex; a quarter = $45.00 ex.
    const t = tariff([{ kind: 'monthlyFee', cents: 1650, per: 'bay' }], true);
    expect(rateMonthlyFees(t, 1)).toMatchObject([{ amountExGstCents: 1500 }]);
    expect(rateMonthlyFees(t, 3)).toMatchObject([{ amountExGstCents: 4500 }]);
  });

  it('time of use: a public holiday is priced as its chosen day type', () => {
    // Monday 26 Jan 2026 (Australia Day) 10:00–12:00 AEDT priced as Sunday: 5 kWh × 15 c = 75 c.
    const r = rate(tariff([tou]), {
      startedAt: at('2026-01-25T23:00:00Z'),
      endedAt: at('2026-01-26T01:00:00Z'),
      meterStartWh: 0,
      meterStopWh: 5_000,
    });
    expect(r.lines).toMatchObject([{ band: 'Weekend', wh: 5_000, amountExGstCents: 75 }]);
  });
});

describe('rating: time-of-use splits', () => {
  it('splits a session across the 22:00 boundary by its meter samples', () => {
    // Tuesday 13 Jan 2026, AEDT (UTC+11): 20:30–23:30 local = 09:30Z–12:30Z; 22:00 local = 11:00Z.
    const samples = [
      { at: at('2026-01-13T10:00:00Z'), wh: 103_000 },
      { at: at('2026-01-13T10:50:00Z'), wh: 106_000 },
      { at: at('2026-01-13T11:20:00Z'), wh: 109_000 },
    ];
    // Independently: the register at 11:00Z lies on the straight line between 10:50Z and 11:20Z.
    const lerp = (t: number, a: MeterSample, b: MeterSample) =>
      a.wh + ((b.wh - a.wh) * (t - a.at)) / (b.at - a.at);
    const [, s1, s2] = samples as [MeterSample, MeterSample, MeterSample];
    const atBoundary = Math.round(lerp(at('2026-01-13T11:00:00Z'), s1, s2));
    expect(atBoundary).toBe(107_000);
    const peakWh = atBoundary - 100_000;
    const offWh = 111_000 - atBoundary;
    const r = rate(
      tariff([tou]),
      {
        startedAt: at('2026-01-13T09:30:00Z'),
        endedAt: at('2026-01-13T12:30:00Z'),
        meterStartWh: 100_000,
        meterStopWh: 111_000,
      },
      samples,
    );
    expect(r.lines).toMatchObject([
      { band: 'Peak', wh: peakWh, amountExGstCents: (peakWh * 40) / 1000 }, // 7 kWh × 40 c = 280 c
      { band: 'Off-peak', wh: offWh, amountExGstCents: (offWh * 20) / 1000 }, // 4 kWh × 20 c = 80 c
    ]);
    expect(r.breakdown.runs.map((x) => new Date(x.to).toISOString())).toEqual([
      '2026-01-13T11:00:00.000Z',
      '2026-01-13T12:30:00.000Z',
    ]);
  });

  const flat24: Extract<TariffComponent, { kind: 'timeOfUse' }> = {
    kind: 'timeOfUse',
    bands: [
      { name: 'Peak', days: everyDay, from: '07:00', to: '22:00', millicentsPerKwh: 40_000 },
      { name: 'Off-peak', days: everyDay, from: '22:00', to: '07:00', millicentsPerKwh: 20_000 },
    ],
    holidays: [],
    holidayAs: 'sun',
  };

  it('the night clocks go back (5 Apr 2026, Sydney): off-peak 22:00–07:00 lasts 10 real hours', () => {
    // 21:00 AEDT Sat = 10:00Z; 22:00 AEDT = 11:00Z; 07:00 AEST Sun = 21:00Z; 08:00 AEST = 22:00Z.
    // 1 kW steady for 12 h: peak 1 h + 1 h = 2 kWh, off-peak 10 h = 10 kWh.
    const r = rate(tariff([flat24]), {
      startedAt: at('2026-04-04T10:00:00Z'),
      endedAt: at('2026-04-04T22:00:00Z'),
      meterStartWh: 0,
      meterStopWh: 12_000,
    });
    expect(r.lines).toMatchObject([
      { band: 'Peak', wh: 2_000, amountExGstCents: 80 },
      { band: 'Off-peak', wh: 10_000, amountExGstCents: 200 },
    ]);
  });

  it('the night clocks go forward (4 Oct 2026, Sydney): off-peak lasts 8 real hours', () => {
    // 21:00 AEST Sat = 11:00Z; 22:00 AEST = 12:00Z; 07:00 AEDT Sun = 20:00Z; 08:00 AEDT = 21:00Z.
    const r = rate(tariff([flat24]), {
      startedAt: at('2026-10-03T11:00:00Z'),
      endedAt: at('2026-10-03T21:00:00Z'),
      meterStartWh: 0,
      meterStopWh: 10_000,
    });
    expect(r.breakdown.runs.map((x) => [x.band, x.wh])).toEqual([
      ['Peak', 1_000],
      ['Off-peak', 8_000],
      ['Peak', 1_000],
    ]);
  });
});

describe('rating: band boundaries inside the DST change hour', () => {
  const split = (at: string): Extract<TariffComponent, { kind: 'timeOfUse' }> => ({
    kind: 'timeOfUse',
    bands: [
      { name: 'A', days: everyDay, from: '00:00', to: at, millicentsPerKwh: 10_000 },
      { name: 'B', days: everyDay, from: at, to: '24:00', millicentsPerKwh: 20_000 },
    ],
    holidays: [],
    holidayAs: 'sun',
  });

  it('the repeated hour (clocks back at 03:00 AEDT) is priced by its wall time on both passes', () => {
    // 01:00 AEDT = 14:00Z; 02:30 AEDT = 15:30Z; 03:00 AEDT = 02:00 AEST = 16:00Z; 02:30 AEST = 16:30Z.
    // 1 kW for 3 h: A 14:00–15:30Z and 16:00–16:30Z = 2 kWh; B 15:30–16:00Z and 16:30–17:00Z = 1 kWh.
    const r = rate(tariff([split('02:30')]), {
      startedAt: at('2026-04-04T14:00:00Z'),
      endedAt: at('2026-04-04T17:00:00Z'),
      meterStartWh: 0,
      meterStopWh: 3_000,
    });
    expect(
      r.breakdown.runs.map((x) => [x.band, new Date(x.to).toISOString().slice(11, 16), x.wh]),
    ).toEqual([
      ['A', '15:30', 1_500],
      ['B', '16:00', 500],
      ['A', '16:30', 500],
      ['B', '17:00', 500],
    ]);
  });

  it('a boundary in the skipped hour (02:30 on 4 Oct) falls when the clocks jump', () => {
    // 01:00 AEST = 15:00Z; clocks jump 02:00 AEST → 03:00 AEDT at 16:00Z; 04:00 AEDT = 17:00Z.
    const r = rate(tariff([split('02:30')]), {
      startedAt: at('2026-10-03T15:00:00Z'),
      endedAt: at('2026-10-03T17:00:00Z'),
      meterStartWh: 0,
      meterStopWh: 2_000,
    });
    expect(
      r.breakdown.runs.map((x) => [x.band, new Date(x.to).toISOString().slice(11, 16), x.wh]),
    ).toEqual([
      ['A', '16:00', 1_000],
      ['B', '17:00', 1_000],
    ]);
  });
});

describe('rating: readings that cannot be trusted are held for review', () => {
  it('a meter that goes backwards is not billed', () => {
    const r = rateSession(
      tariff([{ kind: 'perKwh', millicentsPerKwh: 30_000 }]),
      {
        startedAt: at('2026-03-02T00:00:00Z'),
        endedAt: at('2026-03-02T02:00:00Z'),
        meterStartWh: 1_000,
        meterStopWh: 5_000,
      },
      [{ at: at('2026-03-02T01:00:00Z'), wh: 900 }],
      SYD,
    );
    expect(r).toEqual({
      ok: false,
      review: 'The meter went backwards at 2026-03-02T01:00:00.000Z (1000 Wh → 900 Wh).',
    });
  });
});

describe('GST and periods', () => {
  it('GST is rounded once per invoice, half up; none when not registered', () => {
    const lines = [{ amountExGstCents: 315 }, { amountExGstCents: 80 }];
    expect(invoiceTotals(lines)).toEqual({ exGstCents: 395, gstCents: 40, incGstCents: 435 });
    expect(invoiceTotals(lines, false)).toEqual({ exGstCents: 395, gstCents: 0, incGstCents: 395 });
    expect(invoiceTotals([{ amountExGstCents: -395 }]).gstCents).toBe(-40);
  });

  it('a session crossing the period end belongs to the period in which it ended', () => {
    const [p1, p2, p3] = [
      at('2026-02-28T13:00:00Z'),
      at('2026-03-31T13:00:00Z'),
      at('2026-04-30T14:00:00Z'),
    ];
    const s = { endedAt: at('2026-03-31T14:00:00Z') };
    expect([inPeriod(s, p1, p2), inPeriod(s, p2, p3)]).toEqual([false, true]);
  });
});
