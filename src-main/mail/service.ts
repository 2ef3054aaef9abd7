// The mail domain: SMTP settings, the outbox, the test email. Other domains call
// `mail.outbox.enqueue(tx, message)` inside their own transaction (see outbox.ts).
import type { Db } from '../db/open';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Scheduler } from '../platform/scheduler';
import type { DomainEvents } from '../platform/domain-events';
import { explainSmtpError } from './explain';
import { createSmtpMailer, type Mailer } from './mailer';
import { createOutbox } from './outbox';
import { createMailSettings } from './settings';
import { randomUUID } from 'node:crypto';

export type MailService = ReturnType<typeof createMailService>;

export function createMailService(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  scheduler: Scheduler;
  mailer?: Mailer;
  domainEvents?: Pick<DomainEvents, 'publish'>;
}) {
  const mailer = deps.mailer ?? createSmtpMailer();
  const settings = createMailSettings(deps.db, () => deps.clock.now());
  const outbox = createOutbox({ ...deps, mailer, settings: settings.load });

  return {
    settings,
    outbox,
    /** At start-up: settle what a crash interrupted, then send what is queued. */
    start(): void {
      const interrupted = outbox.recoverInterrupted();
      if (interrupted > 0) {
        deps.logger.warn('mail interrupted while sending, marked failed', { count: interrupted });
      }
      outbox.kick();
    },
    /** Sends one message now, outside the outbox, and says what the server answered. */
    async sendTest(
      to: string,
    ): Promise<{ sent: boolean; message: string; serverAnswer: string | null }> {
      const s = settings.load();
      if (!s)
        return { sent: false, message: 'Save the mail server settings first.', serverAnswer: null };
      try {
        const { serverAnswer } = await mailer.send(s, {
          messageId: `<${randomUUID()}@stratacharge>`,
          to: [to],
          subject: 'StrataCharge test email',
          text: `This is a test email from StrataCharge, sent through ${s.host}:${s.port}. Email is set up correctly.`,
        });
        return {
          sent: true,
          message: `The mail server accepted the test email for ${to}.`,
          serverAnswer,
        };
      } catch (error) {
        const f = explainSmtpError(error, s);
        return { sent: false, message: f.message, serverAnswer: f.serverAnswer };
      }
    },
    stop: () => outbox.stop(),
  };
}
