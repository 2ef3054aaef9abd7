// Emailing an issued run to the owners through the outbox, against a real SMTP server
// (smtp-server on 127.0.0.1, port 0): each owner receives their own invoice's PDF (read back as
// text), an owner without an email is listed to print, a refused address is listed as failed
// and goes once retried, and emailing the run again sends nothing twice.
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { aSite, setupAdmin } from '../../support/factories';
import { billedSite } from '../../support/billing';
import { SMTP_PASSWORD, SMTP_USER, startSmtp, type ReceivedMail } from '../../support/smtp';
import { pdfText } from '../../support/pdf-text';

/** The PDF attached to a raw MIME message (nodemailer writes it base64). */
function attachedPdf(mail: ReceivedMail): Buffer {
  const m = /Content-Type: application\/pdf[^]*?\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(mail.raw);
  if (!m?.[1]) throw new Error('no PDF attached');
  return Buffer.from(m[1].replace(/\r\n/g, ''), 'base64');
}

/** Polls an async check until it returns a value, or fails after the deadline. */
async function until<T>(check: () => Promise<T | false>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function issuedRun() {
  const refuse = ['bob@example.com'];
  const smtp = await startSmtp({ refuse });
  const t = await makeCore();
  const { admin, site } = await setupAdmin(t);
  const siteId = site.id;
  await billedSite(t, admin, siteId);
  const owners = [
    { lot: '1', name: 'Jane Citizen', emails: ['jane@example.com'] },
    { lot: '2', name: 'Bob Builder', emails: ['bob@example.com'] },
    { lot: '3', name: 'Paper Person', emails: [] },
  ];
  for (const o of owners)
    await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: o.lot,
      ownerNames: o.name,
      invoiceEmails: o.emails,
      openedAt: Date.UTC(2025, 0, 1),
    });
  await t.ok(admin, 'mail-settings-update', {
    host: '127.0.0.1',
    port: smtp.port,
    security: 'none',
    user: SMTP_USER,
    password: SMTP_PASSWORD,
    from: 'billing@strata.example',
    replyTo: null,
  });
  // T0 is 2 March 2026: February has ended.
  const run = await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-02-10' });
  const invoices = await t.ok(admin, 'invoice-list', { siteId, runId: run.id });
  const numberOf = (lot: string) => invoices.find((i) => i.lotNumber === lot)?.number ?? '';
  return { t, admin, siteId, runId: run.id, smtp, refuse, numberOf };
}

describe('emailing a run to the owners', () => {
  it('sends each owner their own PDF once, lists the one to print and the failure, retries it', async () => {
    const { t, admin, siteId, runId, smtp, refuse, numberOf } = await issuedRun();
    const input = { siteId, runId };

    const first = await t.ok(admin, 'invoice-run-email', input);
    expect(first.queued).toBe(2);
    expect(first.status.toPrint).toBe(1);
    expect(first.status.invoices.find((r) => r.lotNumber === '3')).toMatchObject({
      state: 'to-print',
      to: [],
    });

    const settled = await until(async () => {
      const s = await t.ok(admin, 'invoice-run-email-status', input);
      return s.sent === 1 && s.failed === 1 && s;
    }, 'one sent and one failed');
    expect(settled.total).toBe(2);
    const failed = settled.invoices.find((r) => r.lotNumber === '2');
    expect(failed).toMatchObject({ state: 'failed', to: ['bob@example.com'] });
    expect(failed?.error).toMatch(/refused the message or its recipient/);

    // Jane got hers, with her invoice's PDF.
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    if (!mail) throw new Error('no mail');
    expect(mail.to).toEqual(['jane@example.com']);
    expect(mail.raw).toContain(`Subject: Tax invoice ${numberOf('1')} from Harbour Strata`);
    const pdf = await pdfText(attachedPdf(mail));
    expect(pdf.text).toContain(numberOf('1'));
    expect(pdf.text).toContain('Jane Citizen');
    expect(mail.raw).toContain('#1c4e80'); // the issuer's livery in the HTML part

    // The invoice records when and to whom it was sent.
    const list = await t.ok(admin, 'invoice-list', { siteId, runId });
    const jane = list.find((i) => i.lotNumber === '1');
    expect(jane).toMatchObject({ status: 'sent', sentTo: ['jane@example.com'] });
    expect(jane?.sentAt).toEqual(expect.any(Number));
    expect(list.find((i) => i.lotNumber === '2')?.status).toBe('issued');

    // Emailing the run again sends nothing twice.
    const again = await t.ok(admin, 'invoice-run-email', input);
    expect(again.queued).toBe(0);

    // Bob's address is fixed on the server's side; a retry delivers his, and only his.
    refuse.splice(0);
    expect(await t.ok(admin, 'invoice-run-email-retry', input)).toEqual({ retried: 1 });
    const done = await until(async () => {
      const s = await t.ok(admin, 'invoice-run-email-status', input);
      return s.sent === 2 && s;
    }, 'both sent');
    expect(done.failed).toBe(0);
    expect(smtp.received.map((m) => m.to)).toEqual([['jane@example.com'], ['bob@example.com']]);
    const bobs = await pdfText(attachedPdf(smtp.received[1] as ReceivedMail));
    expect(bobs.text).toContain(numberOf('2'));
    expect(bobs.text).not.toContain(numberOf('1'));
  });

  it('refuses a run of another site', async () => {
    const { t, admin, runId } = await issuedRun();
    const site2 = await t.ok(admin, 'site-create', aSite());
    const f = await t.fail(admin, 'invoice-run-email', { siteId: site2.id, runId });
    expect(f).toMatchObject({ code: 'not-found', field: 'runId' });
  });
});
