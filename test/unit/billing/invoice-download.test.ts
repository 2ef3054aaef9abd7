// Invoice PDFs through the streamed downloads seam (kind 'invoice-pdf'): a manager of the site
// and the EV user of the invoice's own account get the PDF as issued (read back as text); an EV
// user of another lot and the administrator of another site are refused.
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { aSite, loginAs, setupAdmin, USER_PASSWORD } from '../../support/factories';
import { billedSite } from '../../support/billing';
import { pdfText } from '../../support/pdf-text';
import { isRefusal } from '../../../src-main/downloads/service';

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe('invoice PDFs as streamed downloads', () => {
  it('streams an invoice to its site’s manager and its own EV user only', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const siteId = site.id;
    await billedSite(t, admin, siteId);
    const mineAcc = await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: '1',
      ownerNames: 'Jane Citizen',
      openedAt: Date.UTC(2025, 0, 1),
    });
    await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: '2',
      ownerNames: 'Other Owner',
      openedAt: Date.UTC(2025, 0, 1),
    });
    const { conn: resident, user } = await loginAs(t, admin, 'ev_user', [siteId]);
    const r = await t.ok(admin, 'resident-create', {
      accountId: mineAcc.id,
      firstName: 'Jane',
      lastName: 'Citizen',
    });
    await t.ok(admin, 'resident-login-set', { id: r.id, userId: user.id });
    await t.ok(resident, 'session-login', { email: user.email, password: USER_PASSWORD });
    const other = await t.ok(admin, 'site-create', aSite());
    const { conn: otherAdmin } = await loginAs(t, admin, 'site_admin', [other.id]);

    const run = await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-02-10' });
    const all = await t.ok(admin, 'invoice-list', { siteId, runId: run.id });
    const mine = all.find((i) => i.accountId === mineAcc.id);
    const theirs = all.find((i) => i.accountId !== mineAcc.id);
    if (!mine || !theirs) throw new Error('no invoices');

    const download = async (conn: typeof admin, invoiceId: number) => {
      const ticket = await t.ok(conn, 'download-ticket-create', { kind: 'invoice-pdf', invoiceId });
      const body = t.core.services.downloads.redeem(ticket.url.split('/').pop() ?? '');
      if (isRefusal(body)) throw new Error(body.message);
      expect(body.contentType).toBe('application/pdf');
      expect(body.fileName).toBe(`invoice-${all.find((i) => i.id === invoiceId)?.number}.pdf`);
      return (await pdfText(await bytes(body.stream))).text;
    };
    expect(await download(admin, theirs.id)).toContain(theirs.number);
    const own = await download(resident, mine.id);
    expect(own).toContain(mine.number);
    expect(own).toContain('Jane Citizen');

    const refused = await t.fail(resident, 'download-ticket-create', {
      kind: 'invoice-pdf',
      invoiceId: theirs.id,
    });
    // The same answer as for an invoice that does not exist: ids reveal nothing.
    expect(refused).toMatchObject({
      code: 'not-found',
      message: 'That invoice no longer exists.',
    });
    const elsewhere = await t.fail(otherAdmin, 'download-ticket-create', {
      kind: 'invoice-pdf',
      invoiceId: mine.id,
    });
    expect(elsewhere.code).toBe('not-found');
    const missing = await t.fail(admin, 'download-ticket-create', {
      kind: 'invoice-pdf',
      invoiceId: 999,
    });
    expect(missing.code).toBe('not-found');
  });
});
