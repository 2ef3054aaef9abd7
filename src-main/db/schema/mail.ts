// The mail outbox (src-main/mail/outbox.ts): a message is a row written inside the business
// transaction that caused it, sent after commit, and kept with its state and the SMTP server's
// answer. Attachments stay in their own rows (BLOBs) until the message is sent.
import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The Message-ID header, fixed when queued, so a message is the same message on retry. */
    messageId: text('message_id').notNull(),
    /** What caused it: 'test', 'invoice', 'alarm', ... (for the Outbox page). */
    kind: text('kind').notNull(),
    /** JSON array of addresses. */
    recipients: text('recipients').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    /** 'queued' | 'sending' | 'sent' | 'failed' */
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastAttemptAt: integer('last_attempt_at'),
    /** The last failure in words that say how to fix it (null once sent). */
    lastError: text('last_error'),
    /** The SMTP server's last answer, verbatim (e.g. '250 2.0.0 Ok: queued as 1234'). */
    serverAnswer: text('server_answer'),
    sentAt: integer('sent_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('mail_outbox_due').on(t.state, t.nextAttemptAt)],
);

export const mailAttachments = sqliteTable(
  'mail_attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    outboxId: integer('outbox_id')
      .notNull()
      .references(() => mailOutbox.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    content: blob('content', { mode: 'buffer' }).notNull(),
  },
  (t) => [index('mail_attachments_outbox').on(t.outboxId)],
);
