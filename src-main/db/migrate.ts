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
      hash: createHash('sha256').update(sql).digest('hex'),
      statements: sql
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    };
  });
}

/**
 * Applies every migration not yet recorded in `__migrations`, each in its own transaction, so a
 * failing migration leaves the database exactly as it was before that migration.
 * Returns the tags applied.
 */
export function migrate(sqlite: Database.Database, now: number): string[] {
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
  for (const m of loadMigrations()) {
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

/** Migrations known to this build, newest last; used to refuse a database from a newer version. */
export function knownMigrationTags(): string[] {
  return journal.entries.map((e) => e.tag);
}
