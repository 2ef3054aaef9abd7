// Online backups (better-sqlite3's backup API, safe while the service writes), the daily
// schedule with retention (a job on the scheduler: the injected clock, the first site's zone),
// and the live restore that swaps the data inside the open connection.
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { ApiFailure } from '../../src-shared/api/result';
import type { Backup } from '../../src-shared/model';
import type { Db } from '../db/open';
import { migrate } from '../db/migrate';
import { settings, sites } from '../db/schema';
import { latestSlot, nextSlot } from '../platform/schedule';
import type { Clock } from '../platform/clock';
import type { DomainEvents } from '../platform/domain-events';
import type { Scheduler } from '../platform/scheduler';
import type { Logger } from '../platform/logger';
import { withoutRollupTriggers } from '../reports/rollup';
import type { RestoreHooks } from '../platform/restore-hooks';
import { keepIdsAhead, mergeAuditTrail } from './carry-over';
import {
  BackupFileError,
  backupsDir,
  listBackupFiles,
  newBackupName,
  removeDatabaseFiles,
  resolveBackupName,
  scratchFile,
  validateDatabaseFile,
  type BackupKind,
} from './files';

const SETTINGS_KEY = 'backup.schedule';
const scheduleSchema = z.object({
  enabled: z.boolean(),
  hour: z.number().int().min(0).max(23),
  keep: z.number().int().min(1).max(365),
});
export type BackupSchedule = z.infer<typeof scheduleSchema>;
export const DEFAULT_SCHEDULE: BackupSchedule = { enabled: true, hour: 2, keep: 14 };

/**
 * Tables whose live rows survive a restore: restoring yesterday's sessions would log in people
 * who have since logged out, and throttling state and the scheduler's record of what it last
 * ran are about now, not then (a restored one would make a job run again after a restart). The
 * mail outbox is a record of what was sent: a restored one would send again what went out since
 * the backup (an invoice twice) and drop what was queued since.
 */
const KEEP_LIVE = new Set([
  'auth_sessions',
  'login_failures',
  'scheduled_jobs',
  'mail_outbox',
  'mail_attachments',
  // What the chargers may draw now (profiles they hold), not what they held at backup time.
  'balancing_ledger',
  'balancing_chargers',
  // Invoice numbers never move back: a restore must not hand out a number already on an
  // invoice sent since the backup (a gap is explainable, a duplicate tax invoice is not).
  'invoice_sequences',
  '__migrations',
]);
/** Tables whose live and restored rows are merged: the audit trail (see carry-over.ts). */
const MERGED = new Set(['audit_log']);

export type BackupService = ReturnType<typeof createBackupService>;

/**
 * The latest time at or before `now` when the daily backup was due: `hour`:00 wall-clock time in
 * `zone` (a time skipped by a daylight-saving jump is due at the jump, like the scheduler).
 */
export function lastDueAt(hour: number, zone: string, now: number): number {
  const schedule = { daily: `${String(hour).padStart(2, '0')}:00`, zone };
  // A slot certainly before now (a day holds one, two days cover any DST jump), then forward.
  const start = nextSlot(schedule, now - 3 * 86_400_000);
  return latestSlot(schedule, start, now).slot;
}

export function createBackupService(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  nativeBinding?: string;
  /** Run around the swap: every part of the core with state derived from the data. */
  hooks: RestoreHooks;
  /** Runs the daily backup at its hour (start()). */
  scheduler: Scheduler;
  /** Publishes backup.completed / backup.failed (the alarms watch them); site.changed: the
   *  first site's zone decides the backup's hour. */
  domainEvents: DomainEvents;
}) {
  const { db, clock, logger, dataDir } = deps;
  const sqlite = db.$client;
  let started = false;
  let removeJob: (() => void) | null = null;
  let unsubscribe: (() => void) | null = null;
  /** The schedule the job was added with ('off': none), so an unchanged one is left alone. */
  let jobKey = 'off';
  let inFlight: Promise<unknown> = Promise.resolve();

  function getSettings(): BackupSchedule {
    const row = db.select().from(settings).where(eq(settings.key, SETTINGS_KEY)).get();
    if (!row) return DEFAULT_SCHEDULE;
    let value: unknown;
    try {
      value = JSON.parse(row.value);
    } catch {
      // A hand-edited or damaged value: the defaults, like a value of the wrong shape.
      return DEFAULT_SCHEDULE;
    }
    const parsed = scheduleSchema.safeParse(value);
    return parsed.success ? parsed.data : DEFAULT_SCHEDULE;
  }

  /**
   * The zone the daily backup time is in: the first site's (the building's; the service's
   * machine often runs in UTC), or the machine's before setup has created a site.
   */
  function timeZone(): string {
    const first = db
      .select({ timeZone: sites.timeZone })
      .from(sites)
      .orderBy(asc(sites.id))
      .limit(1)
      .get();
    return first?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  function updateSettings(s: BackupSchedule): BackupSchedule {
    const value = JSON.stringify(s);
    const now = clock.now();
    db.insert(settings)
      .values({ key: SETTINGS_KEY, value, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
      .run();
    syncJob();
    return s;
  }

  /**
   * The scheduler job 'backup.daily' at `hour`:00 in the first site's zone, re-added when the
   * settings, that zone or the data (a restore) change it. The scheduler keeps its last run in
   * scheduled_jobs: a restart never repeats a day's backup, and one missed while the app was
   * closed runs once at start-up. The run itself is runScheduleIfDue (idempotent: nothing if
   * one was taken since the hour).
   */
  function syncJob(): void {
    if (!started) return;
    const s = getSettings();
    const schedule = { daily: `${String(s.hour).padStart(2, '0')}:00`, zone: timeZone() };
    const key = s.enabled ? JSON.stringify(schedule) : 'off';
    if (key === jobKey) return;
    removeJob?.();
    removeJob = null;
    jobKey = key;
    if (!s.enabled) return;
    removeJob = deps.scheduler.add({
      name: 'backup.daily',
      schedule,
      missed: 'catch-up',
      run: async () => {
        await runScheduleIfDue();
      },
    });
    logger.info('daily backup scheduled', schedule);
  }

  /** Serialises backups and restores: one at a time, and close() waits for the running one. */
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = inFlight.then(fn, fn);
    inFlight = run.catch(() => undefined);
    return run;
  }

  /** Writes a backup and says how it went (backup.completed / backup.failed: the alarms). */
  async function takeBackup(kind: BackupKind): Promise<Backup> {
    try {
      const made = await writeBackup(kind);
      deps.domainEvents.publish({
        type: 'backup.completed',
        fileName: made.fileName,
        at: clock.now(),
      });
      return made;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      deps.domainEvents.publish({ type: 'backup.failed', reason, at: clock.now() });
      throw cause;
    }
  }

  async function writeBackup(kind: BackupKind): Promise<Backup> {
    mkdirSync(backupsDir(dataDir), { recursive: true });
    const fileName = newBackupName(dataDir, clock.now(), kind);
    // Written under a dot-name and renamed when complete: a crash never leaves a half backup
    // that looks like a real one.
    const partial = scratchFile(dataDir, 'partial');
    try {
      await sqlite.backup(partial);
      renameSync(partial, join(backupsDir(dataDir), fileName));
    } finally {
      removeDatabaseFiles(partial);
    }
    const made = listBackupFiles(dataDir).find((b) => b.fileName === fileName);
    if (!made) throw new Error(`backup ${fileName} vanished after it was written`);
    logger.info('backup written', { fileName, kind, sizeBytes: made.sizeBytes });
    return made;
  }

  /** Deletes the oldest 'scheduled' backups beyond `keep`; manual and pre-restore ones stay. */
  function prune(keep: number): string[] {
    const scheduled = listBackupFiles(dataDir).filter((b) => b.kind === 'scheduled');
    const drop = scheduled.slice(keep);
    for (const b of drop) rmSync(join(backupsDir(dataDir), b.fileName), { force: true });
    if (drop.length > 0)
      logger.info('old scheduled backups removed', { files: drop.map((b) => b.fileName) });
    return drop.map((b) => b.fileName);
  }

  /**
   * Takes the scheduled backup if one is due: enabled, and none taken since the configured hour
   * last came round in the site's time zone (so a machine that was off at 02:00 catches up when
   * it comes back). Returns the backup taken, or null.
   */
  function runScheduleIfDue(): Promise<Backup | null> {
    return exclusive(async () => {
      const s = getSettings();
      if (!s.enabled) return null;
      const now = clock.now();
      const due = lastDueAt(s.hour, timeZone(), now);
      // File times have whole seconds: a backup taken in the due second counts.
      const taken = listBackupFiles(dataDir).some(
        (b) => b.kind === 'scheduled' && b.createdAt >= due - (due % 1000),
      );
      if (taken) return null;
      const made = await takeBackup('scheduled');
      prune(s.keep);
      return made;
    });
  }

  /** Copies every table of the attached `restore_src` over the live one, in one transaction. */
  function swapIn(now: number) {
    const tables = (
      sqlite
        .prepare(
          "SELECT name FROM main.sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'",
        )
        .all() as { name: string }[]
    )
      .map((r) => r.name)
      .filter((t) => !KEEP_LIVE.has(t) && !MERGED.has(t));
    const srcTables = new Set(
      (
        sqlite.prepare("SELECT name FROM restore_src.sqlite_master WHERE type='table'").all() as {
          name: string;
        }[]
      ).map((r) => r.name),
    );
    const liveUsers = new Map(
      (
        sqlite.prepare('SELECT id, email FROM main.users').all() as { id: number; email: string }[]
      ).map((u) => [u.id, u.email]),
    );
    const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const columnsOf = (schema: string, table: string) =>
      (sqlite.prepare(`PRAGMA ${schema}.table_info(${q(table)})`).all() as { name: string }[]).map(
        (c) => c.name,
      );

    // The reports' rollup is copied with the sessions: its triggers stay out of the copy.
    withoutRollupTriggers(sqlite, () => {
      for (const t of tables) {
        sqlite.prepare(`DELETE FROM main.${q(t)}`).run();
        if (!srcTables.has(t)) continue;
        const srcCols = new Set(columnsOf('restore_src', t));
        const cols = columnsOf('main', t)
          .filter((c) => srcCols.has(c))
          .map(q)
          .join(', ');
        sqlite
          .prepare(`INSERT INTO main.${q(t)} (${cols}) SELECT ${cols} FROM restore_src.${q(t)}`)
          .run();
      }
      // The live counters are left as they are (only raised where the backup's are ahead):
      // ids handed out since the backup are never handed out again.
      keepIdsAhead(sqlite, 'main', 'restore_src');
      const auditAdded = mergeAuditTrail(sqlite, 'main', 'restore_src');
      // Sessions survive only for accounts that are the same person in the restored data.
      const restored = new Map(
        (
          sqlite.prepare('SELECT id, email FROM main.users').all() as {
            id: number;
            email: string;
          }[]
        ).map((u) => [u.id, u.email]),
      );
      const stale = [...liveUsers]
        .filter(([id, email]) => restored.get(id) !== email)
        .map(([id]) => id);
      const del = sqlite.prepare('DELETE FROM main.auth_sessions WHERE user_id = ?');
      for (const id of stale) del.run(id);
      const violations = sqlite.pragma('main.foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new BackupFileError(
          `The backup’s data is inconsistent (${violations.length} broken references); nothing was changed.`,
        );
      }
      logger.info('restore swapped data', { tables: tables.length, auditAdded, at: now });
    });
  }

  async function restore(fileName: string): Promise<{ preRestore: Backup }> {
    return exclusive(async () => {
      let source: string;
      try {
        source = resolveBackupName(dataDir, fileName);
      } catch (cause) {
        throw new ApiFailure('validation', (cause as Error).message, {
          field: 'fileName',
        });
      }
      // Work on a copy: bringing an older backup's schema up to date must not alter the backup.
      const scratch = scratchFile(dataDir, 'restore');
      try {
        copyFileSync(source, scratch);
        try {
          validateDatabaseFile(scratch, {
            nativeBinding: deps.nativeBinding,
            migrate: (s, migrations) => migrate(s, clock.now(), migrations),
            label: fileName,
          });
        } catch (cause) {
          if (cause instanceof BackupFileError) {
            throw new ApiFailure('validation', cause.message, {
              field: 'fileName',
            });
          }
          throw cause;
        }
        const preRestore = await takeBackup('pre-restore');
        // From here to the end of afterSwap() nothing awaits: no charger message or API call
        // is handled between the pending writes going out, the swap, and every part of the
        // core dropping what it derived from the old data.
        deps.hooks.beforeSwap();
        // foreign_keys cannot change inside a transaction; switched off around it so the
        // tables can be emptied in any order (RESTRICT would fire even with deferred checks),
        // and foreign_key_check inside the transaction vouches for the result.
        sqlite.pragma('foreign_keys = OFF');
        try {
          sqlite.prepare('ATTACH DATABASE ? AS restore_src').run(scratch);
          try {
            swapIn(clock.now());
          } catch (cause) {
            if (cause instanceof BackupFileError) throw new ApiFailure('conflict', cause.message);
            throw cause;
          } finally {
            sqlite.prepare('DETACH DATABASE restore_src').run();
          }
        } finally {
          // Also when ATTACH fails: the connection must never keep running without FK checks.
          sqlite.pragma('foreign_keys = ON');
        }
        deps.hooks.afterSwap();
        // The restored settings may name another hour.
        syncJob();
        logger.info('backup restored', { fileName, preRestore: preRestore.fileName });
        return { preRestore };
      } finally {
        removeDatabaseFiles(scratch);
      }
    });
  }

  return {
    list: () => listBackupFiles(dataDir),
    create: (kind: BackupKind = 'manual') => exclusive(() => takeBackup(kind)),
    restore,
    prune,
    getSettings,
    updateSettings,
    timeZone,
    runScheduleIfDue,
    integrityCheck(): { ok: boolean; messages: string[] } {
      const rows = sqlite.pragma('integrity_check') as { integrity_check: string }[];
      const messages = rows.map((r) => r.integrity_check);
      return { ok: messages.length === 1 && messages[0] === 'ok', messages };
    },
    /** Schedules the daily backup (syncJob) and follows the first site's zone. */
    start() {
      if (started) return;
      started = true;
      unsubscribe = deps.domainEvents.subscribe('site.changed', () => syncJob());
      syncJob();
    },
    /** Removes the job and waits for a running backup or restore to finish. */
    async stop() {
      started = false;
      unsubscribe?.();
      unsubscribe = null;
      removeJob?.();
      removeJob = null;
      jobKey = 'off';
      await inFlight;
    },
  };
}
