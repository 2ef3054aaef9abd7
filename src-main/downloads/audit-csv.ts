// The audit log as a CSV stream. Rows come from a dedicated read-only connection with
// stmt.iterate(): one consistent snapshot (WAL), the main connection never "busy" while a slow
// client reads, and never more than one batch of rows in memory. Readable.from() pulls the next
// batch only when the consumer has room (backpressure); destroying the stream (client gone)
// runs the generator's finally and closes the connection.
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import type { Db } from '../db/open';
import { auditLog } from '../db/schema';
import {
  AUDIT_CSV_COLUMNS,
  auditCsvRecord,
  auditWhere,
  type AuditFilter,
  type AuditRowRaw,
} from '../audit/query';

const BATCH = 1000;

export function streamAuditCsv(opts: {
  db: Db;
  nativeBinding?: string;
  filter: AuditFilter;
}): Readable {
  // Built with the main connection's query builder (same filter as the audit page), run on
  // the reader. Oldest first, as a spreadsheet reads naturally.
  const query = opts.db
    .select()
    .from(auditLog)
    .where(auditWhere(opts.filter))
    .orderBy(auditLog.at, auditLog.id)
    .toSQL();
  const file = opts.db.$client.name;
  const columns = [...AUDIT_CSV_COLUMNS];

  function* chunks(): Generator<string> {
    const reader = new Database(file, {
      readonly: true,
      fileMustExist: true,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
    try {
      // BOM so Excel (what strata managers open CSVs with) reads UTF-8 names correctly.
      yield '\ufeff' + columns.join(',') + '\r\n';
      let batch: Record<string, unknown>[] = [];
      const rows = reader.prepare(query.sql).iterate(...query.params) as Iterable<AuditRowRaw>;
      for (const row of rows) {
        batch.push(auditCsvRecord(row));
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
