// A site's accounts, residents and cards as a CSV stream (downloads/service.ts serves it). The
// columns are the import's (so the file can be edited and imported elsewhere) followed by what
// only an export knows: dates, status, the number the chargers send. One row per card of a
// resident, per resident without a card, per card without a resident, and per account with
// neither. Dates are calendar dates in the site's time zone. Rows come from a read-only
// connection, one statement iterated in batches: a consistent snapshot, never the whole file
// in memory (the same pattern as downloads/audit-csv.ts).
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import Papa from 'papaparse';
import { EXPORT_ONLY_COLUMNS, IMPORT_COLUMNS } from './csv-import';

export const EXPORT_COLUMNS = [...IMPORT_COLUMNS, ...EXPORT_ONLY_COLUMNS] as const;

const BATCH = 1000;

// Every account of the site with its residents' cards, residents without cards and cards
// without a resident (a resident's card is listed on the resident's row).
const QUERY = `
  select a.lot_number, a.unit_number, a.owner_names, a.invoice_emails, a.account_code,
         a.bpay_reference, a.deft_reference, a.stratapay_reference, a.opened_at, a.closed_at,
         r.first_name, r.last_name, r.email, r.phone,
         c.id_tag, c.printed, c.label, c.status, c.expires_at
  from accounts a
  left join (
    select r.id as rid, r.account_id as aid, c.id as cid
      from residents r left join cards c on c.resident_id = r.id
    union all
    select null, c.account_id, c.id from cards c where c.resident_id is null
  ) x on x.aid = a.id
  left join residents r on r.id = x.rid
  left join cards c on c.id = x.cid
  where a.site_id = ?
  order by cast(a.lot_number as integer), a.lot_number, a.opened_at, a.id,
           r.last_name, r.first_name, r.id, c.id_tag`;

interface RawRow {
  lot_number: string;
  unit_number: string | null;
  owner_names: string;
  invoice_emails: string;
  account_code: string | null;
  bpay_reference: string | null;
  deft_reference: string | null;
  stratapay_reference: string | null;
  opened_at: number;
  closed_at: number | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  id_tag: string | null;
  printed: string | null;
  label: string | null;
  status: string | null;
  expires_at: number | null;
}

export function streamResidentsCsv(opts: {
  file: string;
  nativeBinding?: string;
  siteId: number;
  timeZone: string;
  now: number;
}): Readable {
  const day = (t: number | null) =>
    t === null ? '' : DateTime.fromMillis(t, { zone: opts.timeZone }).toISODate();
  const record = (r: RawRow): Record<string, string | null> => ({
    lot_number: r.lot_number,
    unit_number: r.unit_number,
    owner_names: r.owner_names,
    invoice_emails: (JSON.parse(r.invoice_emails) as string[]).join('; '),
    account_code: r.account_code,
    bpay_reference: r.bpay_reference,
    deft_reference: r.deft_reference,
    stratapay_reference: r.stratapay_reference,
    first_name: r.first_name,
    last_name: r.last_name,
    email: r.email,
    phone: r.phone,
    card_number: r.printed ?? r.id_tag,
    card_label: r.label,
    account_opened: day(r.opened_at),
    account_closed: day(r.closed_at),
    card_id_tag: r.id_tag,
    card_status:
      r.status === 'active' && r.expires_at !== null && r.expires_at <= opts.now
        ? 'expired'
        : r.status,
    card_expires: day(r.expires_at),
  });
  const columns = [...EXPORT_COLUMNS];

  function* chunks(): Generator<string> {
    const reader = new Database(opts.file, {
      readonly: true,
      fileMustExist: true,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
    try {
      // BOM so Excel reads UTF-8 names correctly.
      yield '\ufeff' + columns.join(',') + '\r\n';
      let batch: Record<string, string | null>[] = [];
      for (const row of reader.prepare(QUERY).iterate(opts.siteId) as Iterable<RawRow>) {
        batch.push(record(row));
        if (batch.length === BATCH) {
          yield Papa.unparse(batch, { header: false, columns, escapeFormulae: true }) + '\r\n';
          batch = [];
        }
      }
      if (batch.length > 0)
        yield Papa.unparse(batch, { header: false, columns, escapeFormulae: true }) + '\r\n';
    } finally {
      reader.close();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
