// Accounting exports of an issued run: a site's export profiles (the shipped defaults, or the
// site's saved edits of them), the check that the rows add up to the run's totals to the cent,
// and the file itself, written batch by batch (never whole in memory) by the exports' one CSV
// loop (downloads/paged-csv.ts, text cells formula-escaped) for the streamed downloads seam
// (downloads/service.ts, kind 'billing-export').
import type { Readable } from 'node:stream';
import { and, asc, eq, gt } from 'drizzle-orm';
import { ApiFailure } from '../../../src-shared/api/result';
import {
  DEFAULT_PROFILES,
  dollars,
  formatKwhValue,
  validateProfile,
  type ExportProfile,
} from '../../../src-shared/billing/export-profile';
import type { InvoiceDocument } from '../../../src-shared/billing/invoice-document';
import type { Db } from '../../db/open';
import { billingExportProfiles, invoiceRuns, invoices } from '../../db/schema';
import { streamPagedCsv } from '../../downloads/paged-csv';
import { formatRow, invoiceRows, readingRows, type ExportRow, type RowSums } from './rows';

const BATCH = 200;

export interface StoredProfile {
  key: string;
  profile: ExportProfile;
  /** A shipped default (its key is one of DEFAULT_PROFILES). */
  shipped: boolean;
  /** Saved for this site (an edited default, or the site's own). */
  saved: boolean;
}

export interface ExportCheck {
  ok: boolean;
  rows: number;
  /** What is compared: money for invoice lines, energy for meter readings. */
  measure: 'money' | 'energy';
  rowTotals: RowSums;
  runTotals: RowSums;
  /** "Rows total $12,345.67 = run total $12,345.67 ✓" or the mismatch in words. */
  message: string;
  fileName: string;
}

export type BillingExports = ReturnType<typeof createBillingExports>;

export function createBillingExports(db: Db) {
  function list(siteId: number): StoredProfile[] {
    const rows = db
      .select()
      .from(billingExportProfiles)
      .where(eq(billingExportProfiles.siteId, siteId))
      .all();
    const saved = new Map(rows.map((r) => [r.key, JSON.parse(r.profile) as ExportProfile]));
    const out: StoredProfile[] = Object.entries(DEFAULT_PROFILES).map(([key, profile]) => ({
      key,
      profile: saved.get(key) ?? profile,
      shipped: true,
      saved: saved.has(key),
    }));
    for (const [key, profile] of saved) {
      if (!(key in DEFAULT_PROFILES)) out.push({ key, profile, shipped: false, saved: true });
    }
    return out;
  }

  function get(siteId: number, key: string): ExportProfile {
    const found = list(siteId).find((p) => p.key === key);
    if (!found)
      throw new ApiFailure('not-found', `There is no export profile "${key}".`, { field: 'key' });
    return found.profile;
  }

  /** Validates and saves a profile for the site; returns the profile it replaced (or null). */
  function save(
    siteId: number,
    key: string,
    profile: ExportProfile,
    userId: number | null,
    now: number,
  ) {
    const problems = validateProfile(profile);
    if (problems.length > 0) {
      throw new ApiFailure('validation', problems.map((p) => p.message).join(' '), {
        field: `profile.${problems[0]?.field ?? ''}`,
        fields: problems.map((p) => ({ field: `profile.${p.field}`, message: p.message })),
      });
    }
    const before = list(siteId).find((p) => p.key === key)?.profile ?? null;
    db.insert(billingExportProfiles)
      .values({ siteId, key, profile: JSON.stringify(profile), updatedAt: now, updatedBy: userId })
      .onConflictDoUpdate({
        target: [billingExportProfiles.siteId, billingExportProfiles.key],
        set: { profile: JSON.stringify(profile), updatedAt: now, updatedBy: userId },
      })
      .run();
    return { before };
  }

  /** Drops the site's saved version: a shipped profile is its default again, the site's own is
   *  gone. Returns what was saved (null: nothing was) and the profile now in force (or null). */
  function reset(siteId: number, key: string) {
    const found = list(siteId).find((p) => p.key === key);
    if (!found)
      throw new ApiFailure('not-found', `There is no export profile "${key}".`, { field: 'key' });
    if (!found.saved) return { before: null, profile: found.profile };
    db.delete(billingExportProfiles)
      .where(and(eq(billingExportProfiles.siteId, siteId), eq(billingExportProfiles.key, key)))
      .run();
    return { before: found.profile, profile: DEFAULT_PROFILES[key] ?? null };
  }

  function requireRun(siteId: number, runId: number) {
    const run = db.select().from(invoiceRuns).where(eq(invoiceRuns.id, runId)).get();
    if (!run || run.siteId !== siteId)
      throw new ApiFailure('not-found', 'That invoice run was not issued for this site.', {
        field: 'runId',
      });
    return run;
  }

  /** The run's documents, a batch at a time, in number order within the run. */
  function* documents(
    runId: number,
  ): Generator<{ doc: InvoiceDocument; status: string; ex: number; gst: number; inc: number }> {
    let after = 0;
    for (;;) {
      const batch = db
        .select()
        .from(invoices)
        .where(and(eq(invoices.runId, runId), gt(invoices.id, after)))
        .orderBy(asc(invoices.id))
        .limit(BATCH)
        .all();
      for (const r of batch) {
        yield {
          doc: JSON.parse(r.document) as InvoiceDocument,
          status: r.status,
          ex: r.exGstCents,
          gst: r.gstCents,
          inc: r.incGstCents,
        };
      }
      const last = batch.at(-1);
      if (!last || batch.length < BATCH) return;
      after = last.id;
    }
  }

  /** Every invoice and credit note of the run (so voids net out as in the run's totals); meter
   *  readings only from live invoices (a voided invoice's readings are on its re-issue). */
  function* rowsOf(runId: number, profile: ExportProfile): Generator<ExportRow> {
    for (const d of documents(runId)) {
      if (profile.kind === 'meter-readings') {
        if (d.status !== 'void') yield* readingRows(d.doc);
      } else {
        yield* invoiceRows(d.doc, profile.rowPer);
      }
    }
  }

  const zero = (): RowSums => ({ exGstCents: 0, gstCents: 0, incGstCents: 0, wh: 0 });
  const add = (a: RowSums, b: RowSums) => {
    a.exGstCents += b.exGstCents;
    a.gstCents += b.gstCents;
    a.incGstCents += b.incGstCents;
    a.wh += b.wh;
  };

  function fileName(siteId: number, runId: number, key: string): string {
    const run = requireRun(siteId, runId);
    return `${key}-${run.periodStart}-to-${run.periodEnd}.csv`;
  }

  /** The check shown before the file is saved: the rows add up to the run's totals. */
  function check(siteId: number, runId: number, key: string): ExportCheck {
    requireRun(siteId, runId);
    const profile = get(siteId, key);
    const rowTotals = zero();
    let rows = 0;
    for (const r of rowsOf(runId, profile)) {
      rows += 1;
      add(rowTotals, r.sums);
    }
    // The run's totals, from the stored invoice amounts (not from the rows): money from the
    // invoices' columns; energy from the live invoices' session lines.
    const runTotals = zero();
    for (const d of documents(runId)) {
      add(runTotals, { exGstCents: d.ex, gstCents: d.gst, incGstCents: d.inc, wh: 0 });
      if (d.status !== 'void' && d.doc.kind === 'invoice')
        runTotals.wh += d.doc.sessions.reduce((s, l) => s + l.wh, 0);
    }
    const measure = profile.kind === 'meter-readings' ? 'energy' : 'money';
    let ok: boolean;
    let message: string;
    if (measure === 'money') {
      ok =
        rowTotals.exGstCents === runTotals.exGstCents &&
        rowTotals.gstCents === runTotals.gstCents &&
        rowTotals.incGstCents === runTotals.incGstCents;
      message = ok
        ? `Rows total ${dollars(rowTotals.incGstCents)} = run total ${dollars(runTotals.incGstCents)} ✓ (ex GST ${dollars(rowTotals.exGstCents)}, GST ${dollars(rowTotals.gstCents)})`
        : `The rows add up to ${dollars(rowTotals.incGstCents)} inc GST (GST ${dollars(rowTotals.gstCents)}) but the run's invoices total ${dollars(runTotals.incGstCents)} (GST ${dollars(runTotals.gstCents)}). The file was not saved; please report this.`;
    } else {
      ok = rowTotals.wh === runTotals.wh;
      message = ok
        ? `Rows total ${formatKwhValue(rowTotals.wh)} kWh = run total ${formatKwhValue(runTotals.wh)} kWh ✓`
        : `The readings add up to ${formatKwhValue(rowTotals.wh)} kWh but the run billed ${formatKwhValue(runTotals.wh)} kWh. The file was not saved; please report this.`;
    }
    return {
      ok,
      rows,
      measure,
      rowTotals,
      runTotals,
      message,
      fileName: fileName(siteId, runId, key),
    };
  }

  /** The file, written batch by batch. Refused (conflict) unless the check passes. */
  function stream(
    siteId: number,
    runId: number,
    key: string,
  ): { fileName: string; stream: Readable } {
    const c = check(siteId, runId, key);
    if (!c.ok) throw new ApiFailure('conflict', c.message);
    const profile = get(siteId, key);
    // No byte order mark: accounting packages' importers read the first header as written.
    const stream = streamPagedCsv({
      header: profile.columns.map((col) => col.header),
      rows: rowsOf(runId, profile),
      cells: (r) => formatRow(profile, r.values),
      delimiter: profile.delimiter,
    });
    return { fileName: c.fileName, stream };
  }

  return { list, get, save, reset, check, stream, requireRun };
}
