// The demo building's history: months of sessions with meter samples, shaped like a residential
// car park (weekday evening arrivals, varied kWh, a visitor bay), that the reports and the
// session page show on first start; written once, not again on the next start.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { ocppCore } from '../../ocpp/helpers';
import { startDemo } from '../../../src-main/sim/demo';
import { DEMO_HISTORY_DAYS, seedDemoHistory } from '../../../src-main/sim/demo-history';

describe('demo history', () => {
  it('gives the demo site months of plausible sessions the reports and session page show', async () => {
    const o = await ocppCore();
    const demo = await startDemo(o.t.core);
    try {
      const { siteId } = await o.t.ok(o.admin, 'demo-get', {});
      if (siteId === null) throw new Error('no demo site');
      const today = DateTime.fromMillis(o.t.clock.now(), { zone: 'Australia/Sydney' });
      const r = await o.t.ok(o.admin, 'report-totals', {
        siteId,
        from: today.minus({ days: DEMO_HISTORY_DAYS }).toISODate() ?? '',
        to: today.minus({ days: 1 }).toISODate() ?? '',
      });
      expect(r.total.sessions).toBeGreaterThan(150);
      // Every lot charged, and visitors (free, no account) now and then.
      expect(r.byAccount.filter((a) => a.accountId !== null)).toHaveLength(5);
      expect(r.byAccount.find((a) => a.accountId === null)?.sessions).toBeGreaterThan(3);
      // Weekday evenings are the peak: most sessions start between 17:00 and 21:00.
      const evening = r.byHour.filter((h) => h.hour >= 17 && h.hour <= 20);
      const peak = r.byHour.reduce((a, b) => (b.sessions > a.sessions ? b : a));
      expect(peak.hour).toBeGreaterThanOrEqual(17);
      expect(peak.hour).toBeLessThanOrEqual(20);
      expect(evening.reduce((n, h) => n + h.sessions, 0)).toBeGreaterThan(r.total.sessions / 2);
      const weekday = r.byWeekday.slice(0, 5).reduce((n, w) => n + w.sessions, 0) / 5;
      const weekend = r.byWeekday.slice(5).reduce((n, w) => n + w.sessions, 0) / 2;
      expect(weekday).toBeGreaterThan(weekend);
      // Varied kWh: sessions of one lot are not all alike.
      const lot1 = await o.t.ok(o.admin, 'account-sessions', {
        id: r.byAccount.find((a) => a.name.startsWith('Lot 1 '))?.accountId ?? 0,
        limit: 1000,
      });
      const kwh = new Set(lot1.map((s) => Math.round((s.energyWh ?? 0) / 1000)));
      expect(kwh.size).toBeGreaterThan(5);
      // A past session has its meter samples: a chart and the raw table.
      const past = lot1.find((s) => s.status === 'completed');
      const detail = await o.t.ok(o.admin, 'session-detail-get', { id: past?.id ?? 0 });
      expect(detail.session.sampleCount).toBeGreaterThan(10);
      expect(Math.max(...detail.chart.points.map((p) => p.powerW ?? 0))).toBeGreaterThan(1000);
      expect(detail.chart.points.at(-1)?.energyWh).toBe(detail.session.energyWh);
      const samples = await o.t.ok(o.admin, 'session-detail-samples', { id: past?.id ?? 0 });
      expect(samples.samples[0]?.sampledValue.map((v) => v.measurand)).toContain(
        'Energy.Active.Import.Register',
      );
      // A second start of the demo writes no second history.
      expect(seedDemoHistory(o.t.core, siteId, o.t.clock.now(), 'Australia/Sydney')).toBe(0);
    } finally {
      await demo.stop();
    }
  });
});
