// Reports: a session in detail and the totals for a period (read-only over the OCPP tables,
// session_accounts and the message log; it writes nothing).
import type { Db } from '../db/open';
import type { MessageLog } from '../ocpp/message-log';
import { createSessionDetail } from './session-detail';
import { createTotals } from './totals';

export function createReportsService(deps: {
  db: Db;
  messageLog: Pick<MessageLog, 'db' | 'flush'>;
}) {
  return {
    session: createSessionDetail(deps),
    ...createTotals(deps.db),
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
