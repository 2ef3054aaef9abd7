// A data folder written by another build must be refused when it is opened, with words that say
// what to do, not fail later on the first query that meets a missing table.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BackupFileError, validateDatabaseFile } from '../../../src-main/backup/files';
import { loadMigrations, migrate, schemaMismatch } from '../../../src-main/db/migrate';
import { DatabaseOpenError, openDatabase } from '../../../src-main/db/open';

function freshDatabase(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sc-schema-')), 'stratacharge.db');
  openDatabase({ file, now: 0 }).$client.close();
  return file;
}

function tamper(file: string, sql: string): void {
  const raw = new Database(file);
  raw.exec(sql);
  raw.close();
}

function openError(file: string): DatabaseOpenError {
  try {
    openDatabase({ file, now: 0 }).$client.close();
  } catch (cause) {
    if (cause instanceof DatabaseOpenError) return cause;
    throw cause;
  }
  throw new Error('the database opened');
}

describe('a database from another build', () => {
  it('opens again when it was written by this build', () => {
    const file = freshDatabase();
    const db = openDatabase({ file, now: 0 });
    expect(db.$client.prepare('SELECT count(*) AS n FROM __migrations').get()).toEqual({ n: 1 });
    db.$client.close();
  });

  it('is refused at open, naming the cause, when its schema differs under the same migration name', () => {
    const file = freshDatabase();
    // An older development build: same migration tag, other SQL, and a table this build has
    // that the older one lacked.
    tamper(file, "UPDATE __migrations SET hash = 'older-build'; DROP TABLE user_preferences;");
    const error = openError(file);
    expect(error.kind).toBe('incompatible');
    expect(error.message).toMatch(/different build of StrataCharge/);
    expect(error.message).toContain(file);
    // Nothing was changed: the old folder is still there for the build that made it.
    const raw = new Database(file);
    expect(raw.prepare('SELECT hash FROM __migrations').get()).toEqual({ hash: 'older-build' });
    raw.close();
  });

  it('is refused when a newer version added a migration this build does not know', () => {
    const file = freshDatabase();
    tamper(file, "INSERT INTO __migrations (tag, hash, applied_at) VALUES ('0001_future', 'x', 0)");
    const error = openError(file);
    expect(error.kind).toBe('incompatible');
    expect(error.message).toMatch(/newer StrataCharge \(migration 0001_future\)/);
  });

  it('is refused as a backup to restore, with the same reason', () => {
    const file = freshDatabase();
    tamper(file, "UPDATE __migrations SET hash = 'older-build'");
    expect(() => validateDatabaseFile(file)).toThrow(BackupFileError);
    expect(() => validateDatabaseFile(file)).toThrow(/different build of StrataCharge/);
  });
});

describe('the embedded migrations', () => {
  it('are loaded once and the same list is both checked and applied', () => {
    const file = freshDatabase();
    const raw = new Database(file);
    const shipped = loadMigrations();
    const later = [
      ...shipped,
      { tag: '0001_probe', hash: 'h1', statements: ['CREATE TABLE probe_later (id INTEGER)'] },
    ];
    // The list given is the one applied: only the migration the file lacks runs.
    expect(schemaMismatch(raw, later)).toBeNull();
    expect(migrate(raw, 0, later)).toEqual(['0001_probe']);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'probe_later'").get()).toEqual({
      name: 'probe_later',
    });
    // ...and the list given is the one checked: the shipped list alone does not know 0001_probe.
    expect(schemaMismatch(raw, shipped)).toMatch(/newer StrataCharge \(migration 0001_probe\)/);
    raw.close();
  });
});
