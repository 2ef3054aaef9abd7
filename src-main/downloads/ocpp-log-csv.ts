// The OCPP message log as a CSV stream: the rows the station's log tab pages through (the same
// filter, messageLogWhere), oldest first, each exchange with its payload and answer. Like the
// audit export: a dedicated read-only connection on the log file (one WAL snapshot; the log's
// writer thread is never held up), stmt.iterate(), papaparse in batches, Readable.from with
// backpressure, the connection closed when the stream ends or the client goes away.
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { and } from 'drizzle-orm';
import Papa from 'papaparse';
import { ocppLog } from '../db/log-schema';
import type { Db } from '../db/open';
import type { MessageLog } from '../ocpp/message-log';
import { framePayload, messageLogWhere, type MessageLogFilter } from '../ocpp/message-log-query';

const BATCH = 1000;

export const OCPP_LOG_CSV_COLUMNS = [
  'at_utc',
  'at_local',
  'identity',
  'direction',
  'kind',
  'action',
  'message_id',
  'payload',
  'answer',
  'answer_ms',
] as const;

/** A row as the file stores it (the reader runs drizzle's SQL without drizzle's mapping). */
interface LogRowRaw {
  at: number;
  identity: string;
  direction: string;
  kind: string;
  action: string | null;
  message_id: string | null;
  payload: string;
  response: string | null;
  responded_at: number | null;
}

export function streamOcppLogCsv(opts: {
  db: Db;
  messageLog: Pick<MessageLog, 'db' | 'flush'>;
  nativeBinding?: string;
  filter: MessageLogFilter;
  visible: number[] | 'all';
  /** The zone `at_local` is written in (the station's site), e.g. Australia/Sydney. */
  timeZone: string | undefined;
}): Readable {
  const query = opts.messageLog.db
    .select()
    .from(ocppLog)
    .where(and(...messageLogWhere(opts.db, opts.filter, opts.visible)))
    .orderBy(ocppLog.at, ocppLog.id)
    .toSQL();
  const local = new Intl.DateTimeFormat('en-AU', {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone: opts.timeZone,
  });
  const columns = [...OCPP_LOG_CSV_COLUMNS];
  const record = (r: LogRowRaw): Record<(typeof OCPP_LOG_CSV_COLUMNS)[number], unknown> => ({
    at_utc: new Date(r.at).toISOString(),
    at_local: local.format(new Date(r.at)),
    identity: r.identity,
    direction: r.direction,
    kind: r.kind,
    action: r.action ?? '',
    message_id: r.message_id ?? '',
    payload: JSON.stringify(framePayload(r.payload)),
    answer: r.response === null ? '' : JSON.stringify(framePayload(r.response)),
    answer_ms: r.responded_at === null ? '' : r.responded_at - r.at,
  });

  async function* chunks(): AsyncGenerator<string> {
    // Messages still queued for the writer thread belong in the export too.
    await opts.messageLog.flush();
    const reader = new Database(opts.messageLog.db.$client.name, {
      readonly: true,
      fileMustExist: true,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
    try {
      // BOM so Excel reads UTF-8 correctly.
      yield '\ufeff' + columns.join(',') + '\r\n';
      let batch: Record<string, unknown>[] = [];
      const rows = reader.prepare(query.sql).iterate(...query.params) as Iterable<LogRowRaw>;
      for (const row of rows) {
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
