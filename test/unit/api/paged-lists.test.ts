// The audit log pages through the API with `next` (keyset) as well as `offset`: entries written
// at the same instant (a manual clock that does not move) are each listed exactly once, and an
// entry written between two pages does not push a row of the first page onto the second. The
// outbox and the refused chargers page the same way (db/paged.ts).
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { aSite, setupAdmin } from '../../support/factories';
import { ocppCore } from '../../ocpp/helpers';

describe('paged lists', () => {
  it('walks the audit log with next, each entry once, unaffected by new entries', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    for (let i = 0; i < 5; i++) await t.ok(admin, 'site-create', aSite({ name: `Tower ${i}` }));
    const all = await t.ok(admin, 'audit-list', { limit: 1000 });
    expect(all.next).toBeNull();
    expect(all.total).toBeGreaterThanOrEqual(6);

    const first = await t.ok(admin, 'audit-list', { limit: 2 });
    expect(first.entries.map((e) => e.id)).toEqual(all.entries.slice(0, 2).map((e) => e.id));
    // Written between the pages, newest of all: the next page still starts where the first ended.
    await t.ok(admin, 'site-create', aSite({ name: 'Tower late' }));
    const seen = [...first.entries.map((e) => e.id)];
    let after = first.next;
    while (after !== null) {
      const p = await t.ok(admin, 'audit-list', { limit: 2, after });
      seen.push(...p.entries.map((e) => e.id));
      after = p.next;
    }
    expect(seen).toEqual(all.entries.map((e) => e.id));
  });

  it('refuses a page position it did not give out', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const failure = await t.fail(admin, 'audit-list', { after: 'page 2' });
    expect(failure).toMatchObject({ code: 'validation', field: 'after' });
  });

  it('pages the outbox with next and a total per state, each message once with its attachments', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const { db, mail } = t.core.services;
    // No SMTP settings: the messages wait in the outbox, as queued.
    const ids = [1, 2, 3, 4, 5].map((n) =>
      mail.outbox.enqueue(db, {
        kind: 'invoice',
        to: [`owner${n}@example.com`],
        subject: `Invoice ${n}`,
        text: 'Attached.',
        attachments: Array.from({ length: n % 3 }, (_, i) => ({
          fileName: `INV-${n}-${i}.pdf`,
          contentType: 'application/pdf',
          content: Buffer.from('%PDF-1.7'),
        })),
      }),
    );
    const seen: { id: number; attachments: number }[] = [];
    let page = await t.ok(admin, 'mail-outbox-list', { limit: 2 });
    expect(page.total).toBe(5);
    for (;;) {
      seen.push(...page.messages.map((m) => ({ id: m.id, attachments: m.attachments })));
      if (page.next === null) break;
      page = await t.ok(admin, 'mail-outbox-list', { limit: 2, after: page.next });
    }
    expect(seen).toEqual([...ids].reverse().map((id, i) => ({ id, attachments: (5 - i) % 3 })));
    const sent = await t.ok(admin, 'mail-outbox-list', { state: 'sent' });
    expect(sent).toMatchObject({ total: 0, messages: [], next: null });
    const queued = await t.ok(admin, 'mail-outbox-list', { state: 'queued', limit: 2, offset: 4 });
    expect(queued.total).toBe(5);
    expect(queued.messages.map((m) => m.id)).toEqual([ids[0]]);
  });

  it('pages the refused chargers newest first with next: a charger refused meanwhile does not repeat a row', async () => {
    const o = await ocppCore();
    const refuse = async (identity: string) => {
      await expect(o.sim(identity).connect()).rejects.toThrow();
      await o.t.clock.advance(1000);
    };
    for (const n of [1, 2, 3]) await refuse(`STRANGER-${n}`);
    const first = await o.t.ok(o.admin, 'charger-attempts-list', { limit: 2 });
    expect(first.total).toBe(3);
    expect(first.attempts.map((a) => a.identity)).toEqual(['STRANGER-3', 'STRANGER-2']);
    await refuse('STRANGER-4');
    const second = await o.t.ok(o.admin, 'charger-attempts-list', {
      limit: 2,
      after: first.next ?? undefined,
    });
    expect(second).toMatchObject({ total: 4, next: null });
    expect(second.attempts.map((a) => a.identity)).toEqual(['STRANGER-1']);
  });
});
