// The scheduler's memory of each job (src-main/platform/scheduler.ts), so that a restart neither
// runs a job twice nor forgets one that came due while the app was closed.
import { integer, text, sqliteTable } from 'drizzle-orm/sqlite-core';

export const scheduledJobs = sqliteTable('scheduled_jobs', {
  /** The job's stable name in code, e.g. 'backup.daily'. */
  name: text('name').primaryKey(),
  /** The schedule the times below were computed with (JSON); a changed schedule starts afresh. */
  schedule: text('schedule').notNull(),
  /** The slot (scheduled time, UTC ms) of the next run. */
  nextRunAt: integer('next_run_at').notNull(),
  /** The slot of the last run that finished (successfully or not). */
  lastSlotAt: integer('last_slot_at'),
  lastStartedAt: integer('last_started_at'),
  lastFinishedAt: integer('last_finished_at'),
  /** The last run's error message, null after a successful run. */
  lastError: text('last_error'),
});
