// Backup files on disk: naming, listing, validating, and the offline restore used by the CLI
// (`--restore <file>`) while the service is stopped. No service state here.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import Database from 'better-sqlite3';
import type { Backup } from '../../src-shared/model';
import { loadMigrations, schemaMismatch, type Migration } from '../db/migrate';
import { carryOverOffline } from './carry-over';

export type BackupKind = Backup['kind'];
export const DB_FILE_NAME = 'stratacharge.db';

export const backupsDir = (dataDir: string) => join(dataDir, 'backups');
export const databaseFile = (dataDir: string) => join(dataDir, DB_FILE_NAME);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * `stratacharge-YYYYMMDD-HHMMSS-<kind>[-n].db`, in the machine's local time: the people who
 * browse this folder (and the daily schedule) think in local time. `-n` separates backups taken
 * within the same second.
 */
const NAME =
  /^stratacharge-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(scheduled|manual|pre-restore)(?:-(\d+))?\.db$/;

export function backupStamp(now: number): string {
  const d = new Date(now);
  return (
    `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-` +
    `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`
  );
}

export function newBackupName(dataDir: string, now: number, kind: BackupKind): string {
  const base = `stratacharge-${backupStamp(now)}-${kind}`;
  let name = `${base}.db`;
  for (let n = 2; existsSync(join(backupsDir(dataDir), name)); n++) name = `${base}-${n}.db`;
  return name;
}

export function parseBackupName(
  name: string,
): { createdAt: number; kind: BackupKind; seq: number } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, kind, seq] = m;
  const createdAt = new Date(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
  ).getTime();
  return { createdAt, kind: kind as BackupKind, seq: seq ? Number(seq) : 1 };
}

/** Backups in `<dataDir>/backups`, newest first. */
export function listBackupFiles(dataDir: string): Backup[] {
  const dir = backupsDir(dataDir);
  if (!existsSync(dir)) return [];
  const out: (Backup & { seq: number })[] = [];
  for (const fileName of readdirSync(dir)) {
    const parsed = parseBackupName(fileName);
    if (!parsed) continue;
    try {
      const st = statSync(join(dir, fileName));
      if (!st.isFile()) continue;
      out.push({
        fileName,
        sizeBytes: st.size,
        createdAt: parsed.createdAt,
        kind: parsed.kind,
        seq: parsed.seq,
      });
    } catch {
      // Deleted while listing.
    }
  }
  out.sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  return out.map(({ seq: _seq, ...b }) => b);
}

export function newestBackup(dataDir: string): Backup | null {
  return listBackupFiles(dataDir)[0] ?? null;
}

export class BackupFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupFileError';
  }
}

/**
 * A backup file name as the API receives it: a bare file name inside the backups folder, so a
 * caller cannot make the service read (or overwrite from) an arbitrary path.
 */
export function resolveBackupName(dataDir: string, fileName: string): string {
  if (/[/\\]/.test(fileName) || fileName.includes('..') || fileName.startsWith('.')) {
    throw new BackupFileError(
      'Give the backup’s file name only (no folders): it must be in the backups folder.',
    );
  }
  const path = join(backupsDir(dataDir), fileName);
  if (!existsSync(path)) throw new BackupFileError(`There is no backup named ${fileName}.`);
  return path;
}

export interface ValidateOptions {
  nativeBinding?: string;
  /** Bring an older backup's schema up to date (the file is modified: pass a copy). */
  migrate?: (sqlite: Database.Database, migrations: readonly Migration[]) => void;
  /** The name to use in messages (when validating a scratch copy). */
  label?: string;
}

/**
 * Checks that a file is a healthy StrataCharge database: SQLite, quick_check ok, and a
 * `__migrations` table whose tags this build knows (a backup from a newer version is refused).
 */
export function validateDatabaseFile(file: string, opts: ValidateOptions = {}): void {
  let sqlite: Database.Database | null = null;
  const name = opts.label ?? basename(file);
  try {
    sqlite = new Database(file, {
      // Not readonly: a read-only connection cannot open a WAL-mode file without its -shm.
      fileMustExist: true,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
    const check = sqlite.pragma('quick_check', { simple: true });
    if (check !== 'ok')
      throw new BackupFileError(`${name} is damaged (integrity check: ${String(check)}).`);
    const hasMigrations = sqlite
      .prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__migrations'")
      .get();
    if (!hasMigrations)
      throw new BackupFileError(`${name} is an SQLite file but not a StrataCharge database.`);
    const tags = sqlite.prepare('SELECT tag FROM __migrations').all();
    if (tags.length === 0)
      throw new BackupFileError(`${name} is not a StrataCharge database (no schema).`);
    const migrations = loadMigrations();
    const mismatch = schemaMismatch(sqlite, migrations);
    if (mismatch !== null) throw new BackupFileError(`${name} cannot be used: ${mismatch}.`);
    opts.migrate?.(sqlite, migrations);
  } catch (cause) {
    if (cause instanceof BackupFileError) throw cause;
    const message = (cause as Error).message;
    if (/not a database|malformed|file is encrypted|corrupt/i.test(message)) {
      throw new BackupFileError(
        `${name} is not a StrataCharge database (not a readable SQLite file).`,
      );
    }
    throw new BackupFileError(`${name} cannot be read: ${message}`);
  } finally {
    sqlite?.close();
  }
}

/** Deletes an SQLite file with its WAL and shared-memory side files. */
export function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

/** A scratch path next to the backups (same file system, so copies and renames are cheap). */
export function scratchFile(dataDir: string, what: 'partial' | 'restore'): string {
  mkdirSync(backupsDir(dataDir), { recursive: true });
  return join(backupsDir(dataDir), `.${what}-${randomBytes(6).toString('hex')}.db`);
}

/** scratchFile()'s names, with SQLite's side files: nothing else in backups/ looks like this. */
const SCRATCH = /^\.(partial|restore)-[0-9a-f]{12}\.db(-wal|-shm|-journal)?$/;

/**
 * Deletes scratch files a killed process left behind (a SIGKILL or power cut during a backup or
 * restore): called at start-up, before anything of this process writes one. Real backups and
 * files the program did not name are left alone. Returns the names removed.
 */
export function removeScratchFiles(dataDir: string): string[] {
  const dir = backupsDir(dataDir);
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!SCRATCH.test(name)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function osUserName(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null; // no passwd entry (some containers)
  }
}

export interface OfflineRestoreResult {
  restoredFrom: string;
  /** The pre-restore backup of the old database, when it was readable. */
  preRestoreBackup: string | null;
  /** Where an unreadable old database was moved to (kept for forensics). */
  movedAside: string | null;
}

/**
 * Replaces the database file with a backup while the service is STOPPED (the `--restore` flag).
 * `file` is a backup's file name in `<dataDir>/backups` or a path to a database file. The current
 * database is first backed up as 'pre-restore' if it can be read, else moved aside.
 */
export async function restoreBackupFile(
  dataDir: string,
  file: string,
  opts: { now: number; nativeBinding?: string },
): Promise<OfflineRestoreResult> {
  const source = /[/\\]/.test(file) ? resolve(file) : join(backupsDir(dataDir), file);
  if (!existsSync(source)) throw new BackupFileError(`There is no file ${source}.`);
  validateDatabaseFile(source, { nativeBinding: opts.nativeBinding });
  mkdirSync(backupsDir(dataDir), { recursive: true });
  const live = databaseFile(dataDir);
  let preRestoreBackup: string | null = null;
  let movedAside: string | null = null;
  if (existsSync(live)) {
    try {
      validateDatabaseFile(live, { nativeBinding: opts.nativeBinding });
      const name = newBackupName(dataDir, opts.now, 'pre-restore');
      const db = new Database(
        live,
        opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {},
      );
      // Via a scratch name, like the online backups: a kill meanwhile must not leave a half
      // file that is listed (and offered for restore) as a backup.
      const partial = scratchFile(dataDir, 'partial');
      try {
        await db.backup(partial);
        renameSync(partial, join(backupsDir(dataDir), name));
      } finally {
        db.close();
        removeDatabaseFiles(partial);
      }
      preRestoreBackup = name;
    } catch (cause) {
      if (!(cause instanceof BackupFileError)) throw cause;
      // Unreadable: keep it aside (not in backups/, so it is never offered as a backup).
      movedAside = `${live}.damaged-${backupStamp(opts.now)}`;
      renameSync(live, movedAside);
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(live + suffix)) renameSync(live + suffix, movedAside + suffix);
      }
    }
  }
  // Copied next to it first and renamed over it: a kill meanwhile leaves either the old file or
  // the restored one (and a scratch file the next start removes), never half a database.
  const copy = scratchFile(dataDir, 'restore');
  try {
    copyFileSync(source, copy);
    carryOverOffline(
      copy,
      preRestoreBackup ? join(backupsDir(dataDir), preRestoreBackup) : movedAside,
      {
        now: opts.now,
        file: basename(source),
        preRestoreBackup,
        movedAside,
        osUser: osUserName(),
      },
      opts.nativeBinding,
    );
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(live + suffix, { force: true });
    renameSync(copy, live);
  } finally {
    removeDatabaseFiles(copy);
  }
  return { restoredFrom: source, preRestoreBackup, movedAside };
}
