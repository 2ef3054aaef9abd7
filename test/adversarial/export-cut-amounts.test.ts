// An accountant edits an export profile to match their package's template and gives an amount
// column a longest length (as the StrataMax defaults do for text columns). The export promises
// that the file's rows add up to the run to the cent, and the screen shows that check before
// saving; but the check sums the values before they are written, so a cut amount ("123.75" kept
// to 4 characters: "123.") passed it while the file no longer added up. An amount, a reading or a
// date is never cut: such a profile is refused, naming the column; the files as saved parse back
// to the run's totals.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ocppCore } from '../ocpp/helpers';
import { aBilledSession } from '../support/billing-sessions';
import { billedSite } from '../support/billing';
import { download } from '../support/download';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/factories';
import { DEFAULT_PROFILES, type ExportProfile } from '../../src-shared/billing/export-profile';

const noon = (month: number, day: number) => Date.UTC(2026, month - 1, day, 2, 0);

describe('an export profile that would cut amounts', () => {
  it('is refused naming the column; the saved files add up to the run', async () => {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    await billedSite(t, admin, siteId, {
      tariff: { name: 'Energy', components: [{ kind: 'perKwh', millicentsPerKwh: 45_000 }] },
    });
    const station = await o.station();
    for (const [lot, wh] of [
      ['1', 250_000],
      ['2', 12_345],
    ] as const) {
      const a = await t.ok(admin, 'account-create', {
        siteId,
        lotNumber: lot,
        ownerNames: lot === '1' ? '=Lee, "Sam" & Co' : '-Kim Owner',
        openedAt: Date.UTC(2025, 0, 1),
      });
      aBilledSession(t, station, a.id, noon(3, 10), wh);
    }
    t.clock.set(noon(4, 2));
    await t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const run = await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });

    for (const [key, source, maxLength] of [
      ['stratamax', 'amountIncGst', 4],
      ['propertyiq', 'kwh', 3],
      ['stratamax', 'issueDate', 5],
    ] as const) {
      const base = DEFAULT_PROFILES[key] as ExportProfile;
      const i = base.columns.findIndex((c) => c.source === source);
      const columns = base.columns.map((c, n) => (n === i ? { ...c, maxLength } : c));
      const refused = await t.fail(admin, 'accounting-export-profile-save', {
        siteId,
        key,
        profile: { ...base, columns },
      });
      expect(refused.code).toBe('validation');
      expect(JSON.stringify(refused)).toContain(`columns.${i}.maxLength`);
      expect(refused.message).toMatch(/never cut/);
    }
    // The files as saved parse back and add up to the run, to the cent.
    for (const key of ['stratamax', 'propertyiq'] as const) {
      const check = await t.ok(admin, 'accounting-export-check', { siteId, runId: run.id, key });
      expect(check.ok).toBe(true);
      const { body } = await download(t, admin, {
        kind: 'billing-export',
        siteId,
        runId: run.id,
        key,
      });
      const rows = Papa.parse<Record<string, string>>(body.toString('utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
      const cents = (h: string) => rows.reduce((s, r) => s + Math.round(Number(r[h]) * 100), 0);
      expect([cents('Amount Ex GST'), cents('GST'), cents('Amount Inc GST')]).toEqual([
        run.totals.exGstCents,
        run.totals.gstCents,
        run.totals.incGstCents,
      ]);
    }
  });
});
