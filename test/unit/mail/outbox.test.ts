// The mail outbox against a real SMTP server (smtp-server on 127.0.0.1, port 0) and a real core
// on a temp data directory: delivered once, retried while the server is down, failed for good on
// a wrong password, and nothing lost or sent twice across a restart.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { makeCore, type TestCore } from '../../support/make-core';
import { setupAdmin } from '../../support/factories';
import { buildChildScript } from '../../support/child-script';
import { SMTP_PASSWORD, SMTP_USER, startSmtp, until, type TestSmtp } from '../../support/smtp';
import { mailAttachments, mailOutbox, organisation } from '../../../src-main/db/schema';
import { INTERRUPTED, type NewMail } from '../../../src-main/mail/outbox';

const invoice = (n = 1): NewMail => ({
  kind: 'invoice',
  to: ['owner@example.com'],
  subject: `Invoice INV-${n} for charging in February`,
  text: 'Your invoice is attached.',
  attachments: [
    {
      fileName: `INV-${n}.pdf`,
      contentType: 'application/pdf',
      content: Buffer.from('%PDF-1.7 fake'),
    },
  ],
});

async function configured(smtp: TestSmtp, password = SMTP_PASSWORD) {
  const t = await makeCore();
  const { admin } = await setupAdmin(t);
  await t.ok(admin, 'mail-settings-update', {
    host: '127.0.0.1',
    port: smtp.port,
    security: 'none',
    user: SMTP_USER,
    password,
    from: 'billing@strata.example',
    replyTo: 'manager@strata.example',
  });
  return { t, admin };
}

/** Queues a message the way a domain does: inside its own business transaction. */
function queueInTransaction(t: TestCore, mail: NewMail): number {
  const { db, mail: service } = t.core.services;
  return db.transaction((tx) => {
    tx.update(organisation).set({ phone: '02 9999 0000' }).run();
    return service.outbox.enqueue(tx, mail);
  });
}

const row = (t: TestCore, id: number) => t.core.services.mail.outbox.get(id);

describe('mail outbox against a real SMTP server', () => {
  it('delivers a message queued in a business transaction once, with its attachment', async () => {
    const smtp = await startSmtp();
    const { t } = await configured(smtp);
    const id = queueInTransaction(t, invoice());
    const sent = await until(() => row(t, id)?.state === 'sent' && row(t, id), 'sent');
    expect(sent.serverAnswer).toMatch(/^250 .*queued as test-1/);
    expect(sent.attempts).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail?.to).toEqual(['owner@example.com']);
    expect(mail?.raw).toContain('Subject: Invoice INV-1 for charging in February');
    expect(mail?.raw).toContain('Reply-To: manager@strata.example');
    expect(mail?.raw).toContain('filename=INV-1.pdf');
    // Sent: the attachment is not kept twice.
    const left = t.core.services.db
      .select()
      .from(mailAttachments)
      .where(eq(mailAttachments.outboxId, id))
      .all();
    expect(left).toEqual([]);
    await t.clock.advance(3 * 60 * 60_000);
    expect(smtp.received).toHaveLength(1);
  });

  it('sends nothing when the business transaction rolls back', async () => {
    const smtp = await startSmtp();
    const { t } = await configured(smtp);
    expect(() =>
      t.core.services.db.transaction((tx) => {
        t.core.services.mail.outbox.enqueue(tx, invoice());
        throw new Error('invoice numbering clash');
      }),
    ).toThrow('invoice numbering clash');
    const later = queueInTransaction(t, invoice(2));
    await until(() => row(t, later)?.state === 'sent', 'second sent');
    expect(smtp.received.map((m) => /Subject: (.*)/.exec(m.raw)?.[1])).toEqual([
      'Invoice INV-2 for charging in February',
    ]);
  });

  it('keeps a message queued while the server is down and delivers it once when it is back', async () => {
    const smtp = await startSmtp({ down: true });
    const { t, admin } = await configured(smtp);
    const id = queueInTransaction(t, invoice());
    // Attempted and given back to the queue (attempts counts up at the claim, while 'sending').
    const waiting = await until(() => {
      const r = row(t, id);
      return r && r.attempts >= 1 && r.state !== 'sending' && r;
    }, 'attempt');
    expect(waiting.state).toBe('queued');
    expect(waiting.lastError).toMatch(/Nothing answers at 127\.0\.0\.1:\d+ \(connection refused\)/);
    const listed = await t.ok(admin, 'mail-outbox-list', {});
    // The Outbox page shows it as failing, with the reason.
    expect(listed.messages[0]).toMatchObject({
      id,
      state: 'queued',
      attempts: 1,
      lastError: waiting.lastError,
    });

    await smtp.start();
    await t.clock.advance(60_000);
    expect(row(t, id)).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
    expect(smtp.received).toHaveLength(1);
    await t.clock.advance(60 * 60_000);
    expect(smtp.received).toHaveLength(1);
  });

  it('fails at once on a wrong password, keeps the reason and does not retry', async () => {
    const smtp = await startSmtp();
    const { t } = await configured(smtp, 'wrong password');
    const id = queueInTransaction(t, invoice());
    const failed = await until(() => row(t, id)?.state === 'failed' && row(t, id), 'failed');
    expect(failed.lastError).toMatch(/^Authentication failed: .*refused the user name or password/);
    expect(failed.serverAnswer).toMatch(/535/);
    await t.clock.advance(6 * 60 * 60_000);
    expect(row(t, id)?.attempts).toBe(1);
    expect(smtp.received).toHaveLength(0);
    // Attachments stay until it is sent (an administrator may fix the password and retry).
    const kept = t.core.services.db
      .select()
      .from(mailAttachments)
      .where(eq(mailAttachments.outboxId, id))
      .all();
    expect(kept).toHaveLength(1);
  });

  it('sends a message queued just before the app stopped once, after the restart', async () => {
    const smtp = await startSmtp();
    const { t } = await configured(smtp);
    const id = queueInTransaction(t, invoice());
    // The app stops before the send (the kick is pending): nothing went out.
    await t.core.close();
    expect(smtp.received).toHaveLength(0);
    await t.restart();
    await until(() => row(t, id)?.state === 'sent', 'sent after restart');
    await t.clock.advance(60 * 60_000);
    expect(smtp.received).toHaveLength(1);
    expect(row(t, id)?.attempts).toBe(1);
  });

  it('does nothing more for a message queued as the app stops: it is sent after the restart', async () => {
    // The app closing its database right after stopping the outbox must not meet a read of the
    // outbox still pending from the queueing (an uncaught 'database connection is not open').
    const smtp = await startSmtp();
    const { t } = await configured(smtp);
    const seen: number[] = [];
    t.core.services.domainEvents.subscribe('mail.changed', (e) => seen.push(e.outboxId));
    const id = queueInTransaction(t, invoice());
    const stopped = t.core.services.mail.stop();
    await new Promise((resolve) => setImmediate(resolve));
    await stopped;
    expect(seen).toEqual([]);
    expect(row(t, id)?.state).toBe('queued');
    await t.restart();
    await until(() => row(t, id)?.state === 'sent', 'sent after restart');
    expect(smtp.received).toHaveLength(1);
  });

  it('sends a message queued just before a crash (SIGKILL after COMMIT) once, after the restart', async () => {
    const smtp = await startSmtp();
    const { t } = await configured(smtp);
    await t.core.close();
    // Another process queues the message and dies before sending it.
    const script = await buildChildScript('test/support/outbox-crash-child.ts');
    const child = spawnSync(process.execPath, [script, t.dataDir, String(t.clock.now())], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const id = Number(/queued (\d+)/.exec(child.stdout)?.[1]);
    expect(id).toBeGreaterThan(0);
    expect(smtp.received).toHaveLength(0);
    await t.restart();
    await until(() => row(t, id)?.state === 'sent', 'sent after restart');
    await t.clock.advance(60 * 60_000);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.raw).toContain('Invoice INV-CRASH');
    expect(row(t, id)?.attempts).toBe(1);
  });

  it('does not resend on its own a message whose sending a crash interrupted', async () => {
    const smtp = await startSmtp();
    const { t, admin } = await configured(smtp);
    const id = t.core.services.db.transaction((tx) =>
      t.core.services.mail.outbox.enqueue(tx, invoice()),
    );
    t.core.services.db
      .update(mailOutbox)
      .set({ state: 'sending', attempts: sql`1` })
      .run();
    await t.restart();
    expect(row(t, id)).toMatchObject({ state: 'failed', lastError: INTERRUPTED });
    await t.clock.advance(60 * 60_000);
    expect(smtp.received).toHaveLength(0);
    // The administrator checks and retries: sent once.
    const retried = await t.ok(admin, 'mail-outbox-retry', { id });
    expect(retried.state).toBe('queued');
    await until(() => row(t, id)?.state === 'sent', 'sent after retry');
    expect(smtp.received).toHaveLength(1);
    expect((await t.fail(admin, 'mail-outbox-retry', { id })).code).toBe('conflict');
  });
});

describe('mail outbox across a restore', () => {
  it('does not send again what went out after the backup was taken', async () => {
    const smtp = await startSmtp({ down: true });
    const { t, admin } = await configured(smtp);
    const id = queueInTransaction(t, invoice());
    await until(() => (row(t, id)?.attempts ?? 0) >= 1, 'first attempt');
    // The backup holds the message as still queued.
    const backup = await t.ok(admin, 'backup-create', {});
    await smtp.start();
    await t.clock.advance(60_000);
    expect(row(t, id)?.state).toBe('sent');

    await t.ok(admin, 'backup-restore', { fileName: backup.fileName });
    await t.clock.advance(60 * 60_000);
    expect(row(t, id)?.state).toBe('sent');
    expect(smtp.received).toHaveLength(1);
  });
});
