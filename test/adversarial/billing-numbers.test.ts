// Adversarial checks of issue 13's numbering and payments: an invoice number is never given
// twice at a site, even when the issuer changes (an ABN added or corrected starts that issuer's
// own sequence), so a payments CSV can never mark the wrong invoice paid; a payments CSV's
// problems are reported on the row a spreadsheet shows.
import { describe, expect, it } from 'vitest';
import { ocppCore, type OcppTest } from '../ocpp/helpers';
import { aBilledSession } from '../support/billing-sessions';
import { billedSite, settingsInput } from '../support/billing';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/factories';

/** Noon in Sydney (UTC+11 until April, UTC+10 after) on a day of 2026. */
const noon = (month: number, day: number) => Date.UTC(2026, month - 1, day, 2, 0);

async function billedLots(o: OcppTest, settings: Partial<ReturnType<typeof settingsInput>>) {
  const { t, admin, siteId } = o;
  await billedSite(t, admin, siteId, {
    settings,
    tariff: { name: 'Energy', components: [{ kind: 'perKwh', millicentsPerKwh: 30_000 }] },
  });
  const lots = [];
  for (const lot of ['1', '2']) {
    lots.push(
      await t.ok(admin, 'account-create', {
        siteId,
        lotNumber: lot,
        ownerNames: `Owner ${lot}`,
        openedAt: Date.UTC(2025, 0, 1),
      }),
    );
  }
  return { lots, station: await o.station() };
}

/** Moves the clock (the session survives: it is re-established by logging in again). */
async function at(o: OcppTest, ms: number) {
  o.t.clock.set(ms);
  await o.t.ok(o.admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
}

describe('invoice numbers across a change of issuer', () => {
  it('never repeats a number at a site when an ABN is added after invoices were issued', async () => {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    // Not registered for GST, no ABN: the site is its own issuer.
    const { lots, station } = await billedLots(o, { gstRegistered: false, issuerAbn: null });
    for (const lot of lots) aBilledSession(t, station, lot.id, noon(3, 10), 5_000);
    await at(o, noon(4, 2));
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    // The owners corporation registers for GST: same site, now an ABN (a new issuer, whose own
    // sequence starts at 1 and would print EV-00001 again).
    await t.ok(admin, 'billing-settings-update', settingsInput(siteId));
    for (const lot of lots) aBilledSession(t, station, lot.id, noon(4, 10), 7_000);
    await at(o, noon(5, 2));
    const refused = await t.fail(admin, 'invoice-run-issue', { siteId, date: '2026-04-15' });
    expect(refused.message).toMatch(/EV-00001 was already issued at this site/);
    expect(refused.message).toMatch(/Change the invoice number format/);
    expect(refused.field).toBe('numberFormat');
    const before = await t.ok(admin, 'invoice-list', { siteId });
    expect(before.map((i) => i.number).sort()).toEqual(['EV-00001', 'EV-00002']);
    // With a format of its own the run issues, the new issuer's numbers from 1 with no gap.
    await t.ok(admin, 'billing-settings-update', {
      ...settingsInput(siteId),
      numberFormat: 'GST-{seq:5}',
    });
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-04-15' });
    const after = await t.ok(admin, 'invoice-list', { siteId });
    expect(after.map((i) => i.number).sort()).toEqual([
      'EV-00001',
      'EV-00002',
      'GST-00001',
      'GST-00002',
    ]);
    // A payments CSV quoting an April number marks that invoice, not March's.
    const april = after.filter((i) => i.number.startsWith('GST-'));
    const csv = `invoice,amount,date\n${april
      .map((i) => `${i.number},${(i.totals.incGstCents / 100).toFixed(2)},2026-05-03`)
      .join('\n')}\n`;
    const paid = await t.ok(admin, 'invoice-payments-import', { siteId, csv, mode: 'import' });
    expect(paid).toMatchObject({ problems: [], paid: 2 });
    const final = await t.ok(admin, 'invoice-list', { siteId });
    expect(
      final
        .filter((i) => i.status === 'paid')
        .map((i) => i.number)
        .sort(),
    ).toEqual(['GST-00001', 'GST-00002']);
  });

  it('refuses a void whose credit note number the site already used, and voids nothing', async () => {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    const { lots, station } = await billedLots(o, { gstRegistered: false, issuerAbn: null });
    for (const lot of lots) aBilledSession(t, station, lot.id, noon(3, 10), 5_000);
    await at(o, noon(4, 2));
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    await t.ok(admin, 'billing-settings-update', settingsInput(siteId));
    const [first] = await t.ok(admin, 'invoice-list', { siteId });
    const refused = await t.fail(admin, 'invoice-void', {
      id: first?.id ?? 0,
      reason: 'wrong lot',
    });
    expect(refused.field).toBe('numberFormat');
    const list = await t.ok(admin, 'invoice-list', { siteId });
    expect(list.map((i) => [i.number, i.status])).toEqual(
      expect.arrayContaining([
        ['EV-00001', 'issued'],
        ['EV-00002', 'issued'],
      ]),
    );
    expect(list).toHaveLength(2);
  });
});

describe('payments CSV', () => {
  async function issued() {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    const { lots, station } = await billedLots(o, {});
    for (const lot of lots) aBilledSession(t, station, lot.id, noon(3, 10), 5_000);
    await at(o, noon(4, 2));
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    const list = await t.ok(admin, 'invoice-list', { siteId });
    const row = (n: number) => {
      const inv = list[n];
      if (!inv) throw new Error('no invoice');
      return `${inv.number},${(inv.totals.incGstCents / 100).toFixed(2)},03/04/2026,BPAY ${n}`;
    };
    return { o, list, row };
  }

  it('rejects a file with an unknown invoice number on its row, and writes nothing', async () => {
    const { o, row } = await issued();
    const { t, admin, siteId } = o;
    const csv = `Invoice number,Amount,Date,Reference\r\n${row(0)}\r\nEV-99999,12.00,03/04/2026,x\r\n${row(1)}\r\n`;
    const r = await t.ok(admin, 'invoice-payments-import', { siteId, csv, mode: 'import' });
    expect(r.paid).toBeNull();
    expect(r.problems).toEqual([
      { row: 3, column: 'invoice', reason: 'No invoice EV-99999 was issued for this site.' },
    ]);
    const list = await t.ok(admin, 'invoice-list', { siteId });
    expect(list.filter((i) => i.status === 'paid')).toEqual([]);
  });

  it('names the row a spreadsheet shows when the file has blank lines', async () => {
    const { o, row } = await issued();
    const { t, admin, siteId } = o;
    // A statement pasted from a bank: a blank line after the header and between rows.
    const csv = `\uFEFFinvoice,amount,date,reference\n\n${row(0)}\n\nEV-99999,12.00,03/04/2026,x\n${row(1)}\n`;
    const r = await t.ok(admin, 'invoice-payments-import', { siteId, csv, mode: 'preview' });
    expect(r.problems.map((p) => p.row)).toEqual([5]);
  });
});
