// An invoice run over sessions produced by a simulated charger over a real socket: the amounts
// on the issued invoices equal a separate, simple calculation from the meter samples stored in
// the database (linear between samples, split at the 22:00 peak/off-peak boundary), issuing
// twice gives one set of numbers, the PDF reads back with every tax-invoice field, a void
// writes a credit note that negates it, a re-issue takes the next number, and a crash mid-issue
// leaves no gap.
import { describe, expect, it } from 'vitest';
import { ocppCore, type OcppTest } from './helpers';
import { meterValues, transactions } from '../../src-main/db/schema';
import { asc, eq } from 'drizzle-orm';
import { pdfText } from '../support/pdf-text';
import type { MethodInput } from '../../src-shared/api/contract';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/factories';
import { settingsInput } from '../support/billing';

const MIN = 60_000;
// Sydney is UTC+11 (daylight time) in March 2026.
const sydney = (d: number, h: number, m: number) => Date.UTC(2026, 2, d, h - 11, m);

const PEAK_MC = 45_000; // 45 c/kWh ex GST
const OFF_MC = 20_000; // 20 c/kWh ex GST
const FEE_CENTS = 1_000; // $10 a month per account, ex GST

const tou: MethodInput<'tariff-create'>['tariff'] = {
  name: 'Residents time-of-use',
  pricesIncludeGst: false,
  components: [
    {
      kind: 'timeOfUse',
      bands: [
        {
          name: 'Peak',
          days: ['mon', 'tue', 'wed', 'thu', 'fri'],
          from: '07:00',
          to: '22:00',
          millicentsPerKwh: PEAK_MC,
        },
        {
          name: 'Off-peak',
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          from: '22:00',
          to: '07:00',
          millicentsPerKwh: OFF_MC,
        },
        {
          name: 'Weekend',
          days: ['sat', 'sun'],
          from: '07:00',
          to: '22:00',
          millicentsPerKwh: OFF_MC,
        },
      ],
      holidays: [],
      holidayAs: 'sun',
    },
    { kind: 'monthlyFee', cents: FEE_CENTS, per: 'account' },
  ],
};

/** Half up for positive amounts, as a strata manager's calculator does. */
const round = (x: number) => Math.floor(x + 0.5);

/** The separate, simple calculation: from the stored readings alone. */
function recompute(o: OcppTest, txId: number, boundary: number) {
  const db = o.t.core.db;
  const tx = db.select().from(transactions).where(eq(transactions.id, txId)).get();
  if (!tx || tx.stoppedAt === null || tx.meterStopWh === null) throw new Error('no session');
  const samples = db
    .select({ at: meterValues.timestamp, wh: meterValues.energyWh })
    .from(meterValues)
    .where(eq(meterValues.transactionId, txId))
    .orderBy(asc(meterValues.timestamp))
    .all()
    .filter((s) => s.at > tx.startedAt && s.at < (tx.stoppedAt ?? 0));
  const pts = [
    { at: tx.startedAt, wh: tx.meterStartWh },
    ...samples.map((s) => ({ at: s.at, wh: s.wh ?? 0 })),
    { at: tx.stoppedAt, wh: tx.meterStopWh },
  ];
  let whAtBoundary = tx.meterStartWh;
  if (boundary >= tx.stoppedAt) whAtBoundary = tx.meterStopWh;
  else if (boundary > tx.startedAt) {
    const i = pts.findIndex((p) => p.at >= boundary);
    const a = pts[i - 1];
    const b = pts[i];
    if (!a || !b) throw new Error('boundary outside the samples');
    whAtBoundary = round(a.wh + ((b.wh - a.wh) * (boundary - a.at)) / (b.at - a.at));
  }
  const peakWh = whAtBoundary - tx.meterStartWh;
  const offWh = tx.meterStopWh - whAtBoundary;
  const cents =
    (peakWh > 0 ? round((peakWh * PEAK_MC) / 1e6) : 0) +
    (offWh > 0 ? round((offWh * OFF_MC) / 1e6) : 0);
  return { peakWh, offWh, cents, samples: samples.length };
}

/** The lists' summaries from SQL (invoice-summaries.ts) are the ones summaryOf makes of each
 *  whole row and document: invoices, credit notes, void, re-issued, paid. */
function expectSummariesOfRows(o: OcppTest, accountIds: number[]) {
  const { invoicing } = o.t.core.services.billing;
  for (const q of [
    { siteId: o.siteId, limit: 100 },
    { siteId: o.siteId, status: 'void', limit: 100 },
    { accountIds, limit: 100 },
    { accountIds: accountIds.slice(0, 1), limit: 1 },
  ]) {
    const fromRows = invoicing.list(q).map((r) => invoicing.summaryOf(r));
    expect(invoicing.summaries(q)).toEqual(fromRows);
  }
  expect(invoicing.list({ siteId: o.siteId, limit: 100 }).length).toBeGreaterThan(1);
}

async function billedBuilding() {
  const o = await ocppCore();
  const { t, admin, siteId } = o;
  await t.ok(admin, 'billing-settings-update', settingsInput(siteId));
  const tariff = await t.ok(admin, 'tariff-create', {
    siteId,
    effectiveFrom: '2026-01-01',
    tariff: tou,
  });
  await t.ok(admin, 'tariff-assign', {
    siteId,
    target: 'site',
    targetId: siteId,
    tariffId: tariff.id,
  });
  const lot5 = await t.ok(admin, 'account-create', {
    siteId,
    lotNumber: '5',
    unitNumber: '502',
    ownerNames: 'Jane Citizen',
    postalAddress: '502/1 Harbour St, Sydney NSW 2000',
    invoiceEmails: ['jane@example.com'],
    bpayReference: '5001234',
    accountCode: 'EV005',
    openedAt: Date.UTC(2025, 0, 1),
  });
  const lot7 = await t.ok(admin, 'account-create', {
    siteId,
    lotNumber: '7',
    ownerNames: 'Sam Owner',
    openedAt: Date.UTC(2025, 0, 1),
  });
  await t.ok(admin, 'card-issue', { siteId, accountId: lot5.id, number: 'AA000005' });
  await t.ok(admin, 'card-issue', { siteId, accountId: lot7.id, number: 'AA000007' });
  return { o, lot5, lot7, tariff };
}

/** Charges with the simulated charger: start, samples every 7 minutes with varying power. */
async function chargeSessions(o: OcppTest) {
  const { t } = o;
  const { identity } = await o.station({ name: 'B1 charger 3' });
  // T0 is Monday 2 March 20:00 in Sydney; lot 5 plugs in at 21:43, across the 22:00 boundary.
  t.clock.set(sydney(2, 21, 43));
  const sim = o.sim(identity);
  await sim.start();
  const a = await sim.startTransaction(1, 'AA000005');
  const seconds = [200, 380, 90, 420, 300];
  for (const s of seconds) {
    t.clock.set(t.clock.now() + 7 * MIN);
    sim.advanceMeter(1, s);
    await sim.meterValues(1);
  }
  t.clock.set(t.clock.now() + 3 * MIN);
  sim.advanceMeter(1, 60);
  await sim.stopTransaction(1);
  // Lot 7 charges entirely off-peak, at 23:10–23:40.
  t.clock.set(sydney(2, 23, 10));
  const b = await sim.startTransaction(1, 'AA000007');
  for (let i = 0; i < 3; i++) {
    t.clock.set(t.clock.now() + 10 * MIN);
    sim.advanceMeter(1, 500);
    await sim.meterValues(1);
  }
  await sim.stopTransaction(1);
  // A third session of lot 7 is flagged for review: held out of the run.
  t.clock.set(t.clock.now() + 5 * MIN);
  const c = await sim.startTransaction(1, 'AA000007');
  t.clock.set(t.clock.now() + 10 * MIN);
  sim.advanceMeter(1, 300);
  await sim.stopTransaction(1);
  await sim.goOffline();
  const ids = [a, b, c].map((x) => x.transactionId ?? 0);
  o.t.core.db
    .update(transactions)
    .set({ flag: 'review', flagReason: 'meter reading checked by hand' })
    .where(eq(transactions.id, ids[2] ?? 0))
    .run();
  // Into April: March's period has ended.
  t.clock.set(sydney(31, 12, 0) + 24 * 3600_000);
  await t.ok(o.admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  return { lot5Session: ids[0] ?? 0, lot7Session: ids[1] ?? 0, heldSession: ids[2] ?? 0 };
}

describe('invoice runs', () => {
  it('bills simulated sessions to the cent of a separate calculation from the stored samples', async () => {
    const { o, lot5, lot7 } = await billedBuilding();
    const { t, admin, siteId } = o;
    const s = await chargeSessions(o);
    const boundary = sydney(2, 22, 0);
    const five = recompute(o, s.lot5Session, boundary);
    const seven = recompute(o, s.lot7Session, boundary);
    // The split is real: both bands have energy, and the boundary falls between samples.
    expect(five.peakWh).toBeGreaterThan(0);
    expect(five.offWh).toBeGreaterThan(0);
    expect(five.samples).toBe(5);
    expect(seven.peakWh).toBe(0);

    const preview = await t.ok(admin, 'invoice-run-preview', { siteId, date: '2026-03-15' });
    expect(preview.period).toMatchObject({ start: '2026-03-01', end: '2026-03-31' });
    expect(preview.blockers).toEqual([]);
    expect(preview.held.map((h) => [h.sessionId, h.lot])).toEqual([[s.heldSession, '7']]);
    const p5 = preview.accounts.find((a) => a.accountId === lot5.id);
    const p7 = preview.accounts.find((a) => a.accountId === lot7.id);
    expect(p5?.sessions.map((x) => x.parts.map((p) => [p.description, p.wh]))).toEqual([
      [
        ['Energy — Peak', five.peakWh],
        ['Energy — Off-peak', five.offWh],
      ],
    ]);
    const ex5 = five.cents + FEE_CENTS;
    const ex7 = seven.cents + FEE_CENTS;
    expect(p5?.totals).toEqual({
      exGstCents: ex5,
      gstCents: round(ex5 / 10),
      incGstCents: ex5 + round(ex5 / 10),
    });
    expect(p7?.totals.exGstCents).toBe(ex7);
    expect(p7?.warnings).toEqual([
      'No invoice email: print and post this invoice.',
      '1 session held for review (billed in a later run once resolved).',
    ]);

    const issued = await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    expect(issued).toMatchObject({ invoices: 2, alreadyIssued: false, held: 1 });
    expect(issued.totals.exGstCents).toBe(ex5 + ex7);
    const list = await t.ok(admin, 'invoice-list', { siteId });
    const inv5 = list.find((i) => i.accountId === lot5.id);
    expect(inv5).toMatchObject({
      number: 'EV-00001',
      status: 'issued',
      totals: p5?.totals,
      dueDate: '2026-04-15',
    });
    expect(list.map((i) => i.number).sort()).toEqual(['EV-00001', 'EV-00002']);

    // Issuing again, and two issues racing: the same run, no new numbers.
    const [again, racing] = await Promise.all([
      t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-01' }),
      t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-31' }),
    ]);
    expect([again.id, again.alreadyIssued, racing.id, racing.alreadyIssued]).toEqual([
      issued.id,
      true,
      issued.id,
      true,
    ]);
    expect((await t.ok(admin, 'invoice-list', { siteId })).length).toBe(2);

    // The PDF reads back with every field a tax invoice needs.
    // The bytes the streamed download (kind 'invoice-pdf') serves: invoice-download.test.ts.
    const pdf = await t.core.services.billing.pdf(inv5?.id ?? 0);
    const text = (await pdfText(pdf.content)).text.replace(/\s+/g, ' ');
    const money = (c: number) =>
      `$${Math.floor(c / 100).toLocaleString('en-AU')}.${String(c % 100).padStart(2, '0')}`;
    for (const field of [
      'Tax invoice',
      'Harbour Strata Management',
      'ABN 51 824 753 556',
      'Level 3, 1 George St, Sydney NSW 2000',
      'EV-00001',
      'Issue date: 01/04/2026',
      'Due date: 15/04/2026',
      'Strata plan SP 12345',
      'Lot 5, Unit 502',
      'Jane Citizen',
      '502/1 Harbour St, Sydney NSW 2000',
      'Billing period: 01/03/2026 to 31/03/2026',
      'B1 charger 3 / outlet 1',
      ((five.peakWh + five.offWh) / 1000).toFixed(3),
      `Peak: ${(five.peakWh / 1000).toFixed(3)} kWh × 45 c/kWh`,
      `Off-peak: ${(five.offWh / 1000).toFixed(3)} kWh × 20 c/kWh`,
      'Monthly access fee',
      `Total ex GST ${money(ex5)}`,
      `GST (10 %) ${money(round(ex5 / 10))}`,
      `Total inc GST ${money(ex5 + round(ex5 / 10))}`,
      'GST is 10 % of the total ex GST, rounded once per invoice (half up)',
      'BPAY — Biller code 123456, Ref 5001234',
      'BSB 062-000, Account 12345678',
      'questions about this invoice: 02 9000 0000',
    ])
      expect(text).toContain(field);

    // A void writes a credit note negating it; the sessions are billed again by a re-issue.
    const voided = await t.ok(admin, 'invoice-void', { id: inv5?.id ?? 0, reason: 'Wrong owner' });
    expect(voided.voided.status).toBe('void');
    expect(voided.creditNote).toMatchObject({
      number: 'EV-00003',
      kind: 'credit-note',
      totals: {
        exGstCents: -ex5,
        gstCents: -round(ex5 / 10),
        incGstCents: -(ex5 + round(ex5 / 10)),
      },
    });
    const creditText = (
      await pdfText((await t.core.services.billing.pdf(voided.creditNote.id)).content)
    ).text.replace(/\s+/g, ' ');
    expect(creditText).toContain('Adjustment note (credit note)');
    expect(creditText).toContain('Credits invoice EV-00001');
    expect((await t.fail(admin, 'invoice-void', { id: inv5?.id, reason: 'again' })).code).toBe(
      'conflict',
    );
    const re = await t.ok(admin, 'invoice-reissue', { id: inv5?.id ?? 0 });
    expect(re).toMatchObject({ number: 'EV-00004', totals: p5?.totals, status: 'issued' });
    expectSummariesOfRows(o, [lot5.id, lot7.id]);

    // Held sessions are billed in the next run once resolved (the sessions domain's review).
    await t.ok(admin, 'session-resolve', {
      id: s.heldSession,
      action: 'accept',
      reason: 'Reading checked against the charger display',
    });
    const april = await t.ok(admin, 'invoice-run-preview', { siteId, date: '2026-04-10' });
    expect(
      april.accounts.find((a) => a.accountId === lot7.id)?.sessions.map((x) => x.sessionId),
    ).toEqual([s.heldSession]);
    const audit = await t.ok(admin, 'audit-list', { method: 'invoice-run-issue' });
    // Every call is in the audit log (the two repeats wrote nothing).
    expect(audit.entries.length).toBe(3);
  });

  it('leaves no gap in the numbers when issuing fails half-way, and issues cleanly after', async () => {
    const { o } = await billedBuilding();
    const { t, admin, siteId } = o;
    await chargeSessions(o);
    // The second invoice's insert fails, as a crash or a full disk would stop it.
    const sqlite = t.core.db.$client;
    sqlite.exec(`CREATE TRIGGER fail_second BEFORE INSERT ON invoices
      WHEN (SELECT count(*) FROM invoices) >= 1 BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const failed = await t.call(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    expect(failed.ok).toBe(false);
    expect(sqlite.prepare('SELECT count(*) AS n FROM invoices').get()).toEqual({ n: 0 });
    expect(sqlite.prepare('SELECT count(*) AS n FROM invoice_runs').get()).toEqual({ n: 0 });
    sqlite.exec('DROP TRIGGER fail_second');
    await t.restart();
    await t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    const numbers = (await t.ok(admin, 'invoice-list', { siteId })).map((i) => i.number).sort();
    expect(numbers).toEqual(['EV-00001', 'EV-00002']);
  });

  it('marks invoices paid from a payments CSV only when every row is good', async () => {
    const { o, lot5, lot7 } = await billedBuilding();
    const { t, admin, siteId } = o;
    await chargeSessions(o);
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    const [first, second] = (await t.ok(admin, 'invoice-list', { siteId })).sort((a, b) =>
      a.number.localeCompare(b.number),
    );
    const dollars = (c: number) => (c / 100).toFixed(2);
    const bad = [
      'Invoice,Amount,Date,Reference',
      `${first?.number},${dollars(first?.totals.incGstCents ?? 0)},03/04/2026,BPAY 1`,
      `EV-09999,10.00,03/04/2026,BPAY 2`,
      `${second?.number},1.00,03/04/2026,BPAY 3`,
    ].join('\n');
    const checked = await t.ok(admin, 'invoice-payments-import', {
      siteId,
      csv: bad,
      mode: 'import',
    });
    expect(checked.paid).toBeNull();
    expect(checked.problems).toEqual([
      { row: 3, column: 'invoice', reason: 'No invoice EV-09999 was issued for this site.' },
      {
        row: 4,
        column: 'amount',
        reason: `Paid $1.00 but invoice ${second?.number} is for $${dollars(second?.totals.incGstCents ?? 0)}; part payments are recorded by hand.`,
      },
    ]);
    // Nothing was written.
    expect(
      (await t.ok(admin, 'invoice-list', { siteId })).every((i) => i.status === 'issued'),
    ).toBe(true);
    const good = [
      'Invoice,Amount,Date,Reference',
      `${first?.number},$${dollars(first?.totals.incGstCents ?? 0)},03/04/2026,BPAY 1`,
    ].join('\n');
    expect(
      (await t.ok(admin, 'invoice-payments-import', { siteId, csv: good, mode: 'import' })).paid,
    ).toBe(1);
    const paid = (await t.ok(admin, 'invoice-list', { siteId })).find((i) => i.id === first?.id);
    expect(paid).toMatchObject({ status: 'paid', paidReference: 'BPAY 1' });
    const one = await t.ok(admin, 'invoice-mark-paid', {
      id: second?.id ?? 0,
      paidOn: '2026-04-04',
      reference: 'cheque 12',
    });
    expect(one.status).toBe('paid');
    expectSummariesOfRows(o, [lot5.id, lot7.id]);
  });
});
