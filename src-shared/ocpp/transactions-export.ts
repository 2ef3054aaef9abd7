// The station page's Transactions tab lists `transaction-list`; its CSV is the sessions export
// (a streamed download, `sessions-csv`). This maps the tab's filters onto the sessions filter so
// that the file holds exactly the rows the tab shows: the card is matched exactly (idTag, as
// transaction-list does; the sessions page's `card` is a substring and would over-match 04A2 in
// 04A23B1C), and the tab's "suspect"/"review" statuses are the charger-side flag.
import type { SessionFilter } from '../api/methods/sessions';
import type { TRANSACTION_FILTER_STATUSES } from './types';

export interface TransactionsTabFilter {
  stationId: number;
  status?: (typeof TRANSACTION_FILTER_STATUSES)[number];
  idTag?: string;
}

export function sessionFilterOfTransactions(f: TransactionsTabFilter): SessionFilter {
  const base = { stationId: f.stationId, idTag: f.idTag || undefined };
  switch (f.status) {
    case undefined:
      return base;
    case 'active':
    case 'completed':
      return { ...base, status: f.status };
    case 'suspect':
    case 'review':
      return { ...base, flagType: f.status };
  }
}
