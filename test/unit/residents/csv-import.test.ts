// The residents CSV import: every problem by row, column and reason, nothing written until the
// file is clean (or only the good rows when asked), and then all in one go.
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { setupAdmin } from '../../support/factories';

const HEADER =
  'lot_number,unit_number,owner_names,invoice_emails,first_name,last_name,email,card_number,card_label';

describe('residents CSV import', () => {
  it('rejects a file with one bad row, naming its row and reason, and writes nothing', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const csv = [
      HEADER,
      '1,101,Ann Owner,ann@example.com,Ann,Owner,ann@example.com,04A23B1C,Ann',
      '2,102,Bob Owner,bob@example,Bob,Owner,,11223344,Bob', // bad invoice email: row 3
      '3,103,Cat Owner,,Cat,Owner,,04:a2:3b:1c,', // the same card as row 2: row 4
      '9,,,,Dan,Nobody,,,', // no account and no owner: row 5
    ].join('\n');
    const r = await t.ok(admin, 'residents-import', { siteId: site.id, csv, mode: 'all' });
    expect(r.written).toBeNull();
    expect(r.problems).toEqual([
      { row: 3, column: 'invoice_emails', reason: '“bob@example” is not an email address' },
      { row: 4, column: 'card_number', reason: 'Duplicate card 04A23B1C (also on row 2)' },
      {
        row: 5,
        column: 'lot_number',
        reason: 'Unknown lot 9: it has no open account, and no owner_names to open one',
      },
    ]);
    expect(await t.ok(admin, 'account-list', { siteId: site.id })).toEqual([]);

    // Only the good rows, when the manager chooses so: in one transaction.
    const good = await t.ok(admin, 'residents-import', { siteId: site.id, csv, mode: 'good-rows' });
    expect(good.written).toEqual({ accounts: 1, residents: 1, cards: 1 });
    const accounts = await t.ok(admin, 'account-list', { siteId: site.id });
    expect(accounts.map((a) => [a.lotNumber, a.ownerNames, a.residents, a.cards])).toEqual([
      ['1', 'Ann Owner', 1, 1],
    ]);

    // A card already on another account is named as such.
    const again = await t.ok(admin, 'residents-import', {
      siteId: site.id,
      csv: `${HEADER}\n2,102,Bob Owner,bob@example.com,Bob,Owner,,04-A2-3B-1C,Bob`,
      mode: 'preview',
    });
    expect(again.problems).toEqual([
      {
        row: 2,
        column: 'card_number',
        reason: 'Card 04A23B1C is already on another account (lot 1)',
      },
    ]);
  });

  it('imports a clean file, grouping rows of one lot into one account', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const { csv: template } = await t.ok(admin, 'residents-import-template', {});
    const lines = template.trim().split(/\r?\n/);
    const csv = [
      lines[0],
      lines[1],
      '5,12,,,,,,,Jim,Citizen,jim@example.com,,0x11223344,Jim’s card',
    ].join('\n');
    const preview = await t.ok(admin, 'residents-import', {
      siteId: site.id,
      csv,
      mode: 'preview',
    });
    expect(preview).toMatchObject({ rows: 2, problems: [], written: null });
    const r = await t.ok(admin, 'residents-import', { siteId: site.id, csv, mode: 'all' });
    expect(r.written).toEqual({ accounts: 1, residents: 2, cards: 2 });
    const [account] = await t.ok(admin, 'account-list', { siteId: site.id });
    const detail = await t.ok(admin, 'account-get', { id: account?.id ?? 0 });
    expect(detail.residents.map((x) => x.firstName).sort()).toEqual(['Jane', 'Jim']);
    expect(detail.cards.map((c) => c.idTag).sort()).toEqual(['04A23B1C', '11223344']);
    expect(detail.account.invoiceEmails).toEqual(['jane@example.com']);
  });

  it('names a row for a lot whose new owner’s account opens later, and writes nothing', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    // Lot 7 is bought off the plan: its owner's account opens at settlement, in 30 days.
    await t.ok(admin, 'account-create', {
      siteId: site.id,
      lotNumber: '7',
      ownerNames: 'New Owner',
      openedAt: t.clock.now() + 30 * 24 * 3600_000,
    });
    const csv = `${HEADER}\n7,,,,Ann,Buyer,,,`;
    const r = await t.ok(admin, 'residents-import', { siteId: site.id, csv, mode: 'all' });
    expect(r.written).toBeNull();
    expect(r.problems).toEqual([expect.objectContaining({ row: 2, column: 'lot_number' })]);
    expect(r.problems[0]?.reason).toMatch(/opens on \d{1,2}\/\d{2}\/\d{4}/);
  });
});
