// A manager emails a run to the owners while another voids one of its invoices (the PDFs are
// rendered before anything is queued, which takes a while for a large run). The voided invoice
// must not go out: the queue step checks again, inside its transaction, that each invoice is
// still issued and not yet queued; the credit note goes with the next "Email to owners".
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invoices, mailOutbox } from '../../src-main/db/schema';
import { ocppCore } from '../ocpp/helpers';
import { aBilledSession } from '../support/billing-sessions';
import { billedSite } from '../support/billing';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/factories';

const noon = (month: number, day: number) => Date.UTC(2026, month - 1, day, 2, 0);

describe('an invoice voided while its run is being emailed', () => {
  it('is not emailed; its credit note is, with the next email of the run', async () => {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    await billedSite(t, admin, siteId, {
      tariff: { name: 'Energy', components: [{ kind: 'perKwh', millicentsPerKwh: 30_000 }] },
    });
    const station = await o.station();
    const lot = await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: '1',
      ownerNames: 'Ann Owner',
      invoiceEmails: ['ann@example.com'],
      openedAt: Date.UTC(2025, 0, 1),
    });
    aBilledSession(t, station, lot.id, noon(3, 10), 5_000);
    t.clock.set(noon(4, 2));
    await t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const run = await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    const [invoice] = await t.ok(admin, 'invoice-list', { siteId });
    if (!invoice) throw new Error('no invoice');

    // "Email to owners", and while its PDFs render, the invoice is voided (wrong lot).
    const emailing = t.call(admin, 'invoice-run-email', { siteId, runId: run.id });
    const { creditNote } = await t.ok(admin, 'invoice-void', {
      id: invoice.id,
      reason: 'wrong lot',
    });
    const first = await emailing;
    expect(first.ok && first.value.queued).toBe(0);
    const queuedFor = (id: number) =>
      t.core.db.select({ m: invoices.mailOutboxId }).from(invoices).where(eq(invoices.id, id)).get()
        ?.m ?? null;
    expect(queuedFor(invoice.id)).toBeNull();
    expect(t.core.db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'invoice')).all()).toEqual(
      [],
    );

    // The next email of the run sends the credit note.
    const second = await t.ok(admin, 'invoice-run-email', { siteId, runId: run.id });
    expect(second.queued).toBe(1);
    expect(queuedFor(creditNote.id)).not.toBeNull();
    expect(queuedFor(invoice.id)).toBeNull();
  });
});
