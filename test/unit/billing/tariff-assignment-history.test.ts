// Tariff assignments are versioned with effective dates: a change of what applies to the site,
// a station or an account adds a row from a date and never rewrites what applied before, so a
// run over a past period rates each session by the assignment in force when it started, even
// when the run is built after later changes. Amounts are recomputed here from kWh × price.
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, aStation, setupAdmin } from '../../support/factories';
import { settingsInput } from '../../support/billing';
import { aBilledSession } from '../../support/billing-sessions';

/** A local Sydney time in March/April 2026 before the DST end on 5 April (UTC+11). */
const local = (month: number, d: number, h: number) => Date.UTC(2026, month - 1, d, h - 11, 0);
const perKwh = (name: string, centsPerKwh: number) => ({
  name,
  pricesIncludeGst: false,
  components: [{ kind: 'perKwh' as const, millicentsPerKwh: centsPerKwh * 1000 }],
});

describe('versioned tariff assignments', () => {
  it('rates each session of a past period by the assignment in force when it started', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const siteId = site.id;
    await t.ok(admin, 'billing-settings-update', settingsInput(siteId));
    const station = await t.ok(admin, 'station-create', aStation(siteId));
    const account = await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: '7',
      ownerNames: 'Kim Owner',
      openedAt: Date.UTC(2025, 0, 1),
    });
    // Moving the clock by days ends the login: log in again after each move.
    const moveTo = async (at: number) => {
      t.clock.set(at);
      await t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    };
    const create = async (name: string, cents: number) =>
      (
        await t.ok(admin, 'tariff-create', {
          siteId,
          effectiveFrom: '2025-01-01',
          tariff: perKwh(name, cents),
        })
      ).id;
    const standard = await create('Standard', 30);
    const raised = await create('Raised', 40);
    const deal = await create('Resident deal', 20);
    const assign = (
      target: 'site' | 'account',
      targetId: number,
      tariffId: number | null,
      effectiveFrom?: string,
    ) =>
      t.ok(admin, 'tariff-assign', {
        siteId,
        target,
        targetId,
        tariffId,
        ...(effectiveFrom ? { effectiveFrom } : {}),
      });

    // Before anything is invoiced, an assignment without a date applies since always.
    await assign('site', siteId, standard);
    // On 15 March the manager raises the site's price from that day.
    await moveTo(local(3, 15, 10));
    await assign('site', siteId, raised, '2026-03-15');
    // A deal for lot 7 from 18 March, ended on 25 March.
    await assign('account', account.id, deal, '2026-03-18');
    await assign('account', account.id, null, '2026-03-25');

    const sessions = [
      { start: local(3, 10, 18), tariff: 'Standard', cents: 30 },
      { start: local(3, 16, 18), tariff: 'Raised', cents: 40 },
      { start: local(3, 20, 18), tariff: 'Resident deal', cents: 20 },
      { start: local(3, 27, 18), tariff: 'Raised', cents: 40 },
    ].map((s, i) => ({ ...s, wh: 10_000 + i * 1_111 }));
    const ids = sessions.map((s) => aBilledSession(t, station, account.id, s.start, s.wh));
    const expected = sessions.map((s, i) => ({
      sessionId: ids[i],
      tariff: s.tariff,
      // Whole Wh × c/kWh, rounded half up to the cent (docs/billing.md).
      amountExGstCents: Math.round((s.wh * s.cents) / 1000),
    }));

    // In April the site goes back to Standard from 1 April: March's run is built after that
    // change and must not see it.
    await moveTo(local(4, 2, 9));
    await assign('site', siteId, standard, '2026-04-01');
    aBilledSession(t, station, account.id, local(4, 1, 9), 5_000);

    const march = await t.ok(admin, 'invoice-run-preview', { siteId, date: '2026-03-20' });
    const lines = march.accounts.flatMap((a) => a.sessions);
    expect(
      lines.map((l) => ({
        sessionId: l.sessionId,
        tariff: l.tariff,
        amountExGstCents: l.amountExGstCents,
      })),
    ).toEqual(expected);
    const run = await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-20' });
    const [invoice] = await t.ok(admin, 'invoice-list', { siteId, runId: run.id });
    expect(invoice?.totals.exGstCents).toBe(
      expected.reduce((sum, e) => sum + e.amountExGstCents, 0),
    );

    // Once March is invoiced, a change without a date takes effect from the first day not
    // invoiced: 1 April. April's session is priced by what applies from then.
    await assign('account', account.id, deal);
    const april = await t.ok(admin, 'invoice-run-preview', { siteId, date: '2026-04-10' });
    expect(
      april.accounts.flatMap((a) => a.sessions.map((s) => [s.tariff, s.amountExGstCents])),
    ).toEqual([['Resident deal', 100]]);

    // A change reaching back into the invoiced March is refused in words, and nothing is stored.
    const refused = await t.fail(admin, 'tariff-assign', {
      siteId,
      target: 'site',
      targetId: siteId,
      tariffId: deal,
      effectiveFrom: '2026-03-31',
    });
    expect(refused).toMatchObject({ code: 'conflict', field: 'effectiveFrom' });
    expect(refused.message).toBe(
      'Invoices up to 31/03/2026 are issued; a change of tariff can take effect from the day after, not 31/03/2026.',
    );

    // The list shows what applies today and every change, oldest first.
    const list = await t.ok(admin, 'tariff-list', { siteId });
    expect(list.assignments).toEqual([
      {
        target: 'site',
        targetId: siteId,
        label: 'The whole site',
        tariffId: standard,
        effectiveFrom: '2026-04-01',
      },
      {
        target: 'account',
        targetId: account.id,
        label: 'Lot 7 — Kim Owner',
        tariffId: deal,
        effectiveFrom: '2026-04-01',
      },
    ]);
    expect(list.assignmentHistory.map((a) => [a.target, a.tariffId, a.effectiveFrom])).toEqual([
      ['site', standard, null],
      ['site', raised, '2026-03-15'],
      ['account', deal, '2026-03-18'],
      ['account', null, '2026-03-25'],
      ['site', standard, '2026-04-01'],
      ['account', deal, '2026-04-01'],
    ]);
  });
});
