// What the controller knows about a site's chargers right now, read from the database and the
// live sessions (never replayed from events: after a restart this is all there is), turned into
// allocate()'s inputs. The in-memory part (since when a car charges or waits, its latest draw) is
// lost on restart and rebuilt as "since now", which only delays a rotation.
import type { BalancingConfig, SiteFacts } from '../../src-shared/balancing/config';
import { toModel } from '../../src-shared/balancing/config';
import type { ElectricalModel, Priority } from '../../src-shared/balancing/model';
import type { Db } from '../db/open';
import type { ChargerGateway } from '../ocpp/gateway';
import type { Allocation, ConnectorInput } from './allocate';
import {
  keyOf,
  ledgerBound,
  readChargers,
  readLedger,
  stmts,
  type ChargerCaps,
  type LedgerRow,
} from './ledger-store';
import { loadsFor, type MeasuredLoadBoard, type QuietMeter } from './measured-load';
import type { MeasuredLoads } from './topology';

/** Per connector, in memory: when it started charging or waiting, and what it draws. */
export interface ConnectorView {
  charging: boolean;
  since: number;
  drawA: number | null;
  /** A refused or unanswered profile: counted at its limit in force until then, then retried. */
  holdUntil: number;
}

export interface SiteConnector {
  key: string;
  stationId: number;
  stationName: string;
  connectorNumber: number;
  ratingA: number;
  connected: boolean;
  transactionId: number | null;
  ledger: LedgerRow | undefined;
  input: ConnectorInput;
}

export interface SiteSnapshot {
  siteId: number;
  at: number;
  config: BalancingConfig;
  model: ElectricalModel;
  caps: Map<number, ChargerCaps>;
  connectors: SiteConnector[];
  loads: MeasuredLoads;
  quiet: QuietMeter[];
}

/** What the controller last decided for a site. */
export interface SiteDecision {
  snapshot: SiteSnapshot;
  allocation: Allocation;
}

export function readSite(
  deps: { db: Db; gateway: ChargerGateway; board: MeasuredLoadBoard },
  siteId: number,
  config: BalancingConfig,
  facts: SiteFacts,
  views: Map<string, ConnectorView>,
  now: number,
  /** toModel(config, facts), when the caller keeps it. */
  known?: ElectricalModel,
): SiteSnapshot {
  const { db, gateway } = deps;
  const model = known ?? toModel(config, facts);
  const stationIds = config.stations.map((s) => s.stationId).filter((id) => facts.stations.has(id));
  const ledger = readLedger(db, stationIds);
  const caps = readChargers(db, stationIds);
  const ids = JSON.stringify(stationIds);
  const sql = stmts(db);
  const connectorRows =
    stationIds.length === 0
      ? []
      : (sql.connectorsOf.all(ids) as {
          stationId: number;
          connectorNumber: number;
          maxCurrentA: number | null;
        }[]);
  const active =
    stationIds.length === 0
      ? []
      : (sql.activeOf.all(ids) as {
          id: number;
          stationId: number | null;
          connectorNumber: number;
          accountId: number | null;
        }[]);
  const txOf = new Map(
    active.flatMap((t) =>
      t.stationId === null ? [] : [[keyOf(t.stationId, t.connectorNumber), t]],
    ),
  );
  const accountPolicy = new Map(config.accountPolicies.map((p) => [p.accountId, p]));
  const wiring = new Map(config.stations.map((s) => [s.stationId, s]));
  const out: SiteConnector[] = [];
  const connectedOf = new Map<number, boolean>();
  for (const c of connectorRows) {
    const w = wiring.get(c.stationId);
    const station = facts.stations.get(c.stationId);
    if (!w || !station) continue;
    const key = keyOf(c.stationId, c.connectorNumber);
    const ratingA = Math.min(c.maxCurrentA ?? station.maxCurrentA, station.maxCurrentA);
    let connected = connectedOf.get(c.stationId);
    if (connected === undefined) {
      // One read per station, not per connector.
      connected = gateway.isConnected(c.stationId);
      connectedOf.set(c.stationId, connected);
    }
    const tx = txOf.get(key);
    const row = ledger.get(key);
    const fallbackA = caps.get(c.stationId)?.fallbackA ?? null;
    const account = tx?.accountId != null ? accountPolicy.get(tx.accountId) : undefined;
    // The account's priority where it has one (a resident's arrangement), else the bay's.
    const priority: Priority = account?.priority ?? w.priority;
    const caps2 = [w.capA, account?.capA ?? null].filter((x): x is number => x !== null);
    const capA = caps2.length > 0 ? Math.min(...caps2) : null;
    // A TxProfile lives as long as its transaction (the ledger row names it); else the fallback.
    const txBound = tx && row?.transactionId === tx.id ? ledgerBound(row) : null;
    let state: ConnectorInput['state'];
    if (!connected) state = { kind: 'offline', inForceA: tx ? (txBound ?? fallbackA) : fallbackA };
    else if (tx && row?.uncontrolled) state = { kind: 'uncontrolled', inForceA: null };
    else if (tx && (views.get(key)?.holdUntil ?? 0) > now)
      state = { kind: 'uncontrolled', inForceA: txBound ?? fallbackA };
    else if (tx) {
      const v = views.get(key);
      const since = now - (v?.since ?? now);
      state = {
        kind: 'charging',
        drawA: v?.drawA ?? null,
        chargingS: v?.charging ? since / 1000 : 0,
        pausedS: v?.charging ? 0 : since / 1000,
      };
    } else state = { kind: 'idle', inForceA: fallbackA };
    out.push({
      key,
      stationId: c.stationId,
      stationName: station.name,
      connectorNumber: c.connectorNumber,
      ratingA,
      connected,
      transactionId: tx?.id ?? null,
      ledger: row,
      input: { id: key, stationId: String(c.stationId), ratingA, priority, capA, state },
    });
  }
  const { loads, quiet } = loadsFor(siteId, config.loadSources, deps.board, now);
  return { siteId, at: now, config, model, caps, connectors: out, loads, quiet };
}
