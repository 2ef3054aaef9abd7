// The persistent outbox. `enqueue(tx, mail)` writes the message INSIDE the business transaction
// that caused it (an invoice issued, an alarm raised): if that transaction rolls back there is
// no message, if it commits the message is on disk before anyone tries to send it. Sending
// starts after commit (better-sqlite3 transactions are synchronous, so a setImmediate kick runs
// after COMMIT), one message at a time, and again when the earliest back-off ends (a scheduler
// wake-up on the injected clock).
//
// States: queued → sending → sent | queued (retry later) | failed. Delivery guarantees
// (docs/ARCHITECTURE.md, "Mail"):
// - a queued message survives any crash and is sent after the restart;
// - a message left in 'sending' by a crash (the SMTP dialogue was cut) is NOT resent on its own:
//   it becomes 'failed' with a reason, and an administrator decides to retry it (at-most-once
//   for the ambiguous case, because a second copy of an invoice looks like a second bill, while
//   a missing one is visible on the Outbox page and fixed with one click);
// - permanent failures (5xx, authentication, TLS) fail at once; temporary ones (server down,
//   4xx) are retried with back-off and fail after MAX_ATTEMPTS.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, lte, min, sql } from 'drizzle-orm';
import type { Db } from '../db/open';
import { fromTable, pagedQuery, type PageRequest } from '../db/paged';
import { mailAttachments, mailOutbox } from '../db/schema';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Scheduler } from '../platform/scheduler';
import type { DomainEvents } from '../platform/domain-events';
import { explainSmtpError } from './explain';
import type { Mailer, SmtpSettings } from './mailer';

/** A database handle or the transaction of the business change that causes the message. */
export type Tx = Pick<Db, 'insert'>;

export interface NewMail {
  /** What caused it, shown on the Outbox page: 'invoice', 'alarm', 'test', ... */
  kind: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: { fileName: string; contentType: string; content: Buffer }[];
}

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed';

/** Temporary failures are retried this many times (about four hours) before giving up. */
export const MAX_ATTEMPTS = 10;
const backoffMs = (attempts: number) => Math.min(60_000 * 2 ** (attempts - 1), 60 * 60_000);

export const INTERRUPTED =
  'Sending was interrupted when the app stopped: the mail server may or may not have received it. ' +
  'Check with the recipient before choosing "Retry now", so that it is not sent twice.';
export const NOT_SET_UP = 'Email is not set up yet: enter the mail server in Settings → Email.';

export type Outbox = ReturnType<typeof createOutbox>;

export function createOutbox(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  scheduler: Scheduler;
  settings: () => SmtpSettings | null;
  /** mail.sent / mail.failed (given up on): the alarms watch them; mail.changed (queued,
   *  sending) with them feeds the Outbox page's live updates. */
  domainEvents?: Pick<DomainEvents, 'publish'>;
}) {
  const { db, clock, mailer } = deps;
  const logger = deps.logger.child({ component: 'mail' });
  let stopped = false;
  let pumping: Promise<void> | null = null;
  let again = false;

  function enqueue(tx: Tx, mail: NewMail): number {
    const now = clock.now();
    const row = tx
      .insert(mailOutbox)
      .values({
        messageId: `<${randomUUID()}@stratacharge>`,
        kind: mail.kind,
        recipients: JSON.stringify(mail.to),
        subject: mail.subject,
        text: mail.text,
        html: mail.html ?? null,
        state: 'queued',
        nextAttemptAt: now,
        createdAt: now,
      })
      .returning({ id: mailOutbox.id })
      .get();
    for (const a of mail.attachments ?? []) {
      tx.insert(mailAttachments)
        .values({ outboxId: row.id, ...a, size: a.content.length })
        .run();
    }
    // After the caller's transaction has committed (it is synchronous): say so, and send. Not
    // published from here: not every caller's transaction collects domain events, and a message
    // rolled back with its business change was never queued.
    setImmediate(() => {
      // Stopped meanwhile (the app is closing): the database may already be closed under us, and
      // the message stays queued for the next start, which sends it.
      if (stopped) return;
      if (
        deps.domainEvents &&
        db.select({ id: mailOutbox.id }).from(mailOutbox).where(eq(mailOutbox.id, row.id)).get()
      ) {
        deps.domainEvents.publish({
          type: 'mail.changed',
          outboxId: row.id,
          state: 'queued',
          at: now,
        });
      }
      kick();
    });
    return row.id;
  }

  function kick(): void {
    void pump();
  }

  /** Sends every due message; one pump at a time (a kick meanwhile makes it go round again). */
  function pump(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      do {
        again = false;
        await sendDue();
      } while (again && !stopped);
    })()
      .catch((error: unknown) => logger.error('mail outbox failed', { error }))
      .finally(() => {
        pumping = null;
        if (!stopped) wakeForNextRetry();
      });
    return pumping;
  }

  /** The scheduler wakes the outbox when the earliest back-off ends (nothing queued: never). */
  function wakeForNextRetry(): void {
    const next = db
      .select({ at: min(mailOutbox.nextAttemptAt) })
      .from(mailOutbox)
      .where(eq(mailOutbox.state, 'queued'))
      .get()?.at;
    deps.scheduler.wakeAt('mail.outbox', next ?? null, pump);
  }

  async function sendDue(): Promise<void> {
    const due = db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.state, 'queued'), lte(mailOutbox.nextAttemptAt, clock.now())))
      .orderBy(asc(mailOutbox.id))
      .limit(50)
      .all();
    for (const { id } of due) {
      if (stopped) return;
      await sendOne(id);
    }
  }

  async function sendOne(id: number): Promise<void> {
    const settings = deps.settings();
    const now = clock.now();
    if (!settings) {
      // Not an attempt: it waits, saying why, until the settings are saved (which kicks).
      db.update(mailOutbox)
        .set({ lastError: NOT_SET_UP, nextAttemptAt: now + 60_000 })
        .where(eq(mailOutbox.id, id))
        .run();
      return;
    }
    // Claim it: only a queued row moves to 'sending' (a retry clicked meanwhile cannot double it).
    const claimed = db
      .update(mailOutbox)
      .set({ state: 'sending', lastAttemptAt: now, attempts: sql`${mailOutbox.attempts} + 1` })
      .where(and(eq(mailOutbox.id, id), eq(mailOutbox.state, 'queued')))
      .returning()
      .get();
    if (!claimed) return;
    deps.domainEvents?.publish({ type: 'mail.changed', outboxId: id, state: 'sending', at: now });
    const attempts = claimed.attempts;
    const attachments = db
      .select()
      .from(mailAttachments)
      .where(eq(mailAttachments.outboxId, id))
      .orderBy(asc(mailAttachments.id))
      .all();
    try {
      const { serverAnswer } = await mailer.send(settings, {
        messageId: claimed.messageId,
        to: JSON.parse(claimed.recipients) as string[],
        subject: claimed.subject,
        text: claimed.text,
        html: claimed.html,
        attachments,
      });
      db.transaction((tx) => {
        tx.update(mailOutbox)
          .set({ state: 'sent', sentAt: clock.now(), serverAnswer, lastError: null })
          .where(eq(mailOutbox.id, id))
          .run();
        // Sent: the PDFs live in the records they came from, not twice in the database.
        tx.delete(mailAttachments).where(eq(mailAttachments.outboxId, id)).run();
      });
      logger.info('mail sent', { id, kind: claimed.kind, serverAnswer });
      deps.domainEvents?.publish({ type: 'mail.sent', outboxId: id, kind: claimed.kind, at: now });
    } catch (error) {
      const f = explainSmtpError(error, settings);
      const giveUp = f.permanent || attempts >= MAX_ATTEMPTS;
      const lastError =
        !f.permanent && giveUp ? `${f.message} Gave up after ${attempts} attempts.` : f.message;
      db.update(mailOutbox)
        .set({
          state: giveUp ? 'failed' : 'queued',
          nextAttemptAt: clock.now() + backoffMs(attempts),
          lastError,
          serverAnswer: f.serverAnswer,
        })
        .where(eq(mailOutbox.id, id))
        .run();
      logger.warn('mail not sent', {
        id,
        kind: claimed.kind,
        attempts,
        failed: giveUp,
        reason: f.message,
        serverAnswer: f.serverAnswer,
      });
      if (giveUp) {
        deps.domainEvents?.publish({
          type: 'mail.failed',
          outboxId: id,
          kind: claimed.kind,
          subject: claimed.subject,
          reason: lastError,
          transport: f.transport,
          at: clock.now(),
        });
      } else {
        deps.domainEvents?.publish({
          type: 'mail.changed',
          outboxId: id,
          state: 'queued',
          at: clock.now(),
        });
      }
    }
  }

  return {
    enqueue,
    kick,
    pump,
    /** At start-up: a row left in 'sending' by a crash is failed with the reason (see top). */
    recoverInterrupted(): number {
      return db
        .update(mailOutbox)
        .set({ state: 'failed', lastError: INTERRUPTED })
        .where(eq(mailOutbox.state, 'sending'))
        .run().changes;
    },
    /** Newest first, through the shared paged query (db/paged.ts): total, keyset `next`. */
    list(filter: { state?: OutboxState; id?: number } & PageRequest) {
      // Counted in the same query (not one per row): a page of 50 is one statement. Spelled
      // out with the table names: drizzle leaves a single-table select's columns unqualified,
      // and an unqualified "id" in the subquery is the attachment's own.
      const attachments = sql<number>`(SELECT count(*) FROM mail_attachments a WHERE a.outbox_id = mail_outbox.id)`;
      return pagedQuery({
        filter: [
          filter.state ? eq(mailOutbox.state, filter.state) : undefined,
          filter.id !== undefined ? eq(mailOutbox.id, filter.id) : undefined,
        ],
        order: { key: mailOutbox.createdAt, tie: mailOutbox.id },
        page: filter,
        count: fromTable(db, mailOutbox).count,
        select: (where, orderBy, limit, offset) =>
          db
            .select({ row: mailOutbox, attachments })
            .from(mailOutbox)
            .where(where)
            .orderBy(...orderBy)
            .limit(limit)
            .offset(offset)
            .all()
            .map(({ row, attachments: n }) => ({ ...row, attachments: n })),
        keyOf: (r) => [r.createdAt, r.id],
      });
    },
    get(id: number) {
      return db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).get() ?? null;
    },
    /** Queues a failed (or waiting) message for now, with a fresh count of attempts. */
    retry(id: number): 'ok' | 'not-found' | 'sent' | 'sending' {
      const row = db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).get();
      if (!row) return 'not-found';
      if (row.state === 'sent' || row.state === 'sending') return row.state;
      db.update(mailOutbox)
        .set({ state: 'queued', attempts: 0, nextAttemptAt: clock.now() })
        .where(eq(mailOutbox.id, id))
        .run();
      deps.domainEvents?.publish({
        type: 'mail.changed',
        outboxId: id,
        state: 'queued',
        at: clock.now(),
      });
      setImmediate(kick);
      return 'ok';
    },
    /** Stops sending; resolves when a message being sent has its outcome recorded. */
    async stop(): Promise<void> {
      stopped = true;
      deps.scheduler.wakeAt('mail.outbox', null, pump);
      await pumping;
    },
  };
}
