// Applies the drizzle-kit migrations in src-main/db/migrations. The SQL is embedded in the
// bundle at build time (import.meta.glob), so the packaged app and the headless service need no
// migrations folder on disk, and tests run the very same files.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import journal from './migrations/meta/_journal.json';

const sqlFiles = import.meta.glob<string>('./migrations/*.sql', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export interface Migration {
  tag: string;
  hash: string;
  statements: string[];
}

export function loadMigrations(): Migration[] {
  return journal.entries.map((entry) => {
    const sql = sqlFiles[`./migrations/${entry.tag}.sql`];
    if (sql === undefined) throw new Error(`Migration file missing for ${entry.tag}`);
    return {
      tag: entry.tag,
      hash: migrationHash(sql),
      statements: sql
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    };
  });
}

/** The hash recorded per applied migration; line endings normalised so a CRLF checkout agrees. */
function migrationHash(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * Why this build must not open a database that already has migrations applied, or null when it
 * may. Two cases: a migration this build does not know (written by a newer version), and a
 * migration this build knows by name but with other SQL. Before the first release the schema
 * lives in one regenerated `0000_initial` migration, so a data folder from an older development
 * build has the same tag and a different schema; opening it would fail later, on the first query
 * that touches a missing table ("no such table"), in the middle of serving chargers.
 */
export function schemaMismatch(
  sqlite: Database.Database,
  migrations: readonly Migration[],
): string | null {
  const hasTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__migrations'")
    .get();
  if (!hasTable) return null;
  const applied = sqlite.prepare('SELECT tag, hash FROM __migrations').all() as {
    tag: string;
    hash: string;
  }[];
  const mine = new Map(migrations.map((m) => [m.tag, m.hash]));
  for (const row of applied) {
    const hash = mine.get(row.tag);
    if (hash === undefined) {
      return `it was written by a newer StrataCharge (migration ${row.tag}); install that version or restore a backup`;
    }
    if (hash !== row.hash) {
      return `it was created by a different build of StrataCharge whose database layout differs from this one (migration ${row.tag}); start the build that created it, or move the data folder aside and restore a backup made by this build`;
    }
  }
  return null;
}

/**
 * Applies every migration not yet recorded in `__migrations`, each in its own transaction, so a
 * failing migration leaves the database exactly as it was before that migration.
 * Returns the tags applied. `migrations` is the list `schemaMismatch` checked (load it once:
 * `loadMigrations()` hashes every embedded SQL file).
 */
export function migrate(
  sqlite: Database.Database,
  now: number,
  migrations: readonly Migration[],
): string[] {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS __migrations (
    tag TEXT PRIMARY KEY NOT NULL,
    hash TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const applied = new Set(
    sqlite
      .prepare('SELECT tag FROM __migrations')
      .all()
      .map((row) => (row as { tag: string }).tag),
  );
  const done: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.tag)) continue;
    sqlite.transaction(() => {
      for (const statement of m.statements) sqlite.exec(statement);
      sqlite
        .prepare('INSERT INTO __migrations (tag, hash, applied_at) VALUES (?, ?, ?)')
        .run(m.tag, m.hash, now);
    })();
    done.push(m.tag);
  }
  return done;
}
