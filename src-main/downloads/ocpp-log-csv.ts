// The OCPP message log as a CSV stream: the rows the station's log tab pages through (the same
// filter, messageLogWhere), oldest first, each exchange with its payload and answer. Like the
// audit export (streamPagedCsv): a dedicated read-only connection on the log file (one WAL
// snapshot; the log's writer thread is never held up), batches with backpressure, the
// connection closed when the stream ends or the client goes away.
import type { Readable } from 'node:stream';
import { and } from 'drizzle-orm';
import { ocppLog } from '../db/log-schema';
import type { Db } from '../db/open';
import type { MessageLog } from '../ocpp/message-log';
import { framePayload, messageLogWhere, type MessageLogFilter } from '../ocpp/message-log-query';
import type { CsvCell } from './csv-writer';
import { inColumns, snapshotRows, streamPagedCsv } from './paged-csv';

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
  const record = (r: LogRowRaw): Record<(typeof OCPP_LOG_CSV_COLUMNS)[number], CsvCell> => ({
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

  return streamPagedCsv({
    header: OCPP_LOG_CSV_COLUMNS,
    // Messages still queued for the writer thread belong in the export too.
    before: () => opts.messageLog.flush(),
    rows: snapshotRows<LogRowRaw>({
      file: opts.messageLog.db.$client.name,
      nativeBinding: opts.nativeBinding,
      ...query,
    }),
    cells: inColumns(OCPP_LOG_CSV_COLUMNS, record),
    bom: true,
  });
}
