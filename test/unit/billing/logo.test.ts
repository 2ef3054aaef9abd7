// The issuer's logo through the real dispatcher: an SVG logo is accepted and the invoice draws it
// as vector shapes in its own colours (no picture of it); an SVG with a script, a style sheet or
// a link out, a file over the size limit and a PNG too large in pixels are refused in words that
// name the field, and nothing is stored for them (the logo in use stays). The stored logo comes
// back as stored (billing-logo-get, for the live preview) to the site's managers only.
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { aSite, loginAs, setupAdmin } from '../../support/factories';
import { settingsInput } from '../../support/billing';
import { png } from '../../support/images';
import { pageDrawing } from '../../support/pdf-drawing';
import { pdfText } from '../../support/pdf-text';

const SVG_LOGO = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">
  <!-- Harbour Strata: a square, a sun and a sail -->
  <rect x="0" y="0" width="40" height="40" fill="#d4145a"/>
  <circle cx="80" cy="20" r="18" fill="#fbb03b"/>
  <path d="M100 0 L120 40 L100 40 Z" fill="#2e8b57"/>
</svg>
`;

async function setUp() {
  const t = await makeCore();
  const { admin, site } = await setupAdmin(t);
  await t.ok(admin, 'billing-settings-update', settingsInput(site.id));
  const logo = (b: Buffer) =>
    t.call(admin, 'billing-logo-set', { siteId: site.id, base64: b.toString('base64') });
  const stored = async () => (await t.ok(admin, 'billing-settings-get', { siteId: site.id })).logo;
  const sample = async () =>
    Buffer.from((await t.ok(admin, 'invoice-sample-pdf', { siteId: site.id })).base64, 'base64');
  return { t, admin, siteId: site.id, logo, stored, sample };
}

describe('issuer logo', () => {
  it('takes an SVG logo and draws it on the invoice as shapes in its colours', async () => {
    const { logo, stored, sample } = await setUp();
    const ok = await logo(Buffer.from(SVG_LOGO));
    expect(ok.ok).toBe(true);
    expect(await stored()).toMatchObject({ contentType: 'image/svg+xml' });
    const pdf = await sample();
    const drawn = await pageDrawing(pdf);
    expect(drawn.images).toBe(0);
    expect(drawn.fills).toEqual(expect.arrayContaining(['#d4145a', '#fbb03b', '#2e8b57']));
    // The rest of the invoice is still text.
    expect((await pdfText(pdf)).text).toContain('Harbour Strata Management');
  });

  it('refuses unsafe or unprintable SVGs, a file too large and a PNG too large in pixels', async () => {
    const { logo, stored } = await setUp();
    expect((await logo(png(300, 100))).ok).toBe(true);
    const before = await stored();
    const refusals: [Buffer, string | RegExp][] = [
      [
        Buffer.from(SVG_LOGO.replace('<rect', '<script>alert(1)</script><rect')),
        'This SVG contains a script, which a logo does not need and StrataCharge does not accept (it could run code in the browser). Export the logo as plain SVG, PNG or JPEG.',
      ],
      [
        Buffer.from(SVG_LOGO.replace('<rect', '<image href="https://example.com/x.png"/><rect')),
        /^This SVG contains a link or reference to another file/,
      ],
      [
        Buffer.from(SVG_LOGO.replace('<rect', '<style>.a{fill:#d4145a}</style><rect class="a"')),
        /^This SVG is coloured by a style sheet \(a <style> element\), which invoices cannot apply/,
      ],
      [
        Buffer.from(SVG_LOGO.replace('viewBox="0 0 120 40"', 'width="5000" height="100"')),
        'The logo is 5000 × 100 units; it may be at most 2000 units on each side.',
      ],
      [png(100, 100, 600 * 1024), /^The logo is 0\.6 MB; a logo may be at most 0\.5 MB\./],
      [
        png(2400, 1200),
        'The logo is 2400 × 1200 pixels; it may be at most 2000 pixels on each side.',
      ],
      [png(20, 20), /^The logo is 20 × 20 pixels; it needs at least 32 pixels/],
    ];
    for (const [bytes, message] of refusals) {
      const r = await logo(bytes);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error).toMatchObject({ code: 'validation', field: 'base64' });
      expect(r.error.message).toMatch(message);
    }
    expect(await stored()).toEqual(before);
  });

  it('gives the stored logo back, as stored, to the site’s managers and nobody else', async () => {
    const { t, admin, siteId, logo } = await setUp();
    expect(await t.ok(admin, 'billing-logo-get', { siteId })).toBeNull();
    const file = png(300, 100);
    const { sha } = await t.ok(admin, 'billing-logo-set', {
      siteId,
      base64: file.toString('base64'),
    });
    const got = await t.ok(admin, 'billing-logo-get', { siteId });
    expect(got).toEqual({ sha, contentType: 'image/png', base64: file.toString('base64') });
    expect((await logo(Buffer.from(SVG_LOGO))).ok).toBe(true);
    expect(await t.ok(admin, 'billing-logo-get', { siteId })).toMatchObject({
      contentType: 'image/svg+xml',
      base64: Buffer.from(SVG_LOGO).toString('base64'),
    });

    const { conn: ownAdmin } = await loginAs(t, admin, 'site_admin', [siteId]);
    expect((await t.ok(ownAdmin, 'billing-logo-get', { siteId }))?.contentType).toBe(
      'image/svg+xml',
    );
    const other = await t.ok(admin, 'site-create', aSite());
    const { conn: otherAdmin } = await loginAs(t, admin, 'site_admin', [other.id]);
    expect((await t.fail(otherAdmin, 'billing-logo-get', { siteId })).code).toBe('forbidden');
    const { conn: support } = await loginAs(t, admin, 'support');
    expect((await t.fail(support, 'billing-logo-get', { siteId })).code).toBe('forbidden');
    const { conn: evUser } = await loginAs(t, admin, 'ev_user', [siteId]);
    expect((await t.fail(evUser, 'billing-logo-get', { siteId })).code).toBe('forbidden');

    await t.ok(admin, 'billing-logo-set', { siteId, base64: null });
    expect(await t.ok(admin, 'billing-logo-get', { siteId })).toBeNull();
  });
});
