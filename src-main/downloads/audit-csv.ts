// The audit log as a CSV stream (streamPagedCsv): rows from a dedicated read-only connection
// (snapshotRows: one consistent WAL snapshot, the main connection never "busy" while a slow
// client reads), never more than one batch in memory, backpressure, and the connection closed
// when the client goes away.
import type { Readable } from 'node:stream';
import type { Db } from '../db/open';
import { auditLog } from '../db/schema';
import {
  AUDIT_CSV_COLUMNS,
  auditCsvRecord,
  auditWhere,
  type AuditFilter,
  type AuditRowRaw,
} from '../audit/query';
import { inColumns, snapshotRows, streamPagedCsv } from './paged-csv';

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
  return streamPagedCsv({
    header: AUDIT_CSV_COLUMNS,
    rows: snapshotRows<AuditRowRaw>({
      file: opts.db.$client.name,
      nativeBinding: opts.nativeBinding,
      ...query,
    }),
    cells: inColumns(AUDIT_CSV_COLUMNS, auditCsvRecord),
    bom: true,
  });
}
