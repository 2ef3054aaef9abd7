// The one loop behind every streamed CSV export (audit, OCPP log, alarms, accounting exports):
// a header line, then the rows written by our CSV writer (csv-writer.ts: papaparse's exact
// output with formula-like text escaped) in batches, pulled by Readable.from with
// backpressure. Nothing is read until the client reads; when the client goes away the stream
// is destroyed, which returns the row iterator, which runs its `finally` (snapshotRows closes
// its connection there). Escaping lives in csv-writer.ts alone.
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { csvLine, type CsvCell, type CsvDelimiter } from './csv-writer';

/** Rows per chunk pushed to the stream. */
const BATCH = 1000;

export interface PagedCsv<Row> {
  /** The header line's cells (escaped like any cell: a user may name a column). */
  header: readonly string[];
  /** The rows, iterated lazily when the stream is first read. */
  rows: Iterable<Row> | AsyncIterable<Row>;
  /** One row's cells, in the header's order. */
  cells: (row: Row) => readonly CsvCell[];
  /** A byte order mark first, so Excel (what strata managers open CSVs with) reads UTF-8. */
  bom?: boolean;
  delimiter?: CsvDelimiter;
  /** Runs before the first row is read (e.g. flush a writer queue so its rows are included). */
  before?: () => Promise<void>;
}

export function streamPagedCsv<Row>(opts: PagedCsv<Row>): Readable {
  const delimiter = opts.delimiter ?? ',';
  async function* chunks(): AsyncGenerator<string> {
    if (opts.before) await opts.before();
    yield (opts.bom ? '\ufeff' : '') + csvLine(opts.header, delimiter) + '\r\n';
    let batch = '';
    let n = 0;
    const add = (row: Row): boolean => {
      batch += csvLine(opts.cells(row), delimiter) + '\r\n';
      return ++n === BATCH;
    };
    const take = () => {
      const out = batch;
      batch = '';
      n = 0;
      return out;
    };
    // A synchronous source (a SQLite statement) is read without an await per row.
    const { rows } = opts;
    if (Symbol.iterator in rows) {
      for (const row of rows) if (add(row)) yield take();
    } else {
      for await (const row of rows) if (add(row)) yield take();
    }
    if (n > 0) yield take();
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Picks a record's values in column order (for exports that build a record per row). */
export const inColumns =
  <Row, K extends string>(columns: readonly K[], record: (row: Row) => Record<K, CsvCell>) =>
  (row: Row): CsvCell[] => {
    const r = record(row);
    return columns.map((c) => r[c]);
  };

/**
 * A query's rows on a dedicated read-only connection: one consistent snapshot (WAL), the main
 * connection never "busy" while a slow client reads, never more than one row in hand. The
 * connection opens at the first row and closes when iteration ends or is abandoned.
 */
export function* snapshotRows<Row>(q: {
  file: string;
  nativeBinding?: string;
  sql: string;
  params: unknown[];
  /** Rows as arrays (joined columns that share names). */
  raw?: boolean;
}): Generator<Row> {
  const reader = new Database(q.file, {
    readonly: true,
    fileMustExist: true,
    ...(q.nativeBinding ? { nativeBinding: q.nativeBinding } : {}),
  });
  try {
    const stmt = reader.prepare(q.sql);
    yield* (q.raw ? stmt.raw() : stmt).iterate(...q.params) as Iterable<Row>;
  } finally {
    reader.close();
  }
}
