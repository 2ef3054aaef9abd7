// The residents CSV export (streamed download) and the import template: one row per resident's
// card, resident without a card, card without a resident and empty account, dates in the site's
// zone; a site administrator of another site is refused; the template and an exported file
// (with its extra columns) pass the import's check.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { aSite, loginAs, setupAdmin } from '../../support/factories';
import { download } from '../../support/download';

const parse = (body: Buffer) =>
  Papa.parse<Record<string, string>>(body.toString('utf8').replace(/^\ufeff/, ''), {
    header: true,
    skipEmptyLines: true,
  }).data;

describe('residents CSV export', () => {
  it('exports every account, resident and card of the site, for its managers only', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const ann = await t.ok(admin, 'account-create', {
      siteId: site.id,
      lotNumber: '2',
      ownerNames: 'Ann Owner',
      invoiceEmails: ['ann@example.com', 'accounts@example.com'],
      bpayReference: '1234567',
    });
    const annR = await t.ok(admin, 'resident-create', {
      accountId: ann.id,
      firstName: 'Ann',
      lastName: 'Owner',
      email: 'ann@example.com',
    });
    await t.ok(admin, 'resident-create', {
      accountId: ann.id,
      firstName: 'Kid',
      lastName: 'Owner',
    });
    await t.ok(admin, 'card-issue', {
      siteId: site.id,
      accountId: ann.id,
      number: '04:a2:3b:1c',
      label: 'Ann’s card',
      residentId: annR.id,
    });
    const spare = await t.ok(admin, 'card-issue', {
      siteId: site.id,
      accountId: ann.id,
      number: 'DEADBEEF',
      label: 'Spare',
    });
    await t.ok(admin, 'card-block', { id: spare.id });
    await t.ok(admin, 'account-create', { siteId: site.id, lotNumber: '10', ownerNames: '=cmd()' });

    const { fileName, body } = await download(t, admin, { kind: 'residents-csv', siteId: site.id });
    expect(fileName).toMatch(/^residents-\d{8}\.csv$/);
    const rows = parse(body);
    expect(
      rows.map((r) => [r.lot_number, r.first_name, r.card_number, r.card_id_tag, r.card_status]),
    ).toEqual([
      ['2', '', 'DEADBEEF', 'DEADBEEF', 'blocked'],
      ['2', 'Ann', '04:a2:3b:1c', '04A23B1C', 'active'],
      ['2', 'Kid', '', '', ''],
      ['10', '', '', '', ''],
    ]);
    expect(rows[1]).toMatchObject({
      owner_names: 'Ann Owner',
      invoice_emails: 'ann@example.com; accounts@example.com',
      bpay_reference: '1234567',
      card_label: 'Ann’s card',
      account_opened: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      account_closed: '',
    });
    // A spreadsheet must not run a name as a formula.
    expect(rows[3]?.owner_names).toBe("'=cmd()");

    // The export is accepted by the import's check (its extra columns are ignored): every card
    // is named as already issued, nothing else is wrong.
    const check = await t.ok(admin, 'residents-import', {
      siteId: site.id,
      csv: body.toString('utf8'),
      mode: 'preview',
    });
    expect(check.problems.map((p) => p.reason)).toEqual([
      'Card DEADBEEF is already issued',
      'Card 04A23B1C is already issued',
    ]);

    // Another site's administrator may not have it.
    const other = await t.ok(admin, 'site-create', aSite());
    const { conn } = await loginAs(t, admin, 'site_admin', [other.id]);
    const refused = await t.fail(conn, 'download-ticket-create', {
      kind: 'residents-csv',
      siteId: site.id,
    });
    expect(refused.code).toBe('forbidden');
    const { conn: support } = await loginAs(t, admin, 'support');
    expect(
      (await t.fail(support, 'download-ticket-create', { kind: 'residents-template' })).code,
    ).toBe('forbidden');
    // An EV user is refused in words that say who may (a site administrator may, too).
    const { conn: evUser } = await loginAs(t, admin, 'ev_user', [site.id]);
    const ev = await t.fail(evUser, 'download-ticket-create', {
      kind: 'residents-csv',
      siteId: site.id,
    });
    expect(ev).toMatchObject({
      code: 'forbidden',
      message: 'Only administrators and site administrators may download residents and cards.',
    });
    // ... while a site administrator of this site gets the file.
    const { conn: own } = await loginAs(t, admin, 'site_admin', [site.id]);
    const mine = await download(t, own, { kind: 'residents-csv', siteId: site.id });
    expect(parse(mine.body)).toHaveLength(4);
  });

  it('serves the import template, which imports cleanly', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const { fileName, body } = await download(t, admin, { kind: 'residents-template' });
    expect(fileName).toBe('residents-template.csv');
    const r = await t.ok(admin, 'residents-import', {
      siteId: site.id,
      csv: body.toString('utf8'),
      mode: 'all',
    });
    expect(r).toMatchObject({ problems: [], written: { accounts: 1, residents: 1, cards: 1 } });
  });

  it('imports its own export unchanged: the apostrophe that disarms a formula is taken off', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const acc = await t.ok(admin, 'account-create', {
      siteId: site.id,
      lotNumber: '7',
      ownerNames: '=HYPERLINK("http://example.com","x")',
    });
    const sam = await t.ok(admin, 'resident-create', {
      accountId: acc.id,
      firstName: '@Sam',
      lastName: "O'Neil",
      phone: '+61 400 000 000',
    });
    await t.ok(admin, 'card-issue', {
      siteId: site.id,
      accountId: acc.id,
      number: 'AB12',
      label: '-spare-',
      residentId: sam.id,
    });
    const { body } = await download(t, admin, { kind: 'residents-csv', siteId: site.id });
    expect(parse(body)[0]).toMatchObject({ phone: "'+61 400 000 000" });

    // The same file imported into another building (a manager moving the list over).
    const other = await t.ok(admin, 'site-create', aSite());
    const r = await t.ok(admin, 'residents-import', {
      siteId: other.id,
      csv: body.toString('utf8'),
      mode: 'all',
    });
    expect(r.problems).toEqual([]);
    const [moved] = await t.ok(admin, 'account-list', { siteId: other.id });
    const got = await t.ok(admin, 'account-get', { id: moved?.id ?? 0 });
    expect(got.account.ownerNames).toBe('=HYPERLINK("http://example.com","x")');
    expect(got.residents[0]).toMatchObject({
      firstName: '@Sam',
      lastName: "O'Neil",
      phone: '+61 400 000 000',
    });
    expect(got.cards[0]?.label).toBe('-spare-');
  });
});
