// The reports' daily rollup (schema/rollups.ts) kept by SQLite triggers: every write to
// `transactions` or `session_accounts` (OCPP's stop, a re-attribution, a change of owner moving
// private-bay sessions, an import, the demo history, the bench generator) updates it in the same
// transaction, whoever makes it, so it can never drift from the sessions. A session counts once
// it is completed with a stop time (ROLLED); its contribution is taken away with the row's old
// values and added with its new ones. A site's time-zone change or a station moving site
// re-sums that site from its sessions.
//
// The local calendar needs the zone's offset at each start: SQLite has no time zones, so
// `sc_local_ms(ms, zone)` is a JS function registered on every connection that writes
// (db/open.ts installRollups; a write from a connection without it fails loudly rather than
// rolling up a wrong day). Same offsets as the totals' SQL (local-time.ts), cached per UTC day.
import type Database from 'better-sqlite3';
import { DateTime } from 'luxon';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** UTC ms → local epoch ms in `zone` (luxon's offset at that moment; cached per UTC day when
 *  the offset is the same all day, i.e. every day but a DST change). */
export function localMsFunction() {
  const days = new Map<string, number | null>();
  const offsetAt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset * 60_000;
  return (ms: number, zone: string): number => {
    const day = Math.floor(ms / DAY_MS);
    const key = `${zone}|${day}`;
    let offset = days.get(key);
    if (offset === undefined) {
      const start = offsetAt(day * DAY_MS, zone);
      offset = start === offsetAt(day * DAY_MS + DAY_MS - 1, zone) ? start : null;
      if (days.size > 100_000) days.clear();
      days.set(key, offset);
    }
    return ms + (offset ?? offsetAt(ms, zone));
  };
}

/** A transaction row that is in the rollup, over the alias `x`. */
const ROLLED = (x: string) =>
  `${x}.status = 'completed' AND ${x}.stopped_at IS NOT NULL AND ${x}.station_id IS NOT NULL`;
const ENERGY = (x: string) => `coalesce(max(0, ${x}.meter_stop_wh - ${x}.meter_start_wh), 0)`;
const OCCUPIED = (x: string) => `max(0, ${x}.stopped_at - ${x}.started_at)`;
const LOCAL = (x: string) => `CAST(sc_local_ms(${x}.started_at, z.time_zone) AS INTEGER)`;
const TX_COLUMNS = [
  'id',
  'station_id',
  'connector_number',
  'id_tag',
  'status',
  'started_at',
  'stopped_at',
  'meter_start_wh',
  'meter_stop_wh',
];

/** `old` or `new` of a transactions trigger as a one-row table. */
const rowOf = (r: 'old' | 'new') =>
  `(SELECT ${TX_COLUMNS.map((c) => `${r}.${c} AS ${c}`).join(', ')})`;

/**
 * The three upserts adding `sign` × the sessions of `source` (a table expression over
 * transaction columns, aliased x) that are ROLLED and match `where`. `account`/`card`: the
 * billed-to expressions (default: the session's session_accounts row). Each statement groups, so
 * the same text rebuilds a whole site (source = transactions) or moves one session.
 */
function upserts(
  source: string,
  sign: 1 | -1,
  where = 'true',
  who = {
    account: '(SELECT sa.account_id FROM session_accounts sa WHERE sa.transaction_id = x.id)',
    card: '(SELECT sa.card_id FROM session_accounts sa WHERE sa.transaction_id = x.id)',
  },
): string[] {
  const from = `FROM ${source} x JOIN stations st ON st.id = x.station_id
    JOIN sites z ON z.id = st.site_id WHERE ${ROLLED('x')} AND ${where}`;
  const s = sign === 1 ? '' : '-';
  return [
    `INSERT INTO session_rollup_outlet_day
       (station_id, connector_number, day, sessions, energy_wh, occupied_ms, last_stop)
     SELECT x.station_id, x.connector_number, ${LOCAL('x')} / ${DAY_MS} AS d, ${s}count(*),
       ${s}sum(${ENERGY('x')}), ${s}sum(${OCCUPIED('x')}), max(x.stopped_at)
     ${from} GROUP BY x.station_id, x.connector_number, d
     ON CONFLICT (station_id, day, connector_number) DO UPDATE SET
       sessions = sessions + excluded.sessions, energy_wh = energy_wh + excluded.energy_wh,
       occupied_ms = occupied_ms + excluded.occupied_ms,
       last_stop = max(last_stop, excluded.last_stop)`,
    `INSERT INTO session_rollup_hour (site_id, day, hour, sessions, energy_wh)
     SELECT st.site_id, ${LOCAL('x')} / ${DAY_MS} AS d, (${LOCAL('x')} % ${DAY_MS}) / ${HOUR_MS} AS h,
       ${s}count(*), ${s}sum(${ENERGY('x')})
     ${from} GROUP BY st.site_id, d, h
     ON CONFLICT (site_id, day, hour) DO UPDATE SET
       sessions = sessions + excluded.sessions, energy_wh = energy_wh + excluded.energy_wh`,
    `INSERT INTO session_rollup_card_month
       (site_id, month, account_id, card_id, id_tag, sessions, energy_wh)
     SELECT st.site_id, strftime('%Y-%m', ${LOCAL('x')} / 1000, 'unixepoch') AS m,
       coalesce(${who.account}, 0) AS a, coalesce(${who.card}, 0) AS c, x.id_tag,
       ${s}count(*), ${s}sum(${ENERGY('x')})
     ${from} GROUP BY st.site_id, m, a, c, x.id_tag
     ON CONFLICT (site_id, month, account_id, card_id, id_tag) DO UPDATE SET
       sessions = sessions + excluded.sessions, energy_wh = energy_wh + excluded.energy_wh`,
  ];
}

/** Re-sums the rollup of sites `sites` (SQL list) and outlets of stations `stations` from their
 *  sessions. */
function resum(sites: string, stations: string): string[] {
  return [
    `DELETE FROM session_rollup_outlet_day WHERE station_id IN (${stations})`,
    `DELETE FROM session_rollup_hour WHERE site_id IN (${sites})`,
    `DELETE FROM session_rollup_card_month WHERE site_id IN (${sites})`,
    ...upserts('transactions', 1, `st.site_id IN (${sites})`).slice(1),
    upserts('transactions', 1, `x.station_id IN (${stations})`)[0] as string,
  ];
}

/** The session `id` is in the rollup (the card statements are no-ops otherwise: a session's
 *  attribution is written at its start, long before its stop). */
const rolledTx = (id: string) =>
  `EXISTS (SELECT 1 FROM transactions x WHERE x.id = ${id} AND ${ROLLED('x')})`;

const body = (statements: string[]) => statements.map((s) => `${s};`).join('\n');

/** The triggers, by name (dropped and created again at every open, so a new build's version
 *  always replaces an older one's). */
function triggers(): Record<string, string> {
  const changed = TX_COLUMNS.filter((c) => c !== 'id').join(', ');
  const tx = (id: string) => `(SELECT * FROM transactions WHERE id = ${id})`;
  const nobody = { account: 'NULL', card: 'NULL' };
  const was = { account: 'old.account_id', card: 'old.card_id' };
  const is = { account: 'new.account_id', card: 'new.card_id' };
  const card = (source: string, sign: 1 | -1, who: { account: string; card: string }) =>
    upserts(source, sign, 'true', who)[2] as string;
  return {
    sc_rollup_tx_insert: `AFTER INSERT ON transactions WHEN ${ROLLED('new')} BEGIN
      ${body(upserts(rowOf('new'), 1))} END`,
    sc_rollup_tx_update: `AFTER UPDATE OF ${changed} ON transactions
      WHEN (${ROLLED('old')}) OR (${ROLLED('new')}) BEGIN
      ${body([...upserts(rowOf('old'), -1), ...upserts(rowOf('new'), 1)])} END`,
    sc_rollup_tx_delete: `AFTER DELETE ON transactions WHEN ${ROLLED('old')} BEGIN
      ${body(upserts(rowOf('old'), -1))} END`,
    sc_rollup_sa_insert: `AFTER INSERT ON session_accounts
      WHEN ${rolledTx('new.transaction_id')} BEGIN
      ${body([card(tx('new.transaction_id'), -1, nobody), card(tx('new.transaction_id'), 1, is)])} END`,
    sc_rollup_sa_update: `AFTER UPDATE OF transaction_id, account_id, card_id ON session_accounts
      WHEN ${rolledTx('old.transaction_id')} OR ${rolledTx('new.transaction_id')} BEGIN
      ${body([card(tx('old.transaction_id'), -1, was), card(tx('new.transaction_id'), 1, is)])} END`,
    sc_rollup_sa_delete: `AFTER DELETE ON session_accounts
      WHEN ${rolledTx('old.transaction_id')} BEGIN
      ${body([card(tx('old.transaction_id'), -1, was), card(tx('old.transaction_id'), 1, nobody)])} END`,
    sc_rollup_site_zone: `AFTER UPDATE OF time_zone ON sites
      WHEN old.time_zone IS NOT new.time_zone BEGIN
      ${body(resum('new.id', 'SELECT id FROM stations WHERE site_id = new.id'))} END`,
    sc_rollup_station_site: `AFTER UPDATE OF site_id ON stations
      WHEN old.site_id IS NOT new.site_id BEGIN
      ${body(resum('old.site_id, new.site_id', 'new.id'))} END`,
  };
}

/** Registers sc_local_ms and (re)creates the triggers; at every open of the database. */
export function installRollups(sqlite: Database.Database): void {
  registerLocalMs(sqlite);
  // An INSERT OR REPLACE that replaces a row must run its DELETE triggers too (SQLite runs them
  // only with recursive triggers on), or the replaced session would stay in the rollup. No
  // trigger here writes a table that has triggers, so nothing recurses.
  sqlite.pragma('recursive_triggers = ON');
  sqlite.transaction(() => createTriggers(sqlite))();
}

function createTriggers(sqlite: Database.Database): void {
  for (const [name, sql] of Object.entries(triggers())) {
    sqlite.exec(`DROP TRIGGER IF EXISTS ${name}`);
    sqlite.exec(`CREATE TRIGGER ${name} ${sql}`);
  }
}

/** sc_local_ms on a connection that writes sessions (installRollups does it for the app's). */
export function registerLocalMs(sqlite: Database.Database): void {
  const local = localMsFunction();
  sqlite.function('sc_local_ms', { deterministic: true }, (ms: unknown, zone: unknown) =>
    typeof ms === 'number' && typeof zone === 'string' ? local(ms, zone) : null,
  );
}

/** The rollup re-summed from every session (the same statements the triggers run), in one
 *  transaction: after a bulk load with the triggers off, and in tests as the reference. */
export function rebuildRollups(sqlite: Database.Database): void {
  sqlite.transaction(() => {
    for (const t of [
      'session_rollup_outlet_day',
      'session_rollup_hour',
      'session_rollup_card_month',
    ]) {
      sqlite.exec(`DELETE FROM ${t}`);
    }
    for (const s of upserts('transactions', 1)) sqlite.exec(s);
  })();
}

/** A bulk load (the benches' generator): the triggers are dropped while `load` runs, the rollup
 *  is summed once afterwards and the triggers come back, in one transaction. Row by row, the
 *  triggers made a million generated sessions about 4x slower to write. */
export function bulkLoad<T>(sqlite: Database.Database, load: () => T): T {
  return sqlite.transaction(() => {
    for (const name of Object.keys(triggers())) sqlite.exec(`DROP TRIGGER IF EXISTS ${name}`);
    const out = load();
    rebuildRollups(sqlite);
    createTriggers(sqlite);
    return out;
  })();
}

/** Runs `copy` (a live restore copying every table, the rollup's own included, from a backup
 *  whose triggers kept its rollup) without the triggers, which would otherwise take away and add
 *  back every session once for nothing (minutes over a million); they are back afterwards. */
export function withoutRollupTriggers<T>(sqlite: Database.Database, copy: () => T): T {
  return sqlite.transaction(() => {
    for (const name of Object.keys(triggers())) sqlite.exec(`DROP TRIGGER IF EXISTS ${name}`);
    const out = copy();
    createTriggers(sqlite);
    return out;
  })();
}
