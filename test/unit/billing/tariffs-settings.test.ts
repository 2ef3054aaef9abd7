// Stored tariffs and billing settings through the real dispatcher: bad tariffs refused in plain
// words with nothing stored, versions that never rewrite history, overrides per account,
// public holidays, ABN checksum, logo checks.
import { describe, expect, it } from 'vitest';
import { makeCore, type TestCore } from '../../support/make-core';
import { aStation, loginAs, setupAdmin, USER_PASSWORD } from '../../support/factories';
import { meterValues, sessionAccounts, transactions } from '../../../src-main/db/schema';
import type { MethodInput } from '../../../src-shared/api/contract';
import { settingsInput } from '../../support/billing';
import { png } from '../../support/images';

type TariffIn = MethodInput<'tariff-create'>['tariff'];
const flat = (name: string, mc: number): TariffIn => ({
  name,
  pricesIncludeGst: false,
  components: [{ kind: 'perKwh', millicentsPerKwh: mc }],
});

/** A completed session of `wh` at a local Sydney time (UTC+11 in March 2026), with samples. */
function aSession(
  t: TestCore,
  station: { id: number; identity: string },
  accountId: number,
  start: number,
  wh: number,
) {
  const db = t.core.db;
  const tx = db
    .insert(transactions)
    .values({
      stationId: station.id,
      identity: station.identity,
      connectorNumber: 1,
      idTag: 'X',
      status: 'completed',
      startedAt: start,
      stoppedAt: start + 3600_000,
      meterStartWh: 10_000,
      meterStopWh: 10_000 + wh,
      lastMessageAt: start,
    })
    .returning({ id: transactions.id })
    .get();
  db.insert(sessionAccounts).values({ transactionId: tx.id, accountId, via: 'card' }).run();
  db.insert(meterValues)
    .values({
      stationId: station.id,
      transactionId: tx.id,
      connectorNumber: 1,
      timestamp: start + 1800_000,
      sampledValues: '[]',
      energyWh: 10_000 + wh / 2,
      dedupeKey: `k${tx.id}`,
    })
    .run();
  return tx.id;
}

const local = (d: number, h: number) => Date.UTC(2026, 2, d, h - 11, 0);

async function site() {
  const t = await makeCore();
  const { admin, site } = await setupAdmin(t);
  const station = await t.ok(admin, 'station-create', aStation(site.id));
  const account = await t.ok(admin, 'account-create', {
    siteId: site.id,
    lotNumber: '3',
    ownerNames: 'Lee Owner',
    openedAt: Date.UTC(2025, 0, 1),
  });
  return { t, admin, siteId: site.id, station, account };
}

describe('stored tariffs', () => {
  it('refuses overlapping or gappy bands naming the day and time, and stores nothing', async () => {
    const { t, admin, siteId } = await site();
    const e = await t.fail(admin, 'tariff-create', {
      siteId,
      effectiveFrom: '2026-01-01',
      tariff: {
        name: 'TOU',
        pricesIncludeGst: true,
        components: [
          {
            kind: 'timeOfUse',
            bands: [
              { name: 'Peak', days: ['mon'], from: '07:00', to: '22:00', millicentsPerKwh: 40_000 },
              {
                name: 'Night',
                days: ['mon'],
                from: '21:00',
                to: '07:00',
                millicentsPerKwh: 20_000,
              },
            ],
            holidays: [],
            holidayAs: 'sun',
          },
        ],
      },
    });
    expect(e.code).toBe('validation');
    expect(e.fields?.map((f) => f.message)).toEqual([
      'Monday 21:00–22:00 is in both "Peak" and "Night"; bands must not overlap.',
    ]);
    expect(e.fields?.[0]?.field).toBe('tariff.components.0.bands.1');
    const gap = await t.fail(admin, 'tariff-create', {
      siteId,
      effectiveFrom: '2026-01-01',
      tariff: {
        name: 'TOU',
        pricesIncludeGst: true,
        components: [
          {
            kind: 'timeOfUse',
            bands: [
              {
                name: 'All',
                days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
                from: '00:00',
                to: '23:00',
                millicentsPerKwh: 40_000,
              },
            ],
            holidays: [],
            holidayAs: 'sun',
          },
        ],
      },
    });
    expect(gap.message).toContain('Monday 23:00–24:00 has no band');
    expect((await t.ok(admin, 'tariff-list', { siteId })).tariffs).toEqual([]);
  });

  it('prices each session by the version in effect when it started, overridable per account', async () => {
    const { t, admin, siteId, station, account } = await site();
    await t.ok(admin, 'billing-settings-update', settingsInput(siteId));
    const base = await t.ok(admin, 'tariff-create', {
      siteId,
      effectiveFrom: '2026-01-01',
      tariff: flat('Standard', 30_000),
    });
    await t.ok(admin, 'tariff-assign', {
      siteId,
      target: 'site',
      targetId: siteId,
      tariffId: base.id,
    });
    const changed = await t.ok(admin, 'tariff-version-add', {
      tariffId: base.id,
      effectiveFrom: '2026-03-10',
      tariff: flat('Standard', 50_000),
    });
    expect(changed.versions.map((v) => v.effectiveFrom)).toEqual(['2026-01-01', '2026-03-10']);
    const before = aSession(t, station, account.id, local(5, 18), 10_000);
    const after = aSession(t, station, account.id, local(12, 18), 10_000);
    t.clock.set(Date.UTC(2026, 3, 2));
    await t.ok(admin, 'session-login', {
      email: 'admin@example.com',
      password: 'correct horse battery',
    });
    const p = await t.ok(admin, 'invoice-run-preview', { siteId, date: '2026-03-20' });
    const amounts = Object.fromEntries(
      (p.accounts[0]?.sessions ?? []).map((s) => [s.sessionId, s.amountExGstCents]),
    );
    expect(amounts).toEqual({ [before]: 300, [after]: 500 });

    // The account's own tariff beats the site's.
    const staff = await t.ok(admin, 'tariff-create', {
      siteId,
      effectiveFrom: '2026-01-01',
      tariff: flat('Staff', 10_000),
    });
    await t.ok(admin, 'tariff-assign', {
      siteId,
      target: 'account',
      targetId: account.id,
      tariffId: staff.id,
    });
    const p2 = await t.ok(admin, 'invoice-run-preview', { siteId, date: '2026-03-20' });
    expect(p2.accounts[0]?.sessions.map((s) => s.amountExGstCents)).toEqual([100, 100]);

    // Once March is invoiced, no version may take effect inside it.
    const run = await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-20' });
    // Previewing it again says it is issued (en-AU), not that there is nothing to invoice.
    const issued = await t.ok(admin, 'invoice-run-preview', { siteId, date: '2026-03-20' });
    const day = new Date(run.issuedAt + 11 * 3_600_000).toISOString().slice(0, 10).split('-');
    expect(issued.blockers).toEqual([
      `This period was issued on ${day[2]}/${day[1]}/${day[0]}: its invoices are under Invoices.`,
    ]);
    const late = await t.fail(admin, 'tariff-version-add', {
      tariffId: base.id,
      effectiveFrom: '2026-03-15',
      tariff: flat('Standard', 1),
    });
    expect(late).toMatchObject({ code: 'conflict', field: 'effectiveFrom' });
    expect(late.message).toBe(
      'Invoices up to 31/03/2026 are issued; a price change can take effect from the day after, not 15/03/2026.',
    );
    const audit = await t.ok(admin, 'audit-list', { method: 'tariff-version-add' });
    expect(audit.entries.length).toBe(1);
  });

  it('prices the site’s public holidays as the tariff says', async () => {
    const { t, admin, siteId, station, account } = await site();
    await t.ok(admin, 'billing-settings-update', settingsInput(siteId));
    const tou = await t.ok(admin, 'tariff-create', {
      siteId,
      effectiveFrom: '2026-01-01',
      tariff: {
        name: 'TOU',
        pricesIncludeGst: false,
        components: [
          {
            kind: 'timeOfUse',
            bands: [
              {
                name: 'Weekday',
                days: ['mon', 'tue', 'wed', 'thu', 'fri'],
                from: '00:00',
                to: '24:00',
                millicentsPerKwh: 40_000,
              },
              {
                name: 'Weekend',
                days: ['sat', 'sun'],
                from: '00:00',
                to: '24:00',
                millicentsPerKwh: 10_000,
              },
            ],
            holidays: [],
            holidayAs: 'sun',
          },
        ],
      },
    });
    await t.ok(admin, 'tariff-assign', {
      siteId,
      target: 'site',
      targetId: siteId,
      tariffId: tou.id,
    });
    // Monday 9 March 2026: Labour Day in Victoria, a holiday this manager keeps.
    await t.ok(admin, 'holiday-set', {
      siteId,
      holidays: [{ date: '2026-03-09', name: 'Labour Day' }],
    });
    aSession(t, station, account.id, local(9, 10), 10_000);
    aSession(t, station, account.id, local(10, 10), 10_000);
    t.clock.set(Date.UTC(2026, 3, 2));
    await t.ok(admin, 'session-login', {
      email: 'admin@example.com',
      password: 'correct horse battery',
    });
    const p = await t.ok(admin, 'invoice-run-preview', { siteId, date: '2026-03-20' });
    expect(
      p.accounts[0]?.sessions.map((s) => [s.parts[0]?.description, s.amountExGstCents]),
    ).toEqual([
      ['Energy — Weekend', 100],
      ['Energy — Weekday', 400],
    ]);
    const dup = await t.fail(admin, 'holiday-set', {
      siteId,
      holidays: [
        { date: '2026-03-09', name: 'A' },
        { date: '2026-03-09', name: 'B' },
      ],
    });
    expect(dup.message).toBe('09/03/2026 is listed twice; keep one public holiday per date.');
  });
});

describe('billing settings', () => {
  it('checks the ABN, the number format and the logo in words naming the field', async () => {
    const { t, admin, siteId } = await site();
    const e = await t.fail(admin, 'billing-settings-update', {
      ...settingsInput(siteId),
      issuerAbn: '51 824 753 557',
      numberFormat: 'INV-',
    });
    expect(e.fields).toEqual([
      {
        field: 'issuerAbn',
        message:
          'ABN "51 824 753 557" is not valid: an ABN has 11 digits that pass the ATO checksum. Check it on abr.business.gov.au.',
      },
      {
        field: 'numberFormat',
        message:
          'The invoice number format must contain {seq} (the running number), e.g. "EV-{seq:5}".',
      },
    ]);
    expect((await t.ok(admin, 'billing-settings-get', { siteId })).settings).toBeNull();
    await t.ok(admin, 'billing-settings-update', settingsInput(siteId));

    const logo = async (b: Buffer) =>
      t.call(admin, 'billing-logo-set', { siteId, base64: b.toString('base64') });
    const tooBig = await logo(png(100, 100, 600 * 1024));
    expect(!tooBig.ok && tooBig.error.message).toMatch(
      /^The logo is 0\.6 MB; a logo may be at most 0\.5 MB/,
    );
    const tooWide = await logo(png(2400, 40));
    expect(!tooWide.ok && tooWide.error.message).toBe(
      'The logo is 2400 × 40 pixels; it may be at most 2000 pixels on each side.',
    );
    const text = await logo(Buffer.from('hello'));
    expect(!text.ok && text.error).toMatchObject({ code: 'validation', field: 'base64' });
    expect((await t.ok(admin, 'billing-settings-get', { siteId })).logo).toBeNull();
    const good = await logo(png(300, 100));
    expect(good.ok).toBe(true);
    expect((await t.ok(admin, 'billing-settings-get', { siteId })).logo).toMatchObject({
      contentType: 'image/png',
    });
    // The sample invoice carries the logo and the issuer.
    const sample = await t.ok(admin, 'invoice-sample-pdf', { siteId });
    const bytes = Buffer.from(sample.base64, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.includes(Buffer.from('/Subtype /Image'))).toBe(true);
  });
});

describe('an EV user’s invoices', () => {
  it('lists only the invoices of their own account and refuses another’s PDF', async () => {
    const { t, admin, siteId, station, account } = await site();
    await t.ok(admin, 'billing-settings-update', settingsInput(siteId));
    const other = await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: '4',
      ownerNames: 'Other Owner',
      openedAt: Date.UTC(2025, 0, 1),
    });
    const tariff = await t.ok(admin, 'tariff-create', {
      siteId,
      effectiveFrom: '2026-01-01',
      tariff: flat('Standard', 30_000),
    });
    await t.ok(admin, 'tariff-assign', {
      siteId,
      target: 'site',
      targetId: siteId,
      tariffId: tariff.id,
    });
    aSession(t, station, account.id, local(5, 18), 10_000);
    aSession(t, station, other.id, local(6, 18), 10_000);
    const { conn: resident, user } = await loginAs(t, admin, 'ev_user', [siteId]);
    const r = await t.ok(admin, 'resident-create', {
      accountId: account.id,
      firstName: 'Lee',
      lastName: 'Owner',
    });
    await t.ok(admin, 'resident-login-set', { id: r.id, userId: user.id });
    t.clock.set(Date.UTC(2026, 3, 2));
    await t.ok(admin, 'session-login', {
      email: 'admin@example.com',
      password: 'correct horse battery',
    });
    await t.ok(resident, 'session-login', { email: user.email, password: USER_PASSWORD });
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-20' });
    const all = await t.ok(admin, 'invoice-list', { siteId });
    const mine = await t.ok(resident, 'my-invoice-list', {});
    expect(mine.map((i) => i.accountId)).toEqual([account.id]);
    // Its PDF and the refusal of another lot's: invoice-download.test.ts (streamed download).
    expect((await t.fail(resident, 'invoice-get', { id: all[0]?.id ?? 0 })).code).toBe('forbidden');
  });
});
