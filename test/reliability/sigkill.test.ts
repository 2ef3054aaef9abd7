// kill -9 under load: chargers run transactions with meter values while the service is killed at
// random moments and restarted on the same data directory. A charger forgets a message once it
// is answered, so every ANSWERED message must be in the database exactly once after the kills
// (transaction ids unique, each acknowledged StopTransaction recorded, each acknowledged meter
// sample stored once) and SQLite's integrity_check must say ok after every kill.
import { rmSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { setupAndLogin } from './support/api';
import { ReliableCharger, type Json } from './support/charger';
import { testRng } from './support/prng';
import {
  killHard,
  openDatabase,
  serviceFor,
  startService,
  type RunningServer,
} from './support/service';
import { waitUntil } from './support/wait';

const CHARGERS = 8;
const KILLS = 5;

/** What one charger did, as the charger knows it: only what the server acknowledged. */
interface TxModel {
  identity: string;
  connector: number;
  idTag: string;
  startedAt: string;
  meterStart: number;
  id: number;
  samples: { timestamp: string; wh: number }[];
  meterStop: number | null;
}

function sample(timestamp: string, wh: number): Json {
  return {
    timestamp,
    sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
  };
}

describe('SIGKILL under load', () => {
  it('keeps every acknowledged message exactly once across 5 kills, integrity ok', async () => {
    const rand = testRng('SIGKILL under load');
    const first = await serviceFor({ keepData: true });
    const dataDir = first.dataDir;
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    let current: RunningServer = first;
    const { api, siteId } = await setupAndLogin(first.apiUrl);
    const identities = Array.from({ length: CHARGERS }, (_, i) => `KILL-${i + 1}`);
    for (const [i, identity] of identities.entries()) {
      await api.ok('station-create', { siteId, name: `Bay ${i + 1}`, identity, connectorCount: 2 });
      await api.ok('id-tag-upsert', { idTag: `TAG-${i + 1}`, status: 'Accepted' });
    }
    api.close();

    const chargers = identities.map(
      (identity) => new ReliableCharger({ identity, baseUrl: () => current.ocppBaseUrl }),
    );
    const model: TxModel[] = [];
    let running = true;
    // Each charger: a transaction on one connector, then the other, back to back. Timestamps
    // advance 1 s per message so that each reading is distinct, like a real register.
    const workloads = chargers.map(async (charger, i) => {
      let wh = 1_000 * (i + 1);
      let clock = Date.UTC(2026, 11, 1, 0, 0, 0) + i * 1_000_000_000;
      const at = () => new Date((clock += 1_000)).toISOString();
      for (let n = 0; running; n++) {
        const connector = (n % 2) + 1;
        const idTag = `TAG-${i + 1}`;
        const startedAt = at();
        const start = await charger.call('StartTransaction', {
          connectorId: connector,
          idTag,
          meterStart: wh,
          timestamp: startedAt,
        });
        const tx: TxModel = {
          identity: charger.identity,
          connector,
          idTag,
          startedAt,
          meterStart: wh,
          id: Number(start.transactionId),
          samples: [],
          meterStop: null,
        };
        model.push(tx);
        for (let k = rand.int(1, 4); k > 0; k--) {
          wh += rand.int(1, 500);
          const timestamp = at();
          await charger.call('MeterValues', {
            connectorId: connector,
            transactionId: tx.id,
            meterValue: [sample(timestamp, wh)],
          });
          tx.samples.push({ timestamp, wh });
        }
        wh += rand.int(1, 500);
        await charger.call('StopTransaction', {
          transactionId: tx.id,
          meterStop: wh,
          timestamp: at(),
          reason: 'Local',
        });
        tx.meterStop = wh;
      }
    });
    const acked = () => chargers.reduce((sum, c) => sum + c.acked.length, 0);

    try {
      for (let kill = 1; kill <= KILLS; kill++) {
        // Let the load run (every charger connected and answered again), then kill at a random
        // moment within the next second.
        const before = chargers.map((c) => c.acked.length);
        await waitUntil(
          () => chargers.every((c, i) => c.acked.length >= (before[i] ?? 0) + 3),
          () => `every charger to be answered again before kill ${kill} (acked ${acked()})`,
          30_000,
        );
        await new Promise((r) => setTimeout(r, rand.int(0, 1_000)));
        await killHard(current);
        const db = openDatabase(dataDir);
        try {
          expect(db.pragma('integrity_check', { simple: true }), `after kill ${kill}`).toBe('ok');
        } finally {
          db.close();
        }
        current = await startService({ dataDir, timeoutMs: 60_000 });
      }
      const before = chargers.map((c) => c.acked.length);
      await waitUntil(
        () => chargers.every((c, i) => c.acked.length >= (before[i] ?? 0) + 3),
        'every charger to be answered after the last restart',
        30_000,
      );
      running = false;
      await Promise.all(workloads); // each finishes (and gets answered) its transaction
    } finally {
      running = false;
      for (const c of chargers) c.close();
      await current.stop();
    }

    // The chargers' view: ids handed out are unique, and nothing was refused.
    expect(chargers.flatMap((c) => c.errors)).toEqual([]);
    const ids = model.map((t) => t.id);
    expect(new Set(ids).size, 'transaction ids handed out').toBe(ids.length);
    expect(model.every((t) => t.meterStop !== null)).toBe(true);
    console.info(
      `[reliability] SIGKILL: ${KILLS} kills, ${acked()} acknowledged messages, ${model.length} transactions, ${chargers.reduce((s, c) => s + c.connects, 0)} connections (seed ${rand.seed})`,
    );

    // The database's view: every acknowledged message exactly once.
    const db = openDatabase(dataDir);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db
        .prepare(
          `SELECT id, identity, connector_number AS connector, id_tag AS idTag, started_at AS startedAt,
                  meter_start_wh AS meterStart, meter_stop_wh AS meterStop, status
             FROM transactions WHERE identity LIKE 'KILL-%' ORDER BY id`,
        )
        .all() as {
        id: number;
        identity: string;
        connector: number;
        idTag: string;
        startedAt: number;
        meterStart: number;
        meterStop: number | null;
        status: string;
      }[];
      expect(rows.length, 'transactions stored vs acknowledged').toBe(model.length);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const samples = db.prepare(
        'SELECT timestamp, energy_wh AS wh FROM meter_values WHERE transaction_id = ? ORDER BY timestamp',
      );
      for (const tx of model) {
        expect(byId.get(tx.id), `transaction ${tx.id}`).toEqual({
          id: tx.id,
          identity: tx.identity,
          connector: tx.connector,
          idTag: tx.idTag,
          startedAt: Date.parse(tx.startedAt),
          meterStart: tx.meterStart,
          meterStop: tx.meterStop,
          status: 'completed',
        });
        expect(samples.all(tx.id), `meter values of transaction ${tx.id}`).toEqual(
          tx.samples.map((s) => ({ timestamp: Date.parse(s.timestamp), wh: s.wh })),
        );
      }
    } finally {
      db.close();
    }
  });
});
