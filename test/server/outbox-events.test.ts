// The Outbox page updates itself: every change of a message's state (queued, sending, sent or
// failed) is pushed as `mail-outbox-changed` to administrators' sockets (the Outbox is theirs),
// never to a site administrator's or a resident's. Real sockets, real SMTP on 127.0.0.1.
import { describe, expect, it, onTestFinished } from 'vitest';
import type { CoreEvent } from '../../src-shared/api/events';
import { aSetup, USER_PASSWORD } from '../support/factories';
import { SMTP_PASSWORD, SMTP_USER, startSmtp } from '../support/smtp';
import { openApi, startInProcess, waitFor, type ApiClient } from './support';

const outboxEvents = (c: ApiClient) =>
  c
    .events()
    .filter(
      (e): e is Extract<CoreEvent, { type: 'mail-outbox-changed' }> =>
        e.type === 'mail-outbox-changed',
    );

async function ok(c: ApiClient, method: string, input?: unknown): Promise<unknown> {
  const r = await c.call(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
}

describe('live outbox events', () => {
  it('tell administrators, and only them, a message was queued, sent or failed', async () => {
    const { service } = await startInProcess();
    const smtp = await startSmtp();
    onTestFinished(() => smtp.stop());
    const admin = await openApi(service);
    await ok(admin, 'setup-complete', aSetup());
    const [site] = (await ok(admin, 'site-list')) as { id: number }[];
    if (!site) throw new Error('setup created no site');
    const others: ApiClient[] = [];
    for (const [email, role] of [
      ['manager@example.com', 'site_admin'],
      ['resident@example.com', 'ev_user'],
    ] as const) {
      await ok(admin, 'user-create', {
        email,
        name: role,
        role,
        siteIds: [site.id],
        password: USER_PASSWORD,
      });
      const c = await openApi(service);
      await ok(c, 'session-login', { email, password: USER_PASSWORD });
      others.push(c);
    }
    const settings = {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      user: SMTP_USER,
      from: 'alarms@strata.example',
    };
    await ok(admin, 'mail-settings-update', { ...settings, password: SMTP_PASSWORD });

    const { db, services } = service.core;
    const send = (subject: string) =>
      services.domainEvents.transaction(
        (run) => db.transaction(() => run()),
        () =>
          services.mail.outbox.enqueue(db, {
            kind: 'invoice',
            to: ['owner@example.com'],
            subject,
            text: 'x',
          }),
      );
    const sent = send('Invoice 1');
    await waitFor(
      () => (outboxEvents(admin).length >= 3 ? true : undefined),
      'queued, sending and sent pushed',
    );
    expect(outboxEvents(admin)).toEqual([
      { type: 'mail-outbox-changed', siteId: null, outboxId: sent },
      { type: 'mail-outbox-changed', siteId: null, outboxId: sent },
      { type: 'mail-outbox-changed', siteId: null, outboxId: sent },
    ]);
    expect(smtp.received).toHaveLength(1);

    // A failure is pushed too (here a wrong password: it fails at once).
    await ok(admin, 'mail-settings-update', { ...settings, password: 'not the password' });
    const failed = send('Invoice 2');
    await waitFor(
      () =>
        services.mail.outbox.get(failed)?.state === 'failed' &&
        outboxEvents(admin).filter((e) => e.outboxId === failed).length === 3
          ? true
          : undefined,
      'queued, sending and failed pushed',
    );

    // Every event emitted before a call's answer has been delivered when it returns.
    for (const c of others) await c.call('setup-status');
    for (const c of others) expect(outboxEvents(c)).toEqual([]);
  });
});
