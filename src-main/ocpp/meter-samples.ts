// Meter samples as stored: one meter_values row per MeterValue element, its sampledValue
// array kept as received and the quantities the product reads extracted (units.ts), each
// recorded once however often the charger retransmits it (dedupe key).
import { createHash, hash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { extract, parseTime } from './units';
import type { SampledValue } from '../../src-shared/ocpp/types';

export interface MeterValueIn {
  timestamp: string;
  sampledValue: SampledValue[];
}

export interface StationRef {
  id: number;
  siteId: number;
  identity: string;
}

/** A MeterValues message's newest per-phase currents (A) and state of charge (%). */
export type LatestSample = {
  currentA: { L1: number | null; L2: number | null; L3: number | null } | null;
  socPercent: number | null;
};

export function createMeterSamples(sqlite: Database) {
  const insertMeter = sqlite.prepare(
    `INSERT OR IGNORE INTO meter_values (station_id, transaction_id, connector_number, timestamp, sampled_values, energy_wh, power_w, current_l1_a, current_l2_a, current_l3_a, soc_percent, dedupe_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  // Hashed: a short fixed-width key keeps the unique index small and its inserts cheap. The
  // raw values are part of it, so two different samples with one timestamp are both kept.
  // crypto.hash (Node ≥ 20.12) is one call without a Hash object per sample; same digest as
  // createHash('sha1').update(head).update(raw), which older Nodes use.
  const dedupeKey = (
    identity: string,
    connector: number,
    transactionId: number | null,
    at: number,
    raw: string,
  ): string => {
    const head = `${identity}|${connector}|${transactionId ?? ''}|${at}|`;
    if (typeof hash === 'function') return hash('sha1', head + raw, 'base64');
    return createHash('sha1').update(head).update(raw).digest('base64');
  };

  /**
   * One row per sample (MeterValue element): the sampledValue array kept as received, the
   * quantities the product reads extracted (docs/ocpp.md "Meter values"). Returns the newest
   * energy register / power reading for the transaction row.
   */
  function storeMeterValues(
    station: StationRef,
    connectorNumber: number,
    transactionId: number | null,
    values: MeterValueIn[],
    now: number,
  ): {
    inserted: number;
    energyWh: number | null;
    energyAt: number;
    powerW: number | null;
    lastAt: number | null;
    /** A newer sample's register below an older one's within this message. */
    backwards: { fromWh: number; toWh: number } | null;
    /** The newest sample's per-phase currents and state of charge (domain event). */
    latest: LatestSample;
  } {
    // Scalars, not {at, wh} objects per sample: this runs for every MeterValues message.
    let inserted = 0;
    let backwards: { fromWh: number; toWh: number } | null = null;
    let energyWh: number | null = null;
    let energyAt = -Infinity;
    let powerW: number | null = null;
    let powerAt = -Infinity;
    let lastAt: number | null = null;
    let latest: LatestSample = { currentA: null, socPercent: null };
    let latestAt = -Infinity;
    for (const mv of values) {
      const at = parseTime(mv.timestamp, now);
      lastAt = lastAt === null ? at : Math.max(lastAt, at);
      const x = extract(mv.sampledValue);
      const raw = JSON.stringify(mv.sampledValue);
      inserted += insertMeter.run(
        station.id,
        transactionId,
        connectorNumber,
        at,
        raw,
        x.energyWh,
        x.powerW,
        x.currentA[0],
        x.currentA[1],
        x.currentA[2],
        x.socPercent,
        dedupeKey(station.identity, connectorNumber, transactionId, at, raw),
      ).changes;
      if (x.energyWh !== null && at >= energyAt) {
        if (energyWh !== null && x.energyWh < energyWh && !backwards)
          backwards = { fromWh: energyWh, toWh: x.energyWh };
        energyWh = x.energyWh;
        energyAt = at;
      }
      if (x.powerW !== null && at >= powerAt) {
        powerW = x.powerW;
        powerAt = at;
      }
      if (at >= latestAt) {
        const [L1, L2, L3] = x.currentA;
        latest = {
          currentA: L1 === null && L2 === null && L3 === null ? null : { L1, L2, L3 },
          socPercent: x.socPercent,
        };
        latestAt = at;
      }
    }
    return { inserted, energyWh, energyAt, powerW, lastAt, backwards, latest };
  }

  return storeMeterValues;
}
