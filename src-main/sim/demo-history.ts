// A few months of plausible charging history for the demo building, so the reports, the sessions
// list and (later) billing have something to show on first start: residents plug in on weekday
// evenings (a peak around 18:00-19:30 local time) and leave next morning, less often and at other
// hours at weekends; each car takes what its battery needs (varied kWh) at its charger's rate,
// then idles plugged in (occupancy); a visitor uses the visitor bay now and then, free.
// Sessions and their meter samples are written as the OCPP layer stores them (transactions,
// meter_values with the sampled values as a charger sends them, session_accounts), in one
// transaction with prepared statements: about 20,000 rows in well under a second.
import { DateTime } from 'luxon';
import type { Core } from '../core';

/** Days of history before today. */
export const DEMO_HISTORY_DAYS = 90;
/** One sample every this often while plugged in (a history at 15 s would be 100× the rows). */
const SAMPLE_MS = 10 * 60_000;
const VOLTS = 230;

/** Who charges where: the lot's card and its usual bay (lot 1 has the private bay). */
const HABITS = [
  { lot: '1', bay: 'DEMO-B2-02', connector: 1, weekday: 0.8, weekend: 0.35, kwh: [14, 30] },
  { lot: '2', bay: 'DEMO-B1-01', connector: 1, weekday: 0.65, weekend: 0.4, kwh: [8, 22] },
  { lot: '3', bay: 'DEMO-B1-01', connector: 2, weekday: 0.5, weekend: 0.25, kwh: [18, 45] },
  { lot: '4', bay: 'DEMO-B1-02', connector: 1, weekday: 0.7, weekend: 0.15, kwh: [6, 16] },
  { lot: '5', bay: 'DEMO-B2-01', connector: 1, weekday: 0.45, weekend: 0.5, kwh: [10, 35] },
] as const;
const VISITOR_BAY = 'DEMO-B2-03';

/** A small seeded generator: the same history on every machine (screenshots, tests). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Bay {
  stationId: number;
  identity: string;
  phases: 1 | 3;
  maxA: number;
  registerWh: number;
}

/**
 * Writes the history unless the demo site has sessions older than a day already (a restart of
 * `--demo` keeps what is there). Returns how many sessions it wrote.
 */
export function seedDemoHistory(core: Core, siteId: number, now: number, zone: string): number {
  const sqlite = core.services.db.$client;
  const { accounts, cards } = core.services.residents;
  const old = sqlite
    .prepare(
      `SELECT COUNT(*) AS n FROM transactions t JOIN stations s ON s.id = t.station_id
        WHERE s.site_id = ? AND t.started_at < ?`,
    )
    .get(siteId, now - 86_400_000) as { n: number };
  if (old.n > 0) return 0;

  const stationRows = sqlite
    .prepare(`SELECT id, identity, phases, max_current_a AS maxA FROM stations WHERE site_id = ?`)
    .all(siteId) as { id: number; identity: string; phases: string; maxA: number }[];
  const bays = new Map<string, Bay>();
  const bay = (identity: string, connector: number): Bay | null => {
    const key = `${identity}#${connector}`;
    const known = bays.get(key);
    if (known) return known;
    const s = stationRows.find((r) => r.identity === identity);
    if (!s) return null;
    const b: Bay = {
      stationId: s.id,
      identity,
      phases: s.phases === 'three' ? 3 : 1,
      maxA: s.maxA,
      registerWh: 250_000 + connector * 40_000,
    };
    bays.set(key, b);
    return b;
  };

  const insertTx = sqlite.prepare(
    `INSERT INTO transactions (station_id, identity, connector_number, id_tag, status, started_at,
       stopped_at, meter_start_wh, meter_stop_wh, meter_last_wh, stop_reason, last_message_at)
     VALUES (?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAccount = sqlite.prepare(
    `INSERT INTO session_accounts (transaction_id, account_id, card_id, via, free)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const insertSample = sqlite.prepare(
    `INSERT INTO meter_values (station_id, transaction_id, connector_number, timestamp,
       sampled_values, energy_wh, power_w, current_l1_a, current_l2_a, current_l3_a, soc_percent,
       dedupe_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
  );

  const rand = random(20_260_301);
  const between = (lo: number, hi: number) => lo + (hi - lo) * rand();

  /** One session: charges `wh` at `watts`, then stays plugged in idle until `leave`. */
  function charge(
    b: Bay,
    connector: number,
    idTag: string,
    arrive: number,
    leave: number,
    wh: number,
    who: { accountId: number | null; cardId: number | null; via: string; free: boolean },
  ): void {
    // The car's on-board charger limits the rate: 7.4 kW single phase, 11 kW on three phases.
    const amps = Math.min(b.maxA, b.phases === 3 ? 16 : 32);
    const watts = amps * VOLTS * b.phases;
    const full = arrive + Math.round((wh / watts) * 3_600_000);
    const meterStart = b.registerWh;
    const delivered = Math.min(wh, Math.round((watts * (leave - arrive)) / 3_600_000));
    const meterStop = meterStart + delivered;
    const reason = rand() < 0.85 ? 'EVDisconnected' : 'Local';
    const txId = Number(
      insertTx.run(
        b.stationId,
        b.identity,
        connector,
        idTag,
        arrive,
        leave,
        meterStart,
        meterStop,
        meterStop,
        reason,
        leave,
      ).lastInsertRowid,
    );
    insertAccount.run(txId, who.accountId, who.cardId, who.via, who.free ? 1 : 0);
    for (let t = arrive; t <= leave; t += SAMPLE_MS) {
      const last = t + SAMPLE_MS > leave;
      const at = last ? leave : t;
      const charging = at < full && !last;
      // A little ripple, and the taper of the last minutes before the battery is full.
      const taper = charging && full - at < 20 * 60_000 ? 0.6 : 1;
      const a = charging ? Math.round(amps * taper * between(0.96, 1) * 10) / 10 : 0;
      const w = Math.round(a * VOLTS * b.phases);
      const register =
        meterStart +
        Math.min(delivered, Math.round((watts * (Math.min(at, full) - arrive)) / 3_600_000));
      const phases = b.phases === 3 ? ['L1', 'L2', 'L3'] : ['L1'];
      const context = last
        ? 'Transaction.End'
        : t === arrive
          ? 'Transaction.Begin'
          : 'Sample.Periodic';
      const sampled = [
        {
          value: String(register),
          unit: 'Wh',
          context,
          measurand: 'Energy.Active.Import.Register',
          location: 'Outlet',
        },
        { value: String(w), unit: 'W', context, measurand: 'Power.Active.Import' },
        ...phases.map((phase) => ({
          value: a.toFixed(1),
          unit: 'A',
          context,
          measurand: 'Current.Import',
          phase,
        })),
        ...phases.map((phase) => ({
          value: '230.0',
          unit: 'V',
          context,
          measurand: 'Voltage',
          phase: `${phase}-N`,
        })),
      ];
      insertSample.run(
        b.stationId,
        txId,
        connector,
        at,
        JSON.stringify(sampled),
        register,
        w,
        a,
        b.phases === 3 ? a : null,
        b.phases === 3 ? a : null,
        `demo-history:${txId}:${at}`,
      );
    }
    b.registerWh = meterStop;
  }

  /** Each lot's account and active card (the demo's lots do not change hands). */
  const owners = new Map(
    HABITS.map((h) => {
      const account = accounts.ownerAt(siteId, h.lot, now);
      const card = account
        ? cards.list({ accountIds: [account.id] }, now).find((c) => c.status === 'active')
        : undefined;
      return [h.lot, account && card ? { accountId: account.id, card } : null] as const;
    }),
  );

  let sessions = 0;
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  sqlite.transaction(() => {
    for (let d = DEMO_HISTORY_DAYS; d >= 1; d--) {
      const day = today.minus({ days: d });
      const weekend = day.weekday >= 6;
      for (const h of HABITS) {
        if (rand() > (weekend ? h.weekend : h.weekday)) continue;
        const b = bay(h.bay, h.connector);
        const owner = owners.get(h.lot);
        if (!b || !owner) continue;
        // Weekdays: home from work, 17:00-21:00 (most around 18:00-19:30); out by 07:00-08:30.
        // Weekends: any time from 09:00 to 20:00, for two to six hours.
        const arriveHour = weekend
          ? between(9, 20)
          : 17 + Math.min(4, Math.abs(between(0, 1.6) + between(0, 1.6) - 0.3));
        const arrive = day.plus({ minutes: Math.round(arriveHour * 60) }).toMillis();
        const leave = weekend
          ? arrive + Math.round(between(2, 6) * 3_600_000)
          : day.plus({ days: 1, minutes: Math.round(between(7, 8.5) * 60) }).toMillis();
        if (leave > now - 3_600_000) continue;
        const wh = Math.round(between(h.kwh[0], h.kwh[1]) * 1000);
        const who = { accountId: owner.accountId, cardId: owner.card.id, via: 'card', free: false };
        charge(b, h.connector, owner.card.idTag, arrive, leave, wh, who);
        sessions++;
      }
      // A visitor on some Saturdays and Sundays, for an afternoon, free of charge.
      const visitor = bay(VISITOR_BAY, 1);
      if (visitor && weekend && rand() < 0.5) {
        const arrive = day.plus({ minutes: Math.round(between(11, 16) * 60) }).toMillis();
        const leave = arrive + Math.round(between(1.5, 4) * 3_600_000);
        if (leave < now - 3_600_000) {
          const tag = `VISITOR-${(1000 + Math.floor(rand() * 9000)).toString(16).toUpperCase()}`;
          const wh = Math.round(between(4, 15) * 1000);
          charge(visitor, 1, tag, arrive, leave, wh, {
            accountId: null,
            cardId: null,
            via: 'visitor-bay',
            free: true,
          });
          sessions++;
        }
      }
    }
  })();
  return sessions;
}
