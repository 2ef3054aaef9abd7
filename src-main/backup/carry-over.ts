// What a restore carries over from the data it replaces, live (backup/service.ts) and offline
// (backup/files.ts): the audit trail and the id counters. Both work on one SQLite connection
// with the two databases attached under schema names.
//
// The audit trail is a record of what people did to this installation, not state to roll
// back: a restore that erased the entries written since the backup would erase the record of
// who did what (and of the restore itself). It stays in the main database (so audit-list and
// audit-export query it with the rest, and each entry is written in the same file as the
// change it records); a restore merges the two trails instead of replacing one with the other.
//
// Id counters only move forward: stations, transactions, reservations created after the backup
// have ids that the chargers, the message log (a separate file a restore leaves alone), files
// on disk and open browser tabs still hold. Handing those ids out again would attribute them to
// new rows (a charger's old transactionId matching a new transaction, the message log of a
// vanished station shown under a new one).
import Database from 'better-sqlite3';

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function columns(sqlite: Database.Database, schema: string, table: string): string[] {
  return (
    sqlite.prepare(`PRAGMA ${q(schema)}.table_info(${q(table)})`).all() as { name: string }[]
  ).map((c) => c.name);
}

function hasTable(sqlite: Database.Database, schema: string, table: string): boolean {
  return (
    sqlite
      .prepare(`SELECT 1 FROM ${q(schema)}.sqlite_master WHERE type = 'table' AND name = ?`)
      .get(table) !== undefined
  );
}

/**
 * Adds to `into`.audit_log the entries of `from`.audit_log it lacks. An entry with the same id,
 * time and method is the same entry (both files descend from one database); an entry whose id
 * is taken by a different one (a database from another installation) is added with a new id.
 * Returns the number of entries added.
 */
export function mergeAuditTrail(sqlite: Database.Database, into: string, from: string): number {
  if (!hasTable(sqlite, into, 'audit_log') || !hasTable(sqlite, from, 'audit_log')) return 0;
  const fromCols = new Set(columns(sqlite, from, 'audit_log'));
  const shared = columns(sqlite, into, 'audit_log').filter((c) => fromCols.has(c));
  const withId = shared.map(q).join(', ');
  const withoutId = shared
    .filter((c) => c !== 'id')
    .map(q)
    .join(', ');
  const I = `${q(into)}.audit_log`;
  const F = `${q(from)}.audit_log`;
  // Different entries under one id first (while the free ids are still free), then the rest.
  const clashing = sqlite
    .prepare(
      `INSERT INTO ${I} (${withoutId}) SELECT ${withoutId} FROM ${F} f
       WHERE EXISTS (SELECT 1 FROM ${I} i WHERE i.id = f.id AND (i.at <> f.at OR i.method <> f.method))
       ORDER BY f.id`,
    )
    .run().changes;
  const missing = sqlite
    .prepare(
      `INSERT INTO ${I} (${withId}) SELECT ${withId} FROM ${F} f
       WHERE NOT EXISTS (SELECT 1 FROM ${I} i WHERE i.id = f.id) ORDER BY f.id`,
    )
    .run().changes;
  return clashing + missing;
}

/**
 * Moves `into`'s AUTOINCREMENT counters up to `from`'s where those are ahead, for the tables
 * `into` has: no id `from` ever handed out is handed out again.
 */
export function keepIdsAhead(sqlite: Database.Database, into: string, from: string): void {
  if (!hasTable(sqlite, from, 'sqlite_sequence')) return;
  const previous = sqlite.prepare(`SELECT name, seq FROM ${q(from)}.sqlite_sequence`).all() as {
    name: string;
    seq: number;
  }[];
  if (previous.length === 0) return;
  // sqlite_sequence exists once any AUTOINCREMENT table does (a schema has several).
  if (!hasTable(sqlite, into, 'sqlite_sequence')) return;
  const S = `${q(into)}.sqlite_sequence`;
  const current = sqlite.prepare(`SELECT seq FROM ${S} WHERE name = ?`);
  const raise = sqlite.prepare(`UPDATE ${S} SET seq = ? WHERE name = ? AND seq < ?`);
  const add = sqlite.prepare(`INSERT INTO ${S} (name, seq) VALUES (?, ?)`);
  for (const { name, seq } of previous) {
    if (!hasTable(sqlite, into, name)) continue;
    if (current.get(name) === undefined) add.run(name, seq);
    else raise.run(seq, name, seq);
  }
}

export interface OfflineRestoreRecord {
  now: number;
  /** The file restored, as the operator named it. */
  file: string;
  preRestoreBackup: string | null;
  movedAside: string | null;
  /** The operating-system account that ran the command (the "who" of a command-line restore). */
  osUser: string | null;
}

/**
 * The offline restore's carry-over (`--restore`, service stopped), applied to the restored copy
 * before it replaces the database: the previous data's audit trail and id counters, and an
 * audit entry for the restore itself. `previous` is the pre-restore backup (or the damaged
 * file moved aside: read on a best-effort basis, the restore goes ahead without it).
 */
export function carryOverOffline(
  copy: string,
  previous: string | null,
  record: OfflineRestoreRecord,
  nativeBinding?: string,
): void {
  const sqlite = new Database(copy, nativeBinding ? { nativeBinding } : {});
  try {
    let carried = false;
    if (previous) {
      try {
        // ATTACH cannot run inside a transaction.
        sqlite.prepare('ATTACH DATABASE ? AS previous').run(previous);
        try {
          sqlite.transaction(() => {
            keepIdsAhead(sqlite, 'main', 'previous');
            mergeAuditTrail(sqlite, 'main', 'previous');
          })();
          carried = true;
        } finally {
          sqlite.prepare('DETACH DATABASE previous').run();
        }
      } catch {
        // A damaged previous database: its trail is lost with it (the entry below says so).
      }
    }
    sqlite
      .prepare(
        `INSERT INTO audit_log (at, user_id, user_email, method, entity, entity_id, site_id, input, "before", "after", outcome)
         VALUES (?, NULL, NULL, 'backup-restore', 'backup', ?, NULL, ?, NULL, ?, 'ok')`,
      )
      .run(
        record.now,
        record.file,
        JSON.stringify({
          fileName: record.file,
          via: 'command line (--restore)',
          osUser: record.osUser,
        }),
        JSON.stringify({
          restored: record.file,
          preRestoreBackup: record.preRestoreBackup,
          movedAside: record.movedAside,
          previousAuditKept: carried,
        }),
      );
  } finally {
    sqlite.close();
  }
}
