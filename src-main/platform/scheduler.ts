// The scheduler: jobs at an interval or at calendar times in a site's time zone, driven by the
// injected clock. With the system clock it arms one real timer for the earliest job; with
// ManualClock it attaches to the clock and `await clock.advance(ms)` fires what comes due, in
// order, with the clock showing each job's time. Each job's last run is kept in SQLite
// (scheduled_jobs) so a restart neither repeats a run nor forgets one missed while closed.
//
// Guarantees (docs/ARCHITECTURE.md, "Scheduler"):
// - a slot runs at most once while the process lives, and at most once across a clean restart;
// - a run cut short by a crash runs again after the restart (at-least-once): jobs must be
//   idempotent (a backup, a sweep, "send the invoices not yet sent");
// - slots missed while the app was closed (or the machine asleep) run ONCE at start-up
//   ('catch-up') or not at all ('skip'), per job;
// - a job that throws is logged and runs again at its next slot; other jobs are unaffected;
// - a job never overlaps itself; different jobs may run concurrently.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/open';
import { scheduledJobs } from '../db/schema';
import type { Clock } from './clock';
import type { Logger } from './logger';
import { checkSchedule, latestSlot, nextSlot, type Schedule } from './schedule';

export type { Schedule } from './schedule';

export interface JobSpec {
  /** Stable name, the key of its persisted state (e.g. 'backup.daily'). */
  name: string;
  schedule: Schedule;
  /** Slots that passed while the app was closed: run once for the latest, or skip to the next. */
  missed: 'catch-up' | 'skip';
  /** `slot` is the scheduled time this run is for (UTC ms), which may be before clock.now(). */
  run(ctx: { slot: number }): void | Promise<void>;
}

export interface JobState {
  name: string;
  nextRunAt: number;
  lastSlotAt: number | null;
  lastError: string | null;
  running: boolean;
}

export interface Scheduler {
  /** Registers a job (a name once); returns its removal. Starts counting at once. */
  add(job: JobSpec): () => void;
  /** Arms the timers; before it, nothing runs (so start-up can register every job first). */
  start(): void;
  /** Stops firing and waits for running jobs (before the database closes). */
  stop(): Promise<void>;
  /**
   * A one-shot wake-up, in memory only (for work whose own state is in the database, like the
   * mail outbox's next retry): runs `run` at `at`; a later call with the same key replaces it,
   * `at: null` cancels it. Cheaper than an every-minute job that mostly finds nothing to do.
   */
  wakeAt(key: string, at: number | null, run: () => void | Promise<void>): void;
  /** Runs every job due now; resolves when they have finished. */
  runDue(): Promise<void>;
  list(): JobState[];
}

/** A slot fired more than this after its time was missed (app closed, machine asleep). */
export const LATE_MS = 5 * 60_000;
/** Real timers re-check at least this often, so a changed system clock is noticed. */
const MAX_TIMER_MS = 60_000;

interface Job {
  spec: JobSpec;
  scheduleJson: string;
  nextAt: number;
  lastSlotAt: number | null;
  lastError: string | null;
  running: Promise<void> | null;
}

export function createScheduler(deps: { db: Db; clock: Clock; logger: Logger }): Scheduler {
  const { db, clock } = deps;
  const logger = deps.logger.child({ component: 'scheduler' });
  const jobs = new Map<string, Job>();
  const wakeUps = new Map<string, { at: number; run: () => void | Promise<void> }>();
  let started = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let detach: (() => void) | null = null;

  function persist(job: Job, extra: { lastStartedAt?: number; lastFinishedAt?: number } = {}) {
    const row = {
      schedule: job.scheduleJson,
      nextRunAt: job.nextAt,
      lastSlotAt: job.lastSlotAt,
      lastError: job.lastError,
      ...extra,
    };
    try {
      db.insert(scheduledJobs)
        .values({ name: job.spec.name, ...row })
        .onConflictDoUpdate({ target: scheduledJobs.name, set: row })
        .run();
    } catch (error) {
      // The in-memory state still holds; the worst case after a restart is one extra run.
      logger.error('could not record a scheduled job', { job: job.spec.name, error });
    }
  }

  async function runJob(job: Job): Promise<void> {
    const { spec } = job;
    const now = clock.now();
    const { slot, missed } = latestSlot(spec.schedule, job.nextAt, now);
    if (now - slot > LATE_MS && spec.missed === 'skip') {
      logger.info('scheduled job skipped: its time passed while the app was not running', {
        job: spec.name,
        slot,
        missed: missed + 1,
      });
      job.nextAt = nextSlot(spec.schedule, now, slot);
      persist(job);
      return;
    }
    if (missed > 0 || now - slot > LATE_MS) {
      logger.info('scheduled job catching up once for missed runs', {
        job: spec.name,
        slot,
        missed: missed + 1,
      });
    }
    persist(job, { lastStartedAt: now });
    try {
      await spec.run({ slot });
      job.lastError = null;
    } catch (error) {
      // Logged with the job's name; it runs again at its next slot like any other.
      logger.error('scheduled job failed', { job: spec.name, slot, error });
      job.lastError = error instanceof Error ? error.message : String(error);
    }
    job.lastSlotAt = slot;
    job.nextAt = nextSlot(spec.schedule, now, slot);
    persist(job, { lastFinishedAt: clock.now() });
  }

  function dueJobs(): Job[] {
    const now = clock.now();
    return [...jobs.values()].filter((j) => !j.running && j.nextAt <= now);
  }

  async function runWakeUp(key: string, run: () => void | Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      logger.error('scheduled wake-up failed', { key, error });
    }
  }

  async function runDue(): Promise<void> {
    if (!started || stopped) return;
    const now = clock.now();
    const woken: Promise<void>[] = [];
    for (const [key, w] of wakeUps) {
      if (w.at > now) continue;
      wakeUps.delete(key);
      woken.push(runWakeUp(key, w.run));
    }
    const runs = dueJobs().map((job) => {
      job.running = runJob(job).finally(() => {
        job.running = null;
      });
      return job.running;
    });
    await Promise.all([...runs, ...woken]);
  }

  function nextDue(): number | null {
    let min: number | null = null;
    for (const j of jobs.values()) {
      if (!j.running && (min === null || j.nextAt < min)) min = j.nextAt;
    }
    for (const w of wakeUps.values()) if (min === null || w.at < min) min = w.at;
    return min;
  }

  function arm(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!started || stopped || detach) return;
    const due = nextDue();
    if (due === null) return;
    const delay = Math.min(Math.max(due - clock.now(), 0), MAX_TIMER_MS);
    timer = setTimeout(() => {
      timer = null;
      void runDue().finally(arm);
    }, delay);
    // The servers keep the process alive, not the scheduler.
    timer.unref();
  }

  return {
    add(spec) {
      if (jobs.has(spec.name)) throw new Error(`A job named ${spec.name} is already scheduled.`);
      checkSchedule(spec.schedule);
      const scheduleJson = JSON.stringify(spec.schedule);
      const row = db.select().from(scheduledJobs).where(eq(scheduledJobs.name, spec.name)).get();
      const now = clock.now();
      const job: Job = {
        spec,
        scheduleJson,
        // A changed schedule starts afresh from now; an unchanged one resumes where it was,
        // including a slot that passed while the app was closed.
        nextAt: row && row.schedule === scheduleJson ? row.nextRunAt : nextSlot(spec.schedule, now),
        lastSlotAt: row?.lastSlotAt ?? null,
        lastError: row?.lastError ?? null,
        running: null,
      };
      jobs.set(spec.name, job);
      persist(job);
      arm();
      return () => {
        if (jobs.get(spec.name) === job) jobs.delete(spec.name);
        arm();
      };
    },
    wakeAt(key, at, run) {
      if (at === null) wakeUps.delete(key);
      else wakeUps.set(key, { at, run });
      arm();
    },
    start() {
      if (started) return;
      started = true;
      if (clock.attach) {
        detach = clock.attach({ nextDue, fire: runDue });
      } else {
        arm();
        // Whatever came due while closed runs now, not after the first timer.
        void runDue().finally(arm);
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      detach?.();
      await Promise.allSettled([...jobs.values()].map((j) => j.running));
    },
    runDue,
    list: () =>
      [...jobs.values()].map((j) => ({
        name: j.spec.name,
        nextRunAt: j.nextAt,
        lastSlotAt: j.lastSlotAt,
        lastError: j.lastError,
        running: j.running !== null,
      })),
  };
}
