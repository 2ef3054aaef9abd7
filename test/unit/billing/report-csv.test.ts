// Billing → Reports as a CSV file through the streamed downloads seam (kind 'billing-report-csv'):
// the file has one row per billing period with the figures billing-report gives the tab, then a
// Total row that adds them up; the cost and car-park meter columns appear when the question has
// them. A range the wrong way round is refused in words at the ticket (naming the field); a site
// administrator of another site, support and an EV user are refused.
import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { aSite, aStation, loginAs, setupAdmin } from '../../support/factories';
import { billedSite } from '../../support/billing';
import { aBilledSession } from '../../support/billing-sessions';
import { isRefusal } from '../../../src-main/downloads/service';
import type { MethodInput } from '../../../src-shared/api/contract';

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const c of stream) out += Buffer.from(c as Buffer).toString('utf8');
  return out;
}

/** A local Sydney time in 2026 (AEDT, UTC+11, until April). */
const sydney = (month: number, d: number, h: number) => Date.UTC(2026, month - 1, d, h - 11);

describe('the billing report as a CSV file', () => {
  it('holds the tab’s figures per period and a total that adds them up', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const siteId = site.id;
    // 30 c/kWh and a $10 monthly fee per account, ex GST.
    await billedSite(t, admin, siteId);
    const station = await t.ok(admin, 'station-create', aStation(siteId));
    const lot = (n: string, owner: string) =>
      t.ok(admin, 'account-create', {
        siteId,
        lotNumber: n,
        ownerNames: owner,
        openedAt: Date.UTC(2025, 0, 1),
      });
    const ana = await lot('1', 'Ana Lopez');
    const raj = await lot('2', 'Raj Singh');
    // January: Ana 10 kWh; February: Ana 4 kWh, Raj 2.5 kWh and a visitor's 1.234 kWh (no account).
    aBilledSession(t, station, ana.id, sydney(1, 20, 10), 10_000);
    aBilledSession(t, station, ana.id, sydney(2, 3, 10), 4_000);
    aBilledSession(t, station, raj.id, sydney(2, 14, 19), 2_500);
    aBilledSession(t, station, null, sydney(2, 20, 8), 1_234);
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-01-15' });
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-02-15' });

    const question = {
      siteId,
      from: '2026-01-01',
      to: '2026-03-01',
      cost: { kind: 'flat', millicentsPerKwh: 25_000 },
      buildingMeter: { openingWh: 1_000_000, closingWh: 1_020_000 },
    } satisfies MethodInput<'billing-report'>;
    const tab = await t.ok(admin, 'billing-report', question);
    const ticket = await t.ok(admin, 'download-ticket-create', {
      kind: 'billing-report-csv',
      ...question,
    });
    expect(ticket.fileName).toBe('billing-report-2026-01-01-to-2026-03-01.csv');
    const body = t.core.services.downloads.redeem(ticket.url.split('/').pop() ?? '');
    if (isRefusal(body)) throw new Error(body.message);
    expect(body.contentType).toBe('text/csv; charset=utf-8');
    const raw = await text(body.stream);
    expect(raw.startsWith('\ufeff')).toBe(true);
    const csv = Papa.parse<Record<string, string>>(raw.slice(1), {
      header: true,
      skipEmptyLines: true,
    });
    expect(csv.errors).toEqual([]);
    expect(csv.meta.fields).toEqual([
      'Period',
      'From',
      'To',
      'Run issued',
      'Invoices',
      'Revenue ex GST ($)',
      'GST ($)',
      'Inc GST ($)',
      'Delivered kWh',
      'Billed kWh',
      'Not billed kWh',
      'Not billed sessions',
      'Electricity cost ex GST ($)',
      'Margin ex GST ($)',
      'Car-park meter kWh',
      'Losses and unmetered kWh',
    ]);
    // Worked out here: January, Ana: 10 kWh × 30 c + $10 = $13.00, and Raj's $10 fee: $23.00,
    // GST $2.30. February: Ana
    // 4 kWh → $1.20 + $10, Raj 2.5 kWh → $0.75 + $10: $21.95, GST 10 % per invoice ($1.12 +
    // $1.08 = $2.20). March: not issued, nothing charged. Cost at 25 c/kWh of what was delivered.
    expect(csv.data.map((r) => Object.values(r).slice(0, 14))).toEqual([
      ['January 2026', '01/01/2026', '31/01/2026', 'yes', '2', '23.00', '2.30', '25.30'].concat([
        '10.000',
        '10.000',
        '0.000',
        '0',
        '2.50',
        '20.50',
      ]),
      ['February 2026', '01/02/2026', '28/02/2026', 'yes', '2', '21.95', '2.20', '24.15'].concat([
        '7.734',
        '6.500',
        '1.234',
        '1',
        '1.93',
        '20.02',
      ]),
      ['March 2026', '01/03/2026', '31/03/2026', 'no', '0', '0.00', '0.00', '0.00'].concat([
        '0.000',
        '0.000',
        '0.000',
        '0',
        '0.00',
        '0.00',
      ]),
      ['Total', '01/01/2026', '31/03/2026', '', '4', '44.95', '4.50', '49.45'].concat([
        '17.734',
        '16.500',
        '1.234',
        '1',
        '4.43',
        '40.52',
      ]),
    ]);
    // The same figures as the tab, to the cent and the Wh.
    const total = csv.data.at(-1) ?? {};
    expect(Math.round(Number(total['Inc GST ($)']) * 100)).toBe(tab.totals.incGstCents);
    expect(Math.round(Number(total['Delivered kWh']) * 1000)).toBe(tab.totals.deliveredWh);
    // The car-park meter: 20 kWh measured over the range, on the Total row only.
    expect(csv.data.map((r) => [r['Car-park meter kWh'], r['Losses and unmetered kWh']])).toEqual([
      ['', ''],
      ['', ''],
      ['', ''],
      ['20.000', '2.266'],
    ]);

    // Without a cost or meter, those columns are not in the file.
    const plain = await t.ok(admin, 'download-ticket-create', {
      kind: 'billing-report-csv',
      ...question,
      cost: { kind: 'none' },
      buildingMeter: null,
    });
    const plainBody = t.core.services.downloads.redeem(plain.url.split('/').pop() ?? '');
    if (isRefusal(plainBody)) throw new Error(plainBody.message);
    const header = (await text(plainBody.stream)).split('\r\n')[0];
    expect(header).toBe(
      '\ufeffPeriod,From,To,Run issued,Invoices,Revenue ex GST ($),GST ($),Inc GST ($),Delivered kWh,Billed kWh,Not billed kWh,Not billed sessions',
    );
  });

  it('refuses a range the wrong way round in words, and anyone but the site’s managers', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const siteId = site.id;
    await billedSite(t, admin, siteId);
    const ask = { kind: 'billing-report-csv', siteId, cost: { kind: 'none' } } as const;
    const backwards = await t.fail(admin, 'download-ticket-create', {
      ...ask,
      from: '2026-03-01',
      to: '2026-01-01',
      buildingMeter: null,
    });
    expect(backwards).toMatchObject({
      code: 'validation',
      message: 'The report’s end date is before its start date.',
      field: 'to',
    });
    const meterBackwards = await t.fail(admin, 'download-ticket-create', {
      ...ask,
      from: '2026-01-01',
      to: '2026-03-01',
      buildingMeter: { openingWh: 5_000, closingWh: 4_000 },
    });
    expect(meterBackwards.message).toBe(
      'The building meter’s closing reading is below its opening reading.',
    );

    const fine = { ...ask, from: '2026-01-01', to: '2026-03-01', buildingMeter: null };
    const { conn: own } = await loginAs(t, admin, 'site_admin', [siteId]);
    expect((await t.ok(own, 'download-ticket-create', fine)).fileName).toMatch(/\.csv$/);
    const other = await t.ok(admin, 'site-create', aSite());
    const { conn: otherAdmin } = await loginAs(t, admin, 'site_admin', [other.id]);
    const { conn: support } = await loginAs(t, admin, 'support');
    const { conn: evUser } = await loginAs(t, admin, 'ev_user', [siteId]);
    for (const conn of [otherAdmin, support, evUser])
      expect((await t.fail(conn, 'download-ticket-create', fine)).code).toBe('forbidden');
  });
});
