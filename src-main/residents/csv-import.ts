// CSV import of accounts, residents and cards: one row per resident and/or card, grouped by lot.
// Every row is checked before anything is written; the preview lists each problem by row
// number (as a spreadsheet shows it: the header is row 1), column and reason. Writing happens
// only when the file is clean, or when the user chose to import just the good rows, and then in
// one transaction.
import { DateTime } from 'luxon';
import Papa from 'papaparse';
import { emailSchema } from '../../src-shared/validation';
import { normaliseCardNumber } from '../../src-shared/card-number';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/open';
import {
  accounts as accountsTable,
  cards as cardsTable,
  residents as residentsTable,
  sites,
  unknownCards,
} from '../db/schema';
import type { DomainEvents } from '../platform/domain-events';
import { parseCsvRecords } from '../platform/csv-records';
import type { Accounts } from './accounts';
import type { Cards } from './cards';

export const IMPORT_COLUMNS = [
  'lot_number',
  'unit_number',
  'owner_names',
  'invoice_emails',
  'account_code',
  'bpay_reference',
  'deft_reference',
  'stratapay_reference',
  'first_name',
  'last_name',
  'email',
  'phone',
  'card_number',
  'card_label',
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
/** Written by the export (export-csv.ts) after the import's columns; the import ignores them, so
 *  an exported file can be edited and imported again. */
export const EXPORT_ONLY_COLUMNS = [
  'account_opened',
  'account_closed',
  'card_id_tag',
  'card_status',
  'card_expires',
] as const;
type Row = Record<Column, string>;

export interface ImportProblem {
  row: number;
  column: Column | null;
  reason: string;
}

export interface ImportOutcome {
  rows: number;
  problems: ImportProblem[];
  written: { accounts: number; residents: number; cards: number } | null;
}

export function importTemplate(): string {
  return `${Papa.unparse({
    fields: [...IMPORT_COLUMNS],
    data: [
      [
        '5',
        '12',
        'Jane Citizen',
        'jane@example.com',
        '00500',
        '1234567',
        '',
        '',
        'Jane',
        'Citizen',
        'jane@example.com',
        '0400 000 000',
        '04:A2:3B:1C',
        'Jane’s card',
      ],
    ],
  })}\r\n`;
}

const MAX = { lot: 20, name: 200, ref: 40, label: 120 } as const;
const isEmail = (v: string) => emailSchema.safeParse(v).success;

export function createCsvImport(db: Db, events: DomainEvents, accounts: Accounts, cards: Cards) {
  // The write runs 10,000 rows in well under a second with statements prepared once (the
  // domain's one-row methods build a query per call: ~30× slower at this size).
  const insertAccount = db
    .insert(accountsTable)
    .values({
      siteId: sql.placeholder('siteId'),
      lotNumber: sql.placeholder('lotNumber'),
      unitNumber: sql.placeholder('unitNumber'),
      ownerNames: sql.placeholder('ownerNames'),
      invoiceEmails: sql.placeholder('invoiceEmails'),
      accountCode: sql.placeholder('accountCode'),
      bpayReference: sql.placeholder('bpayReference'),
      deftReference: sql.placeholder('deftReference'),
      strataPayReference: sql.placeholder('strataPayReference'),
      openedAt: sql.placeholder('now'),
      createdAt: sql.placeholder('now'),
      updatedAt: sql.placeholder('now'),
    })
    .returning({ id: accountsTable.id })
    .prepare();
  const insertResident = db
    .insert(residentsTable)
    .values({
      accountId: sql.placeholder('accountId'),
      firstName: sql.placeholder('firstName'),
      lastName: sql.placeholder('lastName'),
      email: sql.placeholder('email'),
      phone: sql.placeholder('phone'),
      createdAt: sql.placeholder('now'),
      updatedAt: sql.placeholder('now'),
    })
    .returning({ id: residentsTable.id })
    .prepare();
  const insertCard = db
    .insert(cardsTable)
    .values({
      siteId: sql.placeholder('siteId'),
      idTag: sql.placeholder('idTag'),
      printed: sql.placeholder('printed'),
      label: sql.placeholder('label'),
      accountId: sql.placeholder('accountId'),
      residentId: sql.placeholder('residentId'),
      status: 'active',
      createdAt: sql.placeholder('now'),
      updatedAt: sql.placeholder('now'),
    })
    .returning({ id: cardsTable.id })
    .prepare();

  function run(
    siteId: number,
    csv: string,
    mode: 'preview' | 'all' | 'good-rows',
    now: number,
  ): ImportOutcome {
    const { fields: headers, records } = parseCsvRecords(csv, (h) =>
      h.trim().toLowerCase().replace(/\s+/g, '_'),
    );
    const problems: ImportProblem[] = [];
    const missing = (['lot_number'] as const).filter((c) => !headers.includes(c));
    for (const c of missing) {
      problems.push({
        row: 1,
        column: c,
        reason: `The header has no ${c} column (download the template)`,
      });
    }
    const known: readonly string[] = [...IMPORT_COLUMNS, ...EXPORT_ONLY_COLUMNS];
    const unknown = headers.filter((h) => !known.includes(h));
    for (const h of unknown) {
      problems.push({
        row: 1,
        column: null,
        reason: `Unknown column “${h}” (download the template)`,
      });
    }
    if (problems.length > 0) return { rows: records.length, problems, written: null };

    // The site's lots and cards, read once (not per row).
    const openLot = new Map<string, number>();
    const laterLot = new Map<string, number>();
    const lotOfAccount = new Map<number, string>();
    for (const a of accounts.list(siteId, {}, now)) {
      lotOfAccount.set(a.id, a.lotNumber);
      if (accounts.isOpen(a, now)) openLot.set(a.lotNumber, a.id);
      else if (a.openedAt > now) laterLot.set(a.lotNumber, a.openedAt);
    }
    const issued = new Map(cards.list({ siteId }, now).map((c) => [c.idTag, c.accountId]));

    const zone =
      db.select({ zone: sites.timeZone }).from(sites).where(eq(sites.id, siteId)).get()?.zone ??
      'UTC';
    const dayOf = (t: number) =>
      DateTime.fromMillis(t, { zone }).setLocale('en-AU').toLocaleString(DateTime.DATE_SHORT);
    const form = cards.formOf(siteId);
    const rows: { n: number; r: Row; idTag: string | null }[] = [];
    const seenTags = new Map<string, number>();
    const lotOwner = new Map<string, string>();
    const bad = new Set<number>();
    const add = (n: number, column: Column | null, reason: string) => {
      problems.push({ row: n, column, reason });
      bad.add(n);
    };
    records.forEach(({ row: n, values: raw, errors }) => {
      const r = Object.fromEntries(
        IMPORT_COLUMNS.map((c) => [c, unescapeFormula((raw[c] ?? '').trim())]),
      ) as Row;
      for (const message of errors) add(n, null, message);
      if (!r.lot_number) add(n, 'lot_number', 'Enter the lot number');
      else if (r.lot_number.length > MAX.lot) add(n, 'lot_number', `At most ${MAX.lot} characters`);
      for (const c of ['owner_names', 'first_name', 'last_name'] as const) {
        if (r[c].length > MAX.name) add(n, c, `At most ${MAX.name} characters`);
      }
      for (const c of [
        'account_code',
        'bpay_reference',
        'deft_reference',
        'stratapay_reference',
        'unit_number',
        'phone',
      ] as const) {
        if (r[c].length > MAX.ref) add(n, c, `At most ${MAX.ref} characters`);
      }
      if (r.card_label.length > MAX.label) add(n, 'card_label', `At most ${MAX.label} characters`);
      for (const e of emailsOf(r.invoice_emails)) {
        if (!isEmail(e)) add(n, 'invoice_emails', `“${e}” is not an email address`);
      }
      if (r.email && !isEmail(r.email)) add(n, 'email', `“${r.email}” is not an email address`);
      if ((r.first_name === '') !== (r.last_name === '')) {
        add(
          n,
          r.first_name ? 'last_name' : 'first_name',
          'A resident needs a first and a last name',
        );
      }
      if (r.lot_number && !openLot.has(r.lot_number)) {
        const opens = laterLot.get(r.lot_number);
        if (opens !== undefined) {
          add(
            n,
            'lot_number',
            `Lot ${r.lot_number}'s new owner's account opens on ${dayOf(opens)}: add these residents from that date`,
          );
        } else if (r.owner_names) {
          lotOwner.set(r.lot_number, lotOwner.get(r.lot_number) ?? r.owner_names);
        } else if (!lotOwner.has(r.lot_number)) {
          add(
            n,
            'lot_number',
            `Unknown lot ${r.lot_number}: it has no open account, and no owner_names to open one`,
          );
        }
      }
      let idTag: string | null = null;
      if (r.card_number) {
        const c = normaliseCardNumber(r.card_number, form);
        if (!c.ok) add(n, 'card_number', `Card ${r.card_number}: ${c.reason}`);
        else {
          idTag = c.idTag;
          const dup = seenTags.get(idTag);
          if (dup !== undefined)
            add(n, 'card_number', `Duplicate card ${idTag} (also on row ${dup})`);
          else seenTags.set(idTag, n);
          const owner = issued.get(idTag);
          if (owner !== undefined) {
            const lot = lotOfAccount.get(owner);
            add(
              n,
              'card_number',
              lot !== undefined && lot !== r.lot_number
                ? `Card ${idTag} is already on another account (lot ${lot})`
                : `Card ${idTag} is already issued`,
            );
          }
        }
      }
      rows.push({ n, r, idTag });
    });

    const clean = problems.length === 0;
    if (mode === 'preview' || (mode === 'all' && !clean)) {
      return { rows: rows.length, problems, written: null };
    }
    const written = { accounts: 0, residents: 0, cards: 0 };
    // One transaction; its card/account events are delivered (once each) after its COMMIT.
    events.transaction(
      (f) => db.transaction(() => f()),
      () => {
        const accountOf = new Map(openLot);
        for (const { n, r, idTag } of rows) {
          if (bad.has(n)) continue;
          let accountId = accountOf.get(r.lot_number);
          if (accountId === undefined) {
            accountId = idOf(
              insertAccount.get({
                siteId,
                lotNumber: r.lot_number,
                unitNumber: r.unit_number || null,
                ownerNames: r.owner_names || (lotOwner.get(r.lot_number) ?? ''),
                invoiceEmails: JSON.stringify(
                  emailsOf(r.invoice_emails).map((e) => e.toLowerCase()),
                ),
                accountCode: r.account_code || null,
                bpayReference: r.bpay_reference || null,
                deftReference: r.deft_reference || null,
                strataPayReference: r.stratapay_reference || null,
                now,
              }),
            );
            events.publish({
              type: 'account.changed',
              accountId,
              siteId,
              change: 'opened',
              at: now,
            });
            accountOf.set(r.lot_number, accountId);
            written.accounts++;
          }
          let residentId: number | null = null;
          if (r.first_name) {
            residentId = idOf(
              insertResident.get({
                accountId,
                firstName: r.first_name,
                lastName: r.last_name,
                email: r.email ? r.email.toLowerCase() : null,
                phone: r.phone || null,
                now,
              }),
            );
            written.residents++;
          }
          if (idTag) {
            const cardId = idOf(
              insertCard.get({
                siteId,
                idTag,
                printed: r.card_number === idTag ? null : r.card_number,
                label: r.card_label || null,
                accountId,
                residentId,
                now,
              }),
            );
            events.publish({ type: 'card.changed', cardId, siteId, change: 'added', at: now });
            written.cards++;
          }
        }
        // Cards issued from the "recent unknown cards" list are known now.
        db.delete(unknownCards)
          .where(
            and(
              eq(unknownCards.siteId, siteId),
              inArray(
                unknownCards.idTag,
                db
                  .select({ idTag: cardsTable.idTag })
                  .from(cardsTable)
                  .where(eq(cardsTable.siteId, siteId)),
              ),
            ),
          )
          .run();
      },
    );
    return { rows: rows.length, problems, written };
  }

  return { run };
}

// Our exports (papaparse escapeFormulae) put an apostrophe before a value a spreadsheet would
// run as a formula (=, +, -, @, tab, CR first); a spreadsheet shows it without. Importing such a
// file again must give back the value itself, not "'+61 400 000 000" as a phone number.
function unescapeFormula(v: string): string {
  return /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v;
}

function idOf(row: { id: number } | undefined): number {
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

const emailsOf = (v: string) =>
  v
    .split(/[;,]/)
    .map((x) => x.trim())
    .filter(Boolean);

export type CsvImport = ReturnType<typeof createCsvImport>;
