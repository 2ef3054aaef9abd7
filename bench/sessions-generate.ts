// A building's worth of charging history, fast: `generateSessions(db, opts)` writes sites,
// stations, lots with residents and cards, and N sessions (transactions, who they belong to,
// meter samples, occupancy, a few flagged and reviewed) straight into a StrataCharge database,
// in one transaction with prepared statements (about 10 s per million sessions here). Used by
// the sessions bench (bench/sessions.ts) and the quarter-totals bench; deterministic for a seed.
//
// Shape: `sites` sites of `stationsPerSite` two-outlet stations and `lotsPerSite` lots (one
// account, resident and card each). Sessions are spread evenly over `days` days ending at `end`,
// 1-10 h each at 3.7-11 kW, on a random lot's card; `samplesPerSession` meter samples each
// (the sampledValue JSON a charger sends, with energy, power and current), a stop reason, and
// occupancy after charging of 0-3 h. About 1 % are flagged (half of those already reviewed).
import type Database from 'better-sqlite3';
import { bulkLoad } from '../src-main/reports/rollup';

export interface GenerateOptions {
  sessions: number;
  sites?: number;
  stationsPerSite?: number;
  lotsPerSite?: number;
  samplesPerSession?: number;
  /** Last session ends before this (UTC ms). */
  end?: number;
  days?: number;
  seed?: number;
}

export interface Generated {
  siteIds: number[];
  stationIds: number[];
  accountIds: number[];
  from: number;
  to: number;
}

const HOUR = 3_600_000;
const REASONS = ['EVDisconnected', 'Local', 'Remote', 'EVDisconnected', 'EVDisconnected'];

export function generateSessions(sqlite: Database.Database, o: GenerateOptions): Generated {
  const sites = o.sites ?? 4;
  const stationsPerSite = o.stationsPerSite ?? 25;
  const lotsPerSite = o.lotsPerSite ?? 200;
  const samples = o.samplesPerSession ?? 2;
  const end = o.end ?? Date.UTC(2026, 9, 1);
  const days = o.days ?? 730;
  const from = end - days * 24 * HOUR;
  let rng = o.seed ?? 20261201;
  // A small LCG: deterministic and far cheaper than crypto for millions of draws.
  const random = () => (rng = (rng * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const now = from;

  const out: Generated = { siteIds: [], stationIds: [], accountIds: [], from, to: end };
  const stationsOf = new Map<number, { id: number; identity: string }[]>();
  const lotsOf = new Map<number, { account: number; card: number; tag: string }[]>();

  const run = sqlite.transaction(() => {
    const site = sqlite.prepare(
      `INSERT INTO sites (name, time_zone, created_at, updated_at) VALUES (?, 'Australia/Sydney', ?, ?)`,
    );
    const station = sqlite.prepare(
      `INSERT INTO stations (site_id, identity, name, max_current_a, phases, created_at, updated_at)
       VALUES (?, ?, ?, 32, 'three', ?, ?)`,
    );
    const connector = sqlite.prepare(
      `INSERT INTO connectors (station_id, connector_number, created_at, updated_at) VALUES (?, ?, ?, ?)`,
    );
    const account = sqlite.prepare(
      `INSERT INTO accounts (site_id, lot_number, unit_number, owner_names, opened_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const resident = sqlite.prepare(
      `INSERT INTO residents (account_id, first_name, last_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
    );
    const card = sqlite.prepare(
      `INSERT INTO cards (site_id, id_tag, label, account_id, resident_id, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'active', ?, ?)`,
    );
    const base = (sqlite.prepare(`SELECT count(*) AS n FROM sites`).get() as { n: number }).n;
    for (let s = 0; s < sites; s++) {
      const siteId = Number(site.run(`Bench building ${base + s + 1}`, now, now).lastInsertRowid);
      out.siteIds.push(siteId);
      const list: { id: number; identity: string }[] = [];
      for (let i = 0; i < stationsPerSite; i++) {
        const identity = `BENCH-${siteId}-${i + 1}`;
        const id = Number(station.run(siteId, identity, `Bay ${i + 1}`, now, now).lastInsertRowid);
        connector.run(id, 1, now, now);
        connector.run(id, 2, now, now);
        list.push({ id, identity });
        out.stationIds.push(id);
      }
      stationsOf.set(siteId, list);
      const lots: { account: number; card: number; tag: string }[] = [];
      for (let l = 0; l < lotsPerSite; l++) {
        const a = Number(
          account.run(siteId, String(l + 1), String(100 + l), `Owner ${l + 1}`, from, now, now)
            .lastInsertRowid,
        );
        const r = Number(resident.run(a, `Resident`, `Lot${l + 1}`, now, now).lastInsertRowid);
        const tag = (siteId * 100_000 + l + 1).toString(16).toUpperCase().padStart(8, '0');
        const c = Number(card.run(siteId, tag, `Card ${l + 1}`, a, r, now, now).lastInsertRowid);
        lots.push({ account: a, card: c, tag });
        out.accountIds.push(a);
      }
      lotsOf.set(siteId, lots);
    }

    const tx = sqlite.prepare(
      `INSERT INTO transactions (station_id, identity, connector_number, id_tag, start_key, status,
         flag, flag_reason, started_at, stopped_at, meter_start_wh, meter_stop_wh, meter_last_wh,
         power_w, stop_reason, stop_id_tag, last_message_at)
       VALUES (?, ?, ?, ?, NULL, 'completed', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    );
    const owner = sqlite.prepare(
      `INSERT INTO session_accounts (transaction_id, account_id, card_id, via, free) VALUES (?, ?, ?, 'card', 0)`,
    );
    const sample = sqlite.prepare(
      `INSERT INTO meter_values (station_id, transaction_id, connector_number, timestamp,
         sampled_values, energy_wh, power_w, current_l1_a, current_l2_a, current_l3_a, soc_percent, dedupe_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
    );
    const occupancy = sqlite.prepare(
      `INSERT INTO session_occupancy (transaction_id, charging_ended_at, vacated_at, idle_ms) VALUES (?, ?, ?, ?)`,
    );
    const review = sqlite.prepare(
      `INSERT INTO session_reviews (transaction_id, action, reason, flag, flag_reason, excluded, at)
       VALUES (?, 'accept', 'Checked against the meter', 'review', ?, 0, ?)`,
    );
    const reviewState = sqlite.prepare(
      `INSERT INTO session_review_state (transaction_id, review_id, action, flag, flag_reason, excluded, at)
       VALUES (?, ?, 'accept', 'review', ?, 0, ?)`,
    );
    const registers = new Map<string, number>();
    const step = (end - from) / o.sessions;
    for (let i = 0; i < o.sessions; i++) {
      const siteId = out.siteIds[i % sites] as number;
      const st = pick(stationsOf.get(siteId) ?? []);
      const lot = pick(lotsOf.get(siteId) ?? []);
      const conn = random() < 0.5 ? 1 : 2;
      const startedAt = Math.round(from + i * step + random() * step * 0.5);
      const hours = 1 + random() * 9;
      const powerW = Math.round(3700 + random() * 7300);
      const stoppedAt = startedAt + Math.round(hours * HOUR);
      const key = `${st.id}:${conn}`;
      const meterStart = registers.get(key) ?? Math.round(random() * 1_000_000);
      const energy = Math.round(powerW * hours);
      const meterStop = meterStart + energy;
      registers.set(key, meterStop);
      const flagged = random() < 0.01;
      const reason = flagged
        ? `the meter went backwards: a later reading (${meterStart} Wh) is below an earlier reading`
        : null;
      const id = Number(
        tx.run(
          st.id,
          st.identity,
          conn,
          lot.tag,
          flagged ? 'review' : null,
          reason,
          startedAt,
          stoppedAt,
          meterStart,
          meterStop,
          meterStop,
          pick(REASONS),
          lot.tag,
          stoppedAt,
        ).lastInsertRowid,
      );
      owner.run(id, lot.account, lot.card);
      const amps = powerW / 230 / 3;
      for (let k = 1; k <= samples; k++) {
        const at = startedAt + Math.round(((stoppedAt - startedAt) * k) / samples);
        const wh = meterStart + Math.round((energy * k) / samples);
        const a = amps.toFixed(1);
        const raw = `[{"value":"${wh}","unit":"Wh","measurand":"Energy.Active.Import.Register","context":"Sample.Periodic"},{"value":"${powerW}","unit":"W","measurand":"Power.Active.Import"},{"value":"${a}","unit":"A","measurand":"Current.Import","phase":"L1"},{"value":"${a}","unit":"A","measurand":"Current.Import","phase":"L2"},{"value":"${a}","unit":"A","measurand":"Current.Import","phase":"L3"}]`;
        sample.run(st.id, id, conn, at, raw, wh, powerW, amps, amps, amps, `g${id}.${k}`);
      }
      const idle = random() < 0.3 ? 0 : Math.round(random() * 3 * HOUR);
      occupancy.run(id, stoppedAt, stoppedAt + idle, idle);
      if (flagged && random() < 0.5) {
        const r = Number(review.run(id, reason, stoppedAt + HOUR).lastInsertRowid);
        reviewState.run(id, r, reason, stoppedAt + HOUR);
      }
    }
  });
  // Triggers off while loading, the reports' rollup summed once at the end (reports/rollup.ts).
  bulkLoad(sqlite, run);
  return out;
}
