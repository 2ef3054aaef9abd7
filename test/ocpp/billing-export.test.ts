// Accounting exports of an issued run over sessions from a simulated charger: the StrataMax and
// PropertyIQ files parse back with papaparse, their rows add up to the run's totals to the cent,
// the columns and date formats follow the profile; an edited profile (delimiter, date format,
// one row per line) is applied; a bad profile is refused naming the field; the meter readings
// export carries each lot's opening and closing readings.
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { ocppCore, type OcppTest } from './helpers';
import { settingsInput } from '../support/billing';
import { download } from '../support/download';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/factories';
import type { MethodInput } from '../../src-shared/api/contract';
import { DEFAULT_PROFILES, type ExportProfile } from '../../src-shared/billing/export-profile';
import { invoices } from '../../src-main/db/schema';
import { eq } from 'drizzle-orm';

const MIN = 60_000;
// Sydney is UTC+11 in March 2026.
const sydney = (d: number, h: number, m: number) => Date.UTC(2026, 2, d, h - 11, m);

const tariff: MethodInput<'tariff-create'>['tariff'] = {
  name: 'Residents',
  pricesIncludeGst: true,
  components: [
    { kind: 'perKwh', millicentsPerKwh: 33_333 },
    { kind: 'monthlyFee', cents: 1_111, per: 'account' },
  ],
};

async function issuedRun(owners: Record<string, string> = {}) {
  const o = await ocppCore();
  const { t, admin, siteId } = o;
  await t.ok(admin, 'billing-settings-update', settingsInput(siteId));
  const created = await t.ok(admin, 'tariff-create', {
    siteId,
    effectiveFrom: '2026-01-01',
    tariff,
  });
  await t.ok(admin, 'tariff-assign', {
    siteId,
    target: 'site',
    targetId: siteId,
    tariffId: created.id,
  });
  const lots = [];
  for (const [lot, unit, code] of [
    ['5', '502', 'EV005'],
    ['7', '701', 'EV007'],
    ['12', null, null],
  ] as const) {
    const acc = await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: lot,
      ...(unit ? { unitNumber: unit } : {}),
      ownerNames: owners[lot] ?? `Owner of lot ${lot}`,
      invoiceEmails: [`lot${lot}@example.com`],
      ...(code ? { accountCode: code } : {}),
      openedAt: Date.UTC(2025, 0, 1),
    });
    await t.ok(admin, 'card-issue', {
      siteId,
      accountId: acc.id,
      number: `AA0000${lot.padStart(2, '0')}`,
    });
    lots.push(acc);
  }
  const { identity } = await o.station({ name: 'B1 charger 3' });
  const sim = o.sim(identity);
  t.clock.set(sydney(3, 18, 0));
  await sim.start();
  // Odd energies so the per-line GST shares and the cents do not come out round.
  const plan: [string, number[]][] = [
    ['AA000005', [217, 389, 41]],
    ['AA000007', [503]],
    ['AA000005', [77, 13]],
    ['AA000012', [311, 299]],
  ];
  for (const [tag, seconds] of plan) {
    const tx = await sim.startTransaction(1, tag);
    expect(tx.transactionId).toBeGreaterThan(0);
    for (const s of seconds) {
      t.clock.set(t.clock.now() + 9 * MIN);
      sim.advanceMeter(1, s);
      await sim.meterValues(1);
    }
    await sim.stopTransaction(1);
    t.clock.set(t.clock.now() + 47 * MIN);
  }
  await sim.goOffline();
  t.clock.set(sydney(31, 12, 0) + 24 * 3600_000);
  await t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const run = await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
  expect(run.invoices).toBe(3);
  return { o, run, lots };
}

const parse = (body: Buffer, delimiter = ',') => {
  const parsed = Papa.parse<Record<string, string>>(body.toString('utf8'), {
    header: true,
    delimiter,
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return parsed;
};
const cents = (s: string | undefined) => {
  const m = /^(-?)(\d+)\.(\d\d)$/.exec(s ?? '');
  if (!m) throw new Error(`not dollars: ${s}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
};
const sum = (rows: Record<string, string>[], col: string) =>
  rows.reduce((s, r) => s + cents(r[col]), 0);

/** Saves the site's generic profile edited by `edit`. */
async function saveGeneric(o: OcppTest, edit: (p: ExportProfile) => ExportProfile) {
  const base = DEFAULT_PROFILES.generic;
  if (!base) throw new Error('no generic profile');
  await o.t.ok(o.admin, 'accounting-export-profile-save', {
    siteId: o.siteId,
    key: 'generic',
    profile: edit(base),
  });
}

async function exportFile(o: OcppTest, runId: number, key: string) {
  return download(o.t, o.admin, { kind: 'billing-export', siteId: o.siteId, runId, key });
}

describe('accounting exports of an issued run', () => {
  it('writes StrataMax and PropertyIQ files whose rows add up to the run to the cent', async () => {
    const { o, run } = await issuedRun();
    const { t, admin, siteId } = o;
    const list = await t.ok(admin, 'invoice-list', { siteId, runId: run.id });

    // The check the export screen shows before the file is saved.
    const check = await t.ok(admin, 'accounting-export-check', {
      siteId,
      runId: run.id,
      key: 'stratamax',
    });
    expect(check.ok).toBe(true);
    expect(check.rows).toBe(3);
    expect(check.runTotals).toMatchObject(run.totals);
    const money = (c: number) =>
      `$${(c / 100).toLocaleString('en-AU', { minimumFractionDigits: 2 })}`;
    expect(check.message).toContain(
      `Rows total ${money(run.totals.incGstCents)} = run total ${money(run.totals.incGstCents)} ✓`,
    );

    const sm = await exportFile(o, run.id, 'stratamax');
    expect(sm.fileName).toBe('stratamax-2026-03-01-to-2026-03-31.csv');
    const smRows = parse(sm.body);
    expect(smRows.meta.fields).toEqual(DEFAULT_PROFILES.stratamax?.columns.map((c) => c.header));
    expect(smRows.data.length).toBe(3);
    expect(sum(smRows.data, 'Amount Ex GST')).toBe(run.totals.exGstCents);
    expect(sum(smRows.data, 'GST')).toBe(run.totals.gstCents);
    expect(sum(smRows.data, 'Amount Inc GST')).toBe(run.totals.incGstCents);
    // Each row is its invoice, as issued; dates in dd/MM/yyyy.
    for (const inv of list) {
      const row = smRows.data.find((r) => r.Reference === inv.number);
      expect(row?.['Amount Inc GST']).toBe((inv.totals.incGstCents / 100).toFixed(2));
      expect(row?.['Transaction Date']).toBe('01/04/2026');
      expect(row?.['Due Date']).toBe('15/04/2026');
      expect(row?.['Period Start']).toBe('01/03/2026');
      expect(row?.['GST Flag']).toBe('Y');
      expect(row?.['Invoice Code']).toBe('EVCHG');
    }
    expect(smRows.data.find((r) => r['Lot No'] === '5')).toMatchObject({
      'Unit No': '502',
      'Account Code': 'EV005',
      'Building No': 'SP 12345',
    });
    expect(smRows.data.every((r) => (r.Details ?? '').length <= 20)).toBe(true);

    const piq = parse((await exportFile(o, run.id, 'propertyiq')).body);
    expect(piq.meta.fields).toEqual(DEFAULT_PROFILES.propertyiq?.columns.map((c) => c.header));
    expect(sum(piq.data, 'Amount Ex GST')).toBe(run.totals.exGstCents);
    expect(sum(piq.data, 'GST')).toBe(run.totals.gstCents);
    expect(sum(piq.data, 'Amount Inc GST')).toBe(run.totals.incGstCents);
    expect(piq.data.find((r) => r['Lot Number'] === '7')).toMatchObject({
      'Owner Email': 'lot7@example.com',
      'Invoice Type': 'Debtor',
      'Invoice Date': '01/04/2026',
    });

    // A void and re-issue stay in the run: the credit note nets out and the export still adds up.
    const five = list.find((i) => i.accountId !== undefined && i.number === 'EV-00001');
    await t.ok(admin, 'invoice-void', { id: five?.id ?? 0, reason: 'Wrong owner' });
    await t.ok(admin, 'invoice-reissue', { id: five?.id ?? 0 });
    const after = await t.ok(admin, 'invoice-run-list', { siteId });
    const again = parse((await exportFile(o, run.id, 'stratamax')).body);
    expect(again.data.length).toBe(5);
    expect(sum(again.data, 'Amount Inc GST')).toBe(after[0]?.totals.incGstCents);
  });

  it('applies an edited profile: semicolons, ISO dates, one row per line, cents', async () => {
    const { o, run } = await issuedRun();
    const { t, admin, siteId } = o;
    await saveGeneric(o, (base) => ({
      ...base,
      name: 'Our ledger',
      delimiter: ';',
      dateFormat: 'yyyy-MM-dd',
      columns: [
        ...base.columns.filter((c) => c.source !== 'amountIncGst'),
        { header: 'Inc GST cents', source: 'amountIncGst', money: 'cents' },
      ],
    }));
    const listed = await t.ok(admin, 'accounting-export-profile-list', { siteId });
    expect(listed.find((p) => p.key === 'generic')).toMatchObject({
      saved: true,
      profile: { name: 'Our ledger' },
    });
    const file = await exportFile(o, run.id, 'generic');
    expect(file.body.toString('utf8').split('\r\n')[0]).toContain('Invoice;Type;Invoice date');
    const rows = parse(file.body, ';');
    // 7 sessions... per line: each session and each monthly fee is a row.
    const docs = t.core.db.select().from(invoices).where(eq(invoices.runId, run.id)).all();
    const lines = docs.reduce((n, d) => {
      const doc = JSON.parse(d.document) as { sessions: unknown[]; fees: unknown[] };
      return n + doc.sessions.length + doc.fees.length;
    }, 0);
    expect(rows.data.length).toBe(lines);
    expect(rows.data.length).toBeGreaterThan(3);
    expect(sum(rows.data, 'Ex GST')).toBe(run.totals.exGstCents);
    expect(sum(rows.data, 'GST')).toBe(run.totals.gstCents);
    expect(rows.data.reduce((s, r) => s + Number(r['Inc GST cents']), 0)).toBe(
      run.totals.incGstCents,
    );
    // Per invoice too: the lines' GST adds up to each invoice's GST.
    for (const d of docs) {
      const mine = rows.data.filter((r) => r.Invoice === d.number);
      expect(sum(mine, 'GST')).toBe(d.gstCents);
    }
    expect(rows.data.every((r) => r['Invoice date'] === '2026-04-01')).toBe(true);
    expect(
      rows.data
        .filter((r) => r['Session date'])
        .every((r) => /^2026-03-03$/.test(r['Session date'] ?? '')),
    ).toBe(true);
    const audit = await t.ok(admin, 'audit-list', { method: 'accounting-export-profile-save' });
    expect(audit.entries.length).toBe(1);
  });

  it('refuses a bad profile naming the field, and keeps the saved one', async () => {
    const { o } = await issuedRun();
    const { t, admin, siteId } = o;
    const base = DEFAULT_PROFILES.propertyiq;
    if (!base) throw new Error('no profile');
    const bad = await t.fail(admin, 'accounting-export-profile-save', {
      siteId,
      key: 'propertyiq',
      profile: {
        ...base,
        columns: [
          { header: 'Lot', source: 'lotNo' },
          { header: '  ', source: 'lotNumber' },
        ],
      },
    });
    expect(bad.code).toBe('validation');
    expect(bad.fields).toEqual([
      {
        field: 'profile.columns.0.source',
        message: 'Column 1 "Lot": "lotNo" is not a field we can export; choose one from the list.',
      },
      {
        field: 'profile.columns.1.header',
        message: 'Column 2 has no header; every column needs one.',
      },
    ]);
    const listed = await t.ok(admin, 'accounting-export-profile-list', { siteId });
    expect(listed.find((p) => p.key === 'propertyiq')).toMatchObject({
      saved: false,
      profile: base,
    });
  });

  it('exports each lot’s opening and closing readings for the period', async () => {
    const { o, run } = await issuedRun();
    const { t, admin, siteId } = o;
    const check = await t.ok(admin, 'accounting-export-check', {
      siteId,
      runId: run.id,
      key: 'meter-readings',
    });
    expect(check).toMatchObject({ ok: true, rows: 3, measure: 'energy' });
    const rows = parse((await exportFile(o, run.id, 'meter-readings')).body).data;
    const docs = t.core.db.select().from(invoices).where(eq(invoices.runId, run.id)).all();
    for (const d of docs) {
      const doc = JSON.parse(d.document) as {
        buyer: { lotNumber: string };
        sessions: { meterStartWh: number; meterStopWh: number; wh: number }[];
      };
      const row = rows.find((r) => r.Lot === doc.buyer.lotNumber);
      const first = doc.sessions[0];
      const last = doc.sessions.at(-1);
      expect(row).toMatchObject({
        'Opening Read Date': '01/03/2026',
        'Closing Read Date': '31/03/2026',
        'Opening Reading': ((first?.meterStartWh ?? 0) / 1000).toFixed(3),
        'Closing Reading': ((last?.meterStopWh ?? 0) / 1000).toFixed(3),
        Estimated: 'N',
      });
      expect(Number(row?.['Consumption kWh'])).toBeCloseTo(
        doc.sessions.reduce((s, l) => s + l.wh, 0) / 1000,
        3,
      );
    }
  });

  it('blocks the export in words when the rows would not add up to the run', async () => {
    const { o, run } = await issuedRun();
    const { t, admin, siteId } = o;
    // A stored invoice amount that disagrees with its document (a damaged database).
    const first = t.core.db.select().from(invoices).where(eq(invoices.runId, run.id)).get();
    t.core.db
      .update(invoices)
      .set({ gstCents: (first?.gstCents ?? 0) + 1, incGstCents: (first?.incGstCents ?? 0) + 1 })
      .where(eq(invoices.id, first?.id ?? 0))
      .run();
    const check = await t.ok(admin, 'accounting-export-check', {
      siteId,
      runId: run.id,
      key: 'propertyiq',
    });
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(
      /^The rows add up to \$[\d,]+\.\d\d inc GST .* but the run's invoices total \$[\d,]+\.\d\d .*The file was not saved/,
    );
    const refused = await t.fail(admin, 'download-ticket-create', {
      kind: 'billing-export',
      siteId,
      runId: run.id,
      key: 'propertyiq',
    });
    expect(refused).toMatchObject({ code: 'conflict', message: check.message });
  });

  it('checks again whenever what the check reads has changed: the profile, a void, a stored amount', async () => {
    const { o, run } = await issuedRun();
    const { t, admin, siteId } = o;
    const check = (key: string) =>
      t.ok(admin, 'accounting-export-check', { siteId, runId: run.id, key });
    // One row per line: 4 sessions and 3 monthly fees.
    expect(await check('generic')).toMatchObject({ ok: true, rows: 7 });
    await saveGeneric(o, (base) => ({ ...base, rowPer: 'invoice' }));
    expect(await check('generic')).toMatchObject({ ok: true, rows: 3 });

    expect(await check('meter-readings')).toMatchObject({ ok: true, rows: 3 });
    const [first] = await t.ok(admin, 'invoice-list', { siteId });
    await t.ok(admin, 'invoice-void', { id: first?.id ?? 0, reason: 'Wrong owner' });
    // The voided invoice's readings leave the file until it is re-issued.
    expect(await check('meter-readings')).toMatchObject({ ok: true, rows: 2 });
    expect((await check('generic')).ok).toBe(true);

    // A stored amount that no longer matches its document (a damaged database) after a good check.
    expect((await check('propertyiq')).ok).toBe(true);
    const row = t.core.db.select().from(invoices).where(eq(invoices.runId, run.id)).get();
    t.core.db
      .update(invoices)
      .set({ incGstCents: (row?.incGstCents ?? 0) + 1 })
      .where(eq(invoices.id, row?.id ?? 0))
      .run();
    expect((await check('propertyiq')).ok).toBe(false);
    const refused = await t.fail(admin, 'download-ticket-create', {
      kind: 'billing-export',
      siteId,
      runId: run.id,
      key: 'propertyiq',
    });
    expect(refused.code).toBe('conflict');
  });

  it('escapes text a spreadsheet would run as a formula; amounts, credits included, stay numbers', async () => {
    const evil = '=HYPERLINK("http://evil.example/pay","Pay here")';
    const { o, run } = await issuedRun({ '7': evil, '12': '@Lot twelve' });
    const { t, admin, siteId } = o;
    await saveGeneric(o, (base) => ({
      ...base,
      columns: [...base.columns, { header: 'Code', source: 'fixed', value: '+EV' }],
    }));
    // A credit note makes negative amounts and energies: "-5.15" must stay a number.
    const [first] = await t.ok(admin, 'invoice-list', { siteId, runId: run.id });
    await t.ok(admin, 'invoice-void', { id: first?.id ?? 0, reason: 'Wrong owner' });
    const [after] = await t.ok(admin, 'invoice-run-list', { siteId });

    const sm = await exportFile(o, run.id, 'stratamax');
    const raw = sm.body.toString('utf8');
    expect(raw).toContain(`"'=HYPERLINK(""http://evil.example/pay"",""Pay here"")"`);
    expect(raw).not.toMatch(/(^|,)=HYPERLINK/m);
    const smRows = parse(sm.body).data;
    expect(smRows.find((r) => r['Lot No'] === '7')?.['Owner Name']).toBe(`'${evil}`);
    expect(smRows.find((r) => r['Lot No'] === '12')?.['Owner Name']).toBe(`'@Lot twelve`);
    const credit = smRows.find((r) => Number(r['Amount Inc GST']) < 0);
    expect(credit?.['Amount Inc GST']).toMatch(/^-\d+\.\d\d$/);
    expect(sum(smRows, 'Amount Inc GST')).toBe(after?.totals.incGstCents);

    const lines = parse((await exportFile(o, run.id, 'generic')).body).data;
    expect(lines.filter((r) => r.Owner === `'${evil}`).length).toBeGreaterThan(0);
    expect(lines.every((r) => r.Code === "'+EV")).toBe(true);
    expect(lines.some((r) => /^-\d+\.\d{3}$/.test(r.kWh ?? ''))).toBe(true);
    expect(sum(lines, 'Ex GST')).toBe(after?.totals.exGstCents);
    expect(sum(lines, 'GST')).toBe(after?.totals.gstCents);
  });

  it('resets an edited profile to the shipped default, and removes a site’s own', async () => {
    const { o, run } = await issuedRun();
    const { t, admin, siteId } = o;
    await saveGeneric(o, (base) => ({ ...base, name: 'Our ledger', delimiter: ';' }));
    await t.ok(admin, 'accounting-export-profile-save', {
      siteId,
      key: 'our-ledger',
      profile: { ...(DEFAULT_PROFILES.stratamax as ExportProfile), name: 'Our own' },
    });
    const reset = await t.ok(admin, 'accounting-export-profile-reset', { siteId, key: 'generic' });
    expect(reset.profile).toEqual(DEFAULT_PROFILES.generic);
    const removed = await t.ok(admin, 'accounting-export-profile-reset', {
      siteId,
      key: 'our-ledger',
    });
    expect(removed.profile).toBeNull();
    const listed = await t.ok(admin, 'accounting-export-profile-list', { siteId });
    expect(listed.find((p) => p.key === 'generic')).toMatchObject({
      saved: false,
      profile: DEFAULT_PROFILES.generic,
    });
    expect(listed.some((p) => p.key === 'our-ledger')).toBe(false);
    // The file follows the default again (commas).
    const file = await exportFile(o, run.id, 'generic');
    expect(file.body.toString('utf8').split('\r\n')[0]).toContain('Invoice,Type,Invoice date');
    const audit = await t.ok(admin, 'audit-list', { method: 'accounting-export-profile-reset' });
    expect(audit.entries.length).toBe(2);
    expect(
      (await t.fail(admin, 'accounting-export-profile-reset', { siteId, key: 'our-ledger' })).code,
    ).toBe('not-found');
  });

  it('keeps other sites and unknown runs out', async () => {
    const { o, run } = await issuedRun();
    const { t, admin, siteId } = o;
    expect(
      (
        await t.fail(admin, 'accounting-export-check', {
          siteId,
          runId: run.id + 99,
          key: 'stratamax',
        })
      ).code,
    ).toBe('not-found');
    expect(
      (await t.fail(admin, 'accounting-export-check', { siteId, runId: run.id, key: 'nope' })).code,
    ).toBe('not-found');
  });
});
