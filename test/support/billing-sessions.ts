// Completed charging sessions written straight into the tables a run reads (transactions, the
// account a session belongs to, one meter sample half-way), for billing tests that are about
// which tariff or fee applies rather than about the charger. Sessions from real simulated
// chargers: test/ocpp/billing-run.test.ts.
import { meterValues, sessionAccounts, transactions } from '../../src-main/db/schema';
import type { TestCore } from './make-core';

export function aBilledSession(
  t: TestCore,
  station: { id: number; identity: string },
  accountId: number | null,
  start: number,
  wh: number,
  opts: { minutes?: number; meterStartWh?: number } = {},
): number {
  const db = t.core.db;
  const meterStartWh = opts.meterStartWh ?? 10_000;
  const stop = start + (opts.minutes ?? 60) * 60_000;
  const tx = db
    .insert(transactions)
    .values({
      stationId: station.id,
      identity: station.identity,
      connectorNumber: 1,
      idTag: 'X',
      status: 'completed',
      startedAt: start,
      stoppedAt: stop,
      meterStartWh,
      meterStopWh: meterStartWh + wh,
      lastMessageAt: stop,
    })
    .returning({ id: transactions.id })
    .get();
  if (accountId !== null)
    db.insert(sessionAccounts).values({ transactionId: tx.id, accountId, via: 'card' }).run();
  db.insert(meterValues)
    .values({
      stationId: station.id,
      transactionId: tx.id,
      connectorNumber: 1,
      timestamp: Math.round((start + stop) / 2),
      sampledValues: '[]',
      energyWh: meterStartWh + Math.round(wh / 2),
      dedupeKey: `k${tx.id}`,
    })
    .run();
  return tx.id;
}
