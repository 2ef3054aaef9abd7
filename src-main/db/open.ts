import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema';
import { loadMigrations, migrate, schemaMismatch } from './migrate';
import { installRollups } from '../reports/rollup';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export class DatabaseOpenError extends Error {
  constructor(
    message: string,
    readonly kind: 'corrupt' | 'incompatible' | 'io',
  ) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

export interface OpenOptions {
  file: string;
  now: number;
  /** Path to a better-sqlite3 binary built for Electron (the desktop app passes it). */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) the SQLite database: WAL, foreign keys on, integrity checked,
 * migrations applied. Throws DatabaseOpenError with a message fit for the user.
 */
export function openDatabase(opts: OpenOptions): Db {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(
      opts.file,
      opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {},
    );
  } catch (cause) {
    throw new DatabaseOpenError(
      `Cannot open the database ${opts.file}: ${(cause as Error).message}`,
      'io',
    );
  }
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // 32 MiB of page cache (the default is 2 MiB). Also the sorter's memory before it spills to
    // a temp file: a quarter's GROUP BY over 1,000,000 sessions took 200-280 ms spilling, about
    // 70-110 ms in memory (docs/benchmarks.md "Reports").
    sqlite.pragma('cache_size = -32000');
    // FULL: every COMMIT fsyncs the WAL before it returns. With NORMAL a power cut or OS crash
    // can roll back the last commits (SQLite's documentation). The OCPP group commit, the hot
    // path, commits with NORMAL and fsyncs the WAL off the event loop before it answers
    // (ocpp/store.ts); "last seen" flushes skip the sync. The message log is a separate file
    // and stays NORMAL (diagnostic).
    sqlite.pragma('synchronous = FULL');
    const check = sqlite.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw new DatabaseOpenError(`integrity check failed: ${String(check)}`, 'corrupt');
    }
    // Loaded (and hashed) once for both the check and the migration.
    const migrations = loadMigrations();
    const mismatch = schemaMismatch(sqlite, migrations);
    if (mismatch !== null) {
      throw new DatabaseOpenError(
        `Cannot open the database ${opts.file}: ${mismatch}.`,
        'incompatible',
      );
    }
    migrate(sqlite, opts.now, migrations);
    // The reports' daily rollup follows every session write through triggers (reports/rollup.ts).
    installRollups(sqlite);
  } catch (cause) {
    sqlite.close();
    if (cause instanceof DatabaseOpenError) throw cause;
    const message = (cause as Error).message;
    const corrupt = /malformed|not a database|corrupt/i.test(message);
    throw new DatabaseOpenError(message, corrupt ? 'corrupt' : 'io');
  }
  return drizzle({ client: sqlite, schema, casing: 'snake_case' }) as Db;
}
