// A session already billed on an issued invoice is resolved again (excluded, or given to another
// account): the invoice cannot change, so the sessions page, reports and exports would disagree
// with what the owner was billed. Refused in words; the way is void, resolve, re-issue.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { transactions } from '../../src-main/db/schema';
import { ocppCore } from '../ocpp/helpers';
import { aBilledSession } from '../support/billing-sessions';
import { billedSite } from '../support/billing';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/factories';

const noon = (month: number, day: number) => Date.UTC(2026, month - 1, day, 2, 0);

describe('resolving a session that is already invoiced', () => {
  it('is refused until its invoice is voided; the re-issue bills it as resolved', async () => {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    await billedSite(t, admin, siteId);
    const lot = await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: '6',
      ownerNames: 'Pat Owner',
      openedAt: Date.UTC(2025, 0, 1),
    });
    const station = await o.station();
    const id = aBilledSession(t, station, lot.id, noon(3, 10), 8_000);
    t.core.db
      .update(transactions)
      .set({ flag: 'review', flagReason: 'checked by hand' })
      .where(eq(transactions.id, id))
      .run();
    await t.ok(admin, 'session-resolve', { id, action: 'accept', reason: 'reading confirmed' });
    t.clock.set(noon(4, 2));
    await t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    const [invoice] = await t.ok(admin, 'invoice-list', { siteId });
    if (!invoice) throw new Error('no invoice');
    expect(invoice.totals.exGstCents).toBe(240 + 1_000); // 8 kWh at 30 c + the $10 fee

    const refused = await t.fail(admin, 'session-resolve', {
      id,
      action: 'exclude',
      reason: 'visitor, not the owner',
    });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toContain(`billed on invoice ${invoice.number}`);
    const session = (await t.ok(admin, 'session-list', { filter: { transactionId: id } }))
      .sessions[0];
    expect(session?.excluded).toBe(false);

    // Void, resolve, re-issue: the new invoice leaves the excluded session out.
    await t.ok(admin, 'invoice-void', { id: invoice.id, reason: 'session was a visitor' });
    await t.ok(admin, 'session-resolve', {
      id,
      action: 'exclude',
      reason: 'visitor, not the owner',
    });
    const again = await t.ok(admin, 'invoice-reissue', { id: invoice.id });
    expect(again.totals.exGstCents).toBe(1_000);
  });
});
