import { describe, expect, it } from 'vitest';
import { validateTariff, type Band, type Tariff } from '../../../src-shared/billing/tariff';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as Band['days'];
const weekend = {
  name: 'Weekend',
  days: ['sat', 'sun'],
  from: '00:00',
  to: '24:00',
  millicentsPerKwh: 15_000,
} satisfies Band;
const tou = (bands: Band[], holidays: string[] = []): Tariff => ({
  name: 'TOU',
  pricesIncludeGst: true,
  components: [{ kind: 'timeOfUse', bands, holidays, holidayAs: 'sun' }],
});

describe('tariff validation', () => {
  it('accepts a week covered exactly once, including a band that wraps midnight', () => {
    const t = tou([
      { name: 'Peak', days: weekdays, from: '07:00', to: '22:00', millicentsPerKwh: 40_000 },
      { name: 'Off-peak', days: weekdays, from: '22:00', to: '07:00', millicentsPerKwh: 20_000 },
      weekend,
    ]);
    expect(validateTariff(t)).toEqual([]);
  });

  it('names the day and times where two bands overlap', () => {
    const t = tou([
      { name: 'Peak', days: weekdays, from: '07:00', to: '22:00', millicentsPerKwh: 40_000 },
      { name: 'Shoulder', days: ['mon'], from: '14:00', to: '16:00', millicentsPerKwh: 30_000 },
      { name: 'Off-peak', days: weekdays, from: '22:00', to: '07:00', millicentsPerKwh: 20_000 },
      weekend,
    ]);
    expect(validateTariff(t)).toEqual([
      {
        field: 'components.0.bands.1',
        message: 'Monday 14:00–16:00 is in both "Peak" and "Shoulder"; bands must not overlap.',
      },
    ]);
  });

  it('names the day and times of every gap in the week', () => {
    const t = tou([
      { name: 'Peak', days: weekdays, from: '07:00', to: '22:00', millicentsPerKwh: 40_000 },
      { name: 'Off-peak', days: weekdays, from: '22:00', to: '06:00', millicentsPerKwh: 20_000 },
    ]);
    const messages = validateTariff(t).map((p) => p.message);
    expect(messages).toContain(
      'Monday 06:00–07:00 has no band; every minute of the week needs a price.',
    );
    expect(messages).toContain(
      'Friday 06:00–07:00 has no band; every minute of the week needs a price.',
    );
    expect(messages).toContain(
      'Saturday 00:00–24:00 has no band; every minute of the week needs a price.',
    );
    expect(messages).toHaveLength(7);
  });

  it('lists every bad field at once: times, prices, holiday dates, several energy prices', () => {
    const t: Tariff = {
      name: ' ',
      pricesIncludeGst: false,
      components: [
        { kind: 'perKwh', millicentsPerKwh: -5 },
        {
          kind: 'timeOfUse',
          bands: [
            { name: 'All', days: ['mon'], from: '25:00', to: '07:00', millicentsPerKwh: 1.5 },
          ],
          holidays: ['2026-02-30'],
          holidayAs: 'sun',
        },
        { kind: 'perMinute', basis: 'idle', millicentsPerMinute: 1000, graceMinutes: -1 },
      ],
    };
    expect(validateTariff(t).map((p) => p.field)).toEqual([
      'name',
      'components.0.millicentsPerKwh',
      'components.1.bands.0.millicentsPerKwh',
      'components.1.bands.0.from',
      'components.1.holidays.0',
      'components.2.graceMinutes',
      'components',
    ]);
  });

  it('a free tariff cannot carry charges', () => {
    const t: Tariff = {
      name: 'Visitors',
      pricesIncludeGst: false,
      components: [{ kind: 'free' }, { kind: 'monthlyFee', cents: 100, per: 'bay' }],
    };
    expect(validateTariff(t).map((p) => p.field)).toEqual(['components.0']);
  });
});
