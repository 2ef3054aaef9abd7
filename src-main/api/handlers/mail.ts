// Handlers for the mail methods (administrators only, enforced by the contract's access list).
import { ApiFailure } from '../../../src-shared/api/result';
import type { OutboxMessage } from '../../../src-shared/api/methods/mail';
import type { MethodName } from '../../../src-shared/api/contract';
import type { HandlerMap } from '../context';
import type { Outbox } from '../../mail/outbox';

type Row = ReturnType<Outbox['list']>['rows'][number];

function toMessage(r: Row): OutboxMessage {
  return {
    id: r.id,
    kind: r.kind,
    to: JSON.parse(r.recipients) as string[],
    subject: r.subject,
    state: r.state as OutboxMessage['state'],
    attempts: r.attempts,
    createdAt: r.createdAt,
    lastAttemptAt: r.lastAttemptAt,
    nextAttemptAt: r.state === 'queued' ? r.nextAttemptAt : null,
    sentAt: r.sentAt,
    lastError: r.lastError,
    serverAnswer: r.serverAnswer,
    attachments: r.attachments,
  };
}

type MailMethod = Extract<MethodName, `mail-${string}`>;

export const mailHandlers: HandlerMap<MailMethod> = {
  'mail-settings-get': (_input, ctx) => ctx.services.mail.settings.view(),

  'mail-settings-update': (input, ctx) => {
    const before = ctx.services.mail.settings.view();
    const after = ctx.services.mail.settings.update(input);
    // view() has no password: the audit entry shows only whether one is stored.
    ctx.audit({ entity: 'mail-settings', before, after });
    // Messages waiting for the settings can go now.
    ctx.services.mail.outbox.kick();
    return after;
  },

  'mail-test-send': async (input, ctx) => {
    const result = await ctx.services.mail.sendTest(input.to);
    ctx.audit({ entity: 'mail-test', after: { to: input.to, sent: result.sent } });
    return result;
  },

  'mail-outbox-list': (input, ctx) => {
    const { total, next, rows } = ctx.services.mail.outbox.list(input);
    return { total, next, messages: rows.map(toMessage) };
  },

  'mail-outbox-retry': (input, ctx) => {
    const outbox = ctx.services.mail.outbox;
    const outcome = outbox.retry(input.id);
    switch (outcome) {
      case 'not-found':
        throw new ApiFailure('not-found', 'This message is no longer in the outbox.');
      case 'sent':
        throw new ApiFailure('conflict', 'This message has already been sent.');
      case 'sending':
        throw new ApiFailure('conflict', 'This message is being sent right now.');
      case 'ok':
        break;
    }
    ctx.audit({ entity: 'mail', entityId: input.id });
    const { rows } = outbox.list({ limit: 1, offset: 0, id: input.id });
    const row = rows[0];
    if (!row) throw new ApiFailure('not-found', 'This message is no longer in the outbox.');
    return toMessage(row);
  },
};
