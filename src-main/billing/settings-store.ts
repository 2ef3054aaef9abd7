// A site's billing settings and the issuer's logo. The ABN is checked against the ATO checksum;
// a GST-registered issuer must have one (a tax invoice shows it). Logos are stored by content
// hash and never deleted while named, so an issued invoice keeps the logo it was issued with.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import { isValidAbn } from '../../src-shared/validation';
import { numberFormatProblem, type BillingSettings } from '../../src-shared/billing/settings';
import type { Db } from '../db/open';
import { billingLogos, billingSettings } from '../db/schema';
import { checkLogo, LogoRejected } from './pdf/logo-check';

export function createSettingsStore(db: Db) {
  function get(siteId: number): { settings: BillingSettings; logoSha: string | null } | null {
    const row = db.select().from(billingSettings).where(eq(billingSettings.siteId, siteId)).get();
    return row
      ? { settings: JSON.parse(row.settings) as BillingSettings, logoSha: row.logoSha }
      : null;
  }

  function validate(s: BillingSettings): BillingSettings {
    const fields: { field: string; message: string }[] = [];
    const abn = s.issuerAbn?.replace(/\s+/g, '') ?? null;
    if (abn !== null && !isValidAbn(abn))
      fields.push({
        field: 'issuerAbn',
        message: `ABN "${s.issuerAbn}" is not valid: an ABN has 11 digits that pass the ATO checksum. Check it on abr.business.gov.au.`,
      });
    if (s.gstRegistered && abn === null)
      fields.push({
        field: 'issuerAbn',
        message: 'An issuer registered for GST must show its ABN on tax invoices: enter the ABN.',
      });
    const nf = numberFormatProblem(s.numberFormat);
    if (nf) fields.push({ field: 'numberFormat', message: nf });
    const bank = [s.bsb, s.bankAccountNumber, s.bankAccountName];
    if (bank.some((v) => v !== null) && bank.some((v) => v === null))
      fields.push({
        field: 'bsb',
        message: 'For bank transfer enter the BSB, the account number and the account name.',
      });
    if (fields.length > 0) {
      throw new ApiFailure('validation', fields.map((f) => f.message).join(' '), { fields });
    }
    return { ...s, issuerAbn: abn };
  }

  const savedListeners: ((siteId: number) => void)[] = [];

  function update(siteId: number, s: BillingSettings, now: number): BillingSettings {
    const clean = validate(s);
    db.insert(billingSettings)
      .values({ siteId, settings: JSON.stringify(clean), createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: billingSettings.siteId,
        set: { settings: JSON.stringify(clean), updatedAt: now },
      })
      .run();
    for (const l of savedListeners) l(siteId);
    return clean;
  }

  /** When billing was first set up for the site (null: not yet). */
  function createdAt(siteId: number): number | null {
    return (
      db
        .select({ at: billingSettings.createdAt })
        .from(billingSettings)
        .where(eq(billingSettings.siteId, siteId))
        .get()?.at ?? null
    );
  }

  /** The sites with billing set up. */
  function sites(): number[] {
    return db
      .select({ id: billingSettings.siteId })
      .from(billingSettings)
      .all()
      .map((r) => r.id);
  }

  /** Called after each save (the period-end job follows a changed cycle). */
  function onSaved(fn: (siteId: number) => void): void {
    savedListeners.push(fn);
  }

  /** Checks a logo's type, size and dimensions; stores it; returns its hash. */
  function setLogo(siteId: number, data: Buffer | null, now: number): string | null {
    const current = get(siteId);
    if (!current) {
      throw new ApiFailure('conflict', 'Save the billing settings before adding a logo.', {
        field: 'base64',
      });
    }
    if (data === null) {
      db.update(billingSettings)
        .set({ logoSha: null, updatedAt: now })
        .where(eq(billingSettings.siteId, siteId))
        .run();
      return null;
    }
    let image;
    try {
      image = checkLogo(data);
    } catch (e) {
      if (e instanceof LogoRejected)
        throw new ApiFailure('validation', e.message, { field: 'base64' });
      throw e;
    }
    const sha = createHash('sha256').update(data).digest('hex');
    db.transaction((tx) => {
      tx.insert(billingLogos)
        .values({ sha, contentType: image.mime, content: data, createdAt: now })
        .onConflictDoNothing()
        .run();
      tx.update(billingSettings)
        .set({ logoSha: sha, updatedAt: now })
        .where(eq(billingSettings.siteId, siteId))
        .run();
    });
    return sha;
  }

  function logo(sha: string): { contentType: string; content: Buffer } | null {
    return (
      db
        .select({ contentType: billingLogos.contentType, content: billingLogos.content })
        .from(billingLogos)
        .where(eq(billingLogos.sha, sha))
        .get() ?? null
    );
  }

  return { get, update, setLogo, logo, createdAt, sites, onSaved };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
