// The run prepared at each period's end by the scheduler, on the manual clock: at 06:00 in the
// site's zone the day after the period ends (across Sydney's DST end and start), a draft with
// its totals, an email to each manager of the site through the outbox and an info alarm; never
// two drafts for a period (a second run, a restart); a period missed while the app was closed
// is prepared once at the next start; after a live restore the job follows the restored data
// (its site's zone). Nothing is issued.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { makeCore, type TestCore } from '../../support/make-core';
import { ManualClock } from '../../../src-main/platform/clock';
import { aSite, aStation, loginAs, setupAdmin, ADMIN_EMAIL } from '../../support/factories';
import { sites } from '../../../src-main/db/schema';
import { settingsInput } from '../../support/billing';
import { aBilledSession } from '../../support/billing-sessions';
import { alarms, invoiceRunDrafts, invoiceRuns, mailOutbox } from '../../../src-main/db/schema';

const SECOND = 1000;

async function billedSite(t: TestCore, periodEndDay: number) {
  const { admin, site } = await setupAdmin(t);
  const siteId = site.id;
  await t.ok(admin, 'billing-settings-update', { ...settingsInput(siteId), periodEndDay });
  const station = await t.ok(admin, 'station-create', aStation(siteId));
  const tariff = await t.ok(admin, 'tariff-create', {
    siteId,
    effectiveFrom: '2025-01-01',
    tariff: {
      name: 'Energy and access',
      pricesIncludeGst: false,
      components: [
        { kind: 'perKwh', millicentsPerKwh: 30_000 },
        { kind: 'monthlyFee', cents: 1_000, per: 'account' },
      ],
    },
  });
  await t.ok(admin, 'tariff-assign', {
    siteId,
    target: 'site',
    targetId: siteId,
    tariffId: tariff.id,
  });
  const account = await t.ok(admin, 'account-create', {
    siteId,
    lotNumber: '1',
    ownerNames: 'Pat Owner',
    openedAt: Date.UTC(2025, 0, 1),
  });
  // A manager of this site is told; a manager of another site is not.
  const { user: siteAdmin } = await loginAs(t, admin, 'site_admin', [siteId]);
  const other = await t.ok(admin, 'site-create', aSite());
  const { user: otherAdmin } = await loginAs(t, admin, 'site_admin', [other.id]);
  return { admin, siteId, station, account, siteAdmin, otherAdmin };
}

const drafts = (t: TestCore) => t.core.db.select().from(invoiceRunDrafts).all();
const prepared = (t: TestCore) =>
  t.core.db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'billing-run-prepared')).all();

describe('the invoice run prepared at period end', () => {
  it.each([
    {
      when: 'the morning Sydney’s clocks go back (5 April 2026, AEST from 03:00)',
      periodEndDay: 4,
      start: Date.UTC(2026, 3, 3, 12), // 3 April 23:00 AEDT
      // 06:00 AEST (UTC+10) on 5 April; 06:00 AEDT would have been 19:00 UTC.
      slot: Date.UTC(2026, 3, 4, 20),
      period: { start: '2026-03-05', end: '2026-04-04' },
      session: Date.UTC(2026, 3, 1, 8),
    },
    {
      when: 'the morning Sydney’s clocks go forward (4 October 2026, AEDT from 02:00)',
      periodEndDay: 3,
      start: Date.UTC(2026, 9, 2, 12), // 2 October 22:00 AEST
      // 06:00 AEDT (UTC+11) on 4 October; 06:00 AEST would have been 20:00 UTC.
      slot: Date.UTC(2026, 9, 3, 19),
      period: { start: '2026-09-04', end: '2026-10-03' },
      session: Date.UTC(2026, 8, 20, 8),
    },
  ])('prepares the run at 06:00 local on $when', async (c) => {
    const t = await makeCore({ clock: new ManualClock(c.start) });
    const { siteId, station, account, siteAdmin, otherAdmin } = await billedSite(t, c.periodEndDay);
    // 10 kWh at 30 c + the $10.00 access fee = $13.00 ex GST, $1.30 GST.
    aBilledSession(t, station, account.id, c.session, 10_000);

    // Nothing before 06:00 (the previous period ended before billing was set up: left alone).
    await t.clock.advance(c.slot - SECOND - t.clock.now());
    expect(drafts(t)).toEqual([]);
    await t.clock.advance(SECOND);
    expect(drafts(t)).toEqual([
      expect.objectContaining({
        siteId,
        periodStart: c.period.start,
        periodEnd: c.period.end,
        preparedAt: c.slot,
        slotAt: c.slot,
        accounts: 1,
        held: 0,
        exGstCents: 1_300,
        gstCents: 130,
        incGstCents: 1_430,
        notified: 2,
      }),
    ]);
    const mails = prepared(t);
    expect(mails.map((m) => JSON.parse(m.recipients) as string[]).sort()).toEqual(
      [[ADMIN_EMAIL], [siteAdmin.email]].sort(),
    );
    expect(mails.some((m) => m.recipients.includes(otherAdmin.email))).toBe(false);
    expect(mails[0]?.text).toContain('Total inc GST: $14.30 (GST $1.30)');
    expect(mails[0]?.text).toContain('Nothing has been issued.');
    const alarm = t.core.db
      .select()
      .from(alarms)
      .where(eq(alarms.rule, 'billing-run-prepared'))
      .all();
    expect(alarm).toEqual([expect.objectContaining({ siteId, severity: 'info', state: 'active' })]);
    // Issuing stays a person's decision.
    expect(t.core.db.select().from(invoiceRuns).all()).toEqual([]);

    // The next mornings find the period prepared: still one draft, no more mail.
    await t.clock.advance(3 * 86_400 * SECOND);
    expect(drafts(t)).toHaveLength(1);
    expect(prepared(t)).toHaveLength(2);
  });

  it('is re-armed after a restart and prepares a period missed while closed, once', async () => {
    const t = await makeCore({ clock: new ManualClock(Date.UTC(2026, 2, 20, 1)) });
    const { siteId, station, account } = await billedSite(t, 0);
    aBilledSession(t, station, account.id, Date.UTC(2026, 2, 25, 8), 10_000);
    await t.clock.advance(86_400 * SECOND);
    expect(drafts(t)).toEqual([]);

    // Closed on 21 March, started again on 3 April at 09:00 Sydney: 1 and 2 April were missed.
    await t.core.close();
    t.clock.set(Date.UTC(2026, 3, 2, 22));
    await t.restart();
    expect(t.core.services.scheduler.list().map((j) => j.name)).toContain(
      `billing.period-end.${siteId}`,
    );
    await t.clock.advance(SECOND);
    expect(drafts(t)).toEqual([
      expect.objectContaining({
        periodStart: '2026-03-01',
        periodEnd: '2026-03-31',
        // The latest missed slot: 06:00 AEDT on 3 April.
        slotAt: Date.UTC(2026, 3, 2, 19),
        accounts: 1,
        incGstCents: 1_430,
      }),
    ]);
    // Another restart, more mornings, a direct second call: never a second draft or email.
    await t.restart();
    await t.clock.advance(86_400 * SECOND);
    expect(t.core.services.billing.periodEnd.prepare(siteId, t.clock.now())).toBeNull();
    expect(drafts(t).map((d) => [d.siteId, d.periodStart, d.slotAt])).toEqual([
      [siteId, '2026-03-01', Date.UTC(2026, 3, 2, 19)],
    ]);
    expect(prepared(t)).toHaveLength(2);
  });

  it('closes its alarm by itself, with the time, when that period’s run is issued', async () => {
    // 31 March 23:30 AEDT: the manager's login outlasts the 6.5 hours to the slot.
    const t = await makeCore({ clock: new ManualClock(Date.UTC(2026, 2, 31, 12, 30)) });
    const { admin, siteId, station, account } = await billedSite(t, 0);
    aBilledSession(t, station, account.id, Date.UTC(2026, 2, 25, 8), 10_000);
    const alarm = () =>
      t.core.db.select().from(alarms).where(eq(alarms.rule, 'billing-run-prepared')).all();

    // 06:00 AEDT on 1 April: March's run is prepared, its alarm open.
    await t.clock.advance(Date.UTC(2026, 2, 31, 19) - t.clock.now());
    expect(alarm()).toEqual([
      expect.objectContaining({ siteId, state: 'active', clearedAt: null }),
    ]);

    // Issuing another period (February: the access fee only) leaves March's alarm open.
    await t.clock.advance(3_600 * SECOND);
    const february = await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-02-15' });
    expect(february.period.start).toBe('2026-02-01');
    await t.clock.advance(SECOND);
    expect(alarm()).toEqual([expect.objectContaining({ state: 'active', clearedAt: null })]);

    // The manager issues March: the alarm closes itself at that time, nobody named.
    await t.clock.advance(3_600 * SECOND);
    const issuedAt = t.clock.now();
    const march = await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    expect(march.issuedAt).toBe(issuedAt);
    await expect.poll(alarm).toEqual([
      expect.objectContaining({
        siteId,
        state: 'cleared',
        clearedAt: issuedAt,
        clearedBy: null,
        clearReason: 'A manager issued this invoice run.',
      }),
    ]);
  });

  it('is re-armed from the restored data after a live restore (its zone’s 06:00, not the one it replaced)', async () => {
    // 31 March 2026, 12:00 AEDT: March ends tonight.
    const t = await makeCore({ clock: new ManualClock(Date.UTC(2026, 2, 31, 1)) });
    const { admin, siteId, station, account } = await billedSite(t, 0);
    aBilledSession(t, station, account.id, Date.UTC(2026, 2, 25, 8), 10_000);
    const { fileName } = await t.ok(admin, 'backup-create', {});

    // After the backup the site moves to Perth (its job with it: 06:00 AWST is 22:00 UTC)...
    const site = t.core.db.select().from(sites).where(eq(sites.id, siteId)).get();
    await t.ok(admin, 'site-update', {
      id: siteId,
      name: site?.name ?? '',
      address: site?.address ?? null,
      timeZone: 'Australia/Perth',
    });
    // ...and the backup, in Sydney, is restored: 06:00 AEDT on 1 April is 19:00 UTC.
    await t.ok(admin, 'backup-restore', { fileName });
    expect(t.core.db.select().from(sites).where(eq(sites.id, siteId)).get()?.timeZone).toBe(
      'Australia/Sydney',
    );
    await t.clock.advance(Date.UTC(2026, 2, 31, 19) - SECOND - t.clock.now());
    expect(drafts(t)).toEqual([]);
    await t.clock.advance(SECOND);
    expect(drafts(t)).toEqual([
      expect.objectContaining({
        siteId,
        periodStart: '2026-03-01',
        slotAt: Date.UTC(2026, 2, 31, 19),
        incGstCents: 1_430,
      }),
    ]);
    // Perth's 06:00 later that day finds it prepared: no second job, draft or email.
    await t.clock.advance(4 * 3_600 * SECOND);
    expect(drafts(t)).toHaveLength(1);
    expect(prepared(t)).toHaveLength(2);
    expect(
      t.core.services.scheduler.list().filter((j) => j.name === `billing.period-end.${siteId}`),
    ).toHaveLength(1);
  });
});
