// "Occupied after charging stopped": how long a car stayed in the bay once energy stopped flowing,
// from the connector's status notifications (docs/sessions.md). Kept in session_occupancy from
// the domain events `connector.status` and `transaction.stopped`:
// - charging ended: the first SuspendedEV (the car takes no more energy) or Finishing (the
//   session stopped) after the last Charging; a Charging after it means energy flowed again and
//   clears it; without either, the StopTransaction's time;
// - vacated: the connector's next Available (the plug is out; OCPP 1.6 §4.9);
// - idle = vacated − charging ended, never negative.
// SuspendedEVSE (the charger or load balancing withholding energy) is not the car's doing and
// does not end charging. Events are at most once (a crash between commit and delivery loses
// one): a session that missed one shows no figure rather than a wrong one.
import type { Db } from '../db/open';
import type { DomainEvents } from '../platform/domain-events';

export function createOccupancy(db: Db) {
  const sqlite = db.$client;
  // The session on a connector a status belongs to: the newest one started there (a status
  // after the stop still belongs to the session that just ended, until the next one starts).
  const latestOnConnector = sqlite.prepare(
    `SELECT id, status, stopped_at AS stoppedAt FROM transactions
     WHERE station_id = ? AND connector_number = ? AND started_at <= ?
     ORDER BY started_at DESC, id DESC LIMIT 1`,
  );
  const row = sqlite.prepare(
    `SELECT charging_ended_at AS chargingEndedAt, vacated_at AS vacatedAt
     FROM session_occupancy WHERE transaction_id = ?`,
  );
  const upsert = sqlite.prepare(
    `INSERT INTO session_occupancy (transaction_id, charging_ended_at, vacated_at, idle_ms)
     VALUES (@id, @ended, @vacated, @idle)
     ON CONFLICT (transaction_id) DO UPDATE SET charging_ended_at = @ended,
       vacated_at = @vacated, idle_ms = @idle`,
  );
  type Tx = { id: number; status: string; stoppedAt: number | null };
  type Occ = { chargingEndedAt: number | null; vacatedAt: number | null };

  function write(tx: Tx, occ: Occ) {
    const ended = occ.chargingEndedAt ?? tx.stoppedAt;
    const idle =
      occ.vacatedAt !== null && ended !== null ? Math.max(0, occ.vacatedAt - ended) : null;
    upsert.run({ id: tx.id, ended: occ.chargingEndedAt, vacated: occ.vacatedAt, idle });
  }

  function onStatus(stationId: number, connectorNumber: number, status: string, at: number) {
    if (connectorNumber === 0) return;
    const tx = latestOnConnector.get(stationId, connectorNumber, at) as Tx | undefined;
    if (!tx) return;
    const occ = (row.get(tx.id) as Occ | undefined) ?? { chargingEndedAt: null, vacatedAt: null };
    if (occ.vacatedAt !== null) return; // the car left: later statuses are the next session's
    switch (status) {
      case 'Charging':
        if (tx.status === 'active' && occ.chargingEndedAt !== null)
          write(tx, { ...occ, chargingEndedAt: null });
        return;
      case 'SuspendedEV':
      case 'Finishing':
        if (occ.chargingEndedAt === null) write(tx, { ...occ, chargingEndedAt: at });
        return;
      case 'Available':
        write(tx, { ...occ, vacatedAt: at });
        return;
      default:
        return;
    }
  }

  function onStopped(transactionId: number) {
    const tx = sqlite
      .prepare(`SELECT id, status, stopped_at AS stoppedAt FROM transactions WHERE id = ?`)
      .get(transactionId) as Tx | undefined;
    const occ = tx ? (row.get(tx.id) as Occ | undefined) : undefined;
    // Only an existing row changes: its idle time now has the stop to count from.
    if (tx && occ) write(tx, occ);
  }

  return {
    onStatus,
    onStopped,
    /** Keeps the table from the chargers' events (after commit). */
    subscribe(events: DomainEvents) {
      events.subscribe('connector.status', (e) =>
        onStatus(e.stationId, e.connectorNumber, e.status, e.at),
      );
      events.subscribe('transaction.stopped', (e) => onStopped(e.transactionId));
    },
  };
}
