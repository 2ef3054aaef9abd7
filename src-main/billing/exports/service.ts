// Accounting exports of an issued run: a site's export profiles (the shipped defaults, or the
// site's saved edits of them), the check that the rows add up to the run's totals to the cent,
// and the file itself, written batch by batch (never whole in memory) by the exports' one CSV
// loop (downloads/paged-csv.ts, text cells formula-escaped) for the streamed downloads seam
// (downloads/service.ts, kind 'billing-export').
import type { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
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
import { billingExportProfiles, invoiceRuns } from '../../db/schema';
import { streamPagedCsv } from '../../downloads/paged-csv';
import { formatRow, invoiceRows, readingRows, type ExportRow, type RowSums } from './rows';

const BATCH = 200;
/** Checks kept (the last per site, run and profile key). */
const CHECKS_KEPT = 32;

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
  // Only what the rows and the totals read: the documents are most of a run's bytes.
  const documentsStmt = db.$client.prepare(`
    SELECT id, status, ex_gst_cents AS ex, gst_cents AS gst, inc_gst_cents AS inc, document
    FROM invoices WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?`);
  // What a run's rows and totals depend on besides its documents, which are written once at
  // issue and never updated: which invoices and credit notes it holds, each one's status (void
  // or not) and stored amounts.
  const fingerprintStmt = db.$client.prepare(`
    SELECT count(*) AS n, group_concat(id || ':' || status || ':' || ex_gst_cents || ':' ||
      gst_cents || ':' || inc_gst_cents) AS f
    FROM (SELECT * FROM invoices WHERE run_id = ? ORDER BY id)`);
  /**
   * The last check per site, run and profile key, with what it was computed from. A check reads
   * and parses every document of the run (~0.2 s for a quarter of 500 invoices): the export
   * screen shows it, the download ticket runs it again and the file needs it before its first
   * byte; with nothing changed in between, those are the same check.
   */
  const checks = new Map<string, { basis: string; check: ExportCheck }>();
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
      const batch = documentsStmt.all(runId, after, BATCH) as {
        id: number;
        status: string;
        ex: number;
        gst: number;
        inc: number;
        document: string;
      }[];
      for (const r of batch) {
        yield {
          doc: JSON.parse(r.document) as InvoiceDocument,
          status: r.status,
          ex: r.ex,
          gst: r.gst,
          inc: r.inc,
        };
      }
      const last = batch.at(-1);
      if (!last || batch.length < BATCH) return;
      after = last.id;
    }
  }

  /** Every invoice and credit note of the run (so voids net out as in the run's totals); meter
   *  readings only from live invoices (a voided invoice's readings are on its re-issue). */
  function rowsOfDocument(
    d: { doc: InvoiceDocument; status: string },
    profile: ExportProfile,
  ): ExportRow[] {
    if (profile.kind === 'meter-readings') return d.status !== 'void' ? readingRows(d.doc) : [];
    return invoiceRows(d.doc, profile.rowPer);
  }

  function* rowsOf(runId: number, profile: ExportProfile): Generator<ExportRow> {
    for (const d of documents(runId)) yield* rowsOfDocument(d, profile);
  }

  const zero = (): RowSums => ({ exGstCents: 0, gstCents: 0, incGstCents: 0, wh: 0 });
  const add = (a: RowSums, b: RowSums) => {
    a.exGstCents += b.exGstCents;
    a.gstCents += b.gstCents;
    a.incGstCents += b.incGstCents;
    a.wh += b.wh;
  };

  const fileNameOf = (run: { periodStart: string; periodEnd: string }, key: string) =>
    `${key}-${run.periodStart}-to-${run.periodEnd}.csv`;

  /** The file's name (no check: the download's name is asked for separately). */
  function fileName(siteId: number, runId: number, key: string): string {
    get(siteId, key);
    return fileNameOf(requireRun(siteId, runId), key);
  }

  /** The check shown before the file is saved: the rows add up to the run's totals. */
  function check(siteId: number, runId: number, key: string): ExportCheck {
    const run = requireRun(siteId, runId);
    const profile = get(siteId, key);
    const { n, f } = fingerprintStmt.get(runId) as { n: number; f: string | null };
    const basis = `${JSON.stringify(profile)}\n${n}\n${f ?? ''}`;
    const cacheKey = `${siteId}:${runId}:${key}`;
    const kept = checks.get(cacheKey);
    if (kept?.basis === basis) return kept.check;
    const out = computeCheck(run, key, profile);
    checks.delete(cacheKey);
    if (checks.size >= CHECKS_KEPT) checks.delete(checks.keys().next().value ?? '');
    checks.set(cacheKey, { basis, check: out });
    return out;
  }

  function computeCheck(
    run: { periodStart: string; periodEnd: string; id: number },
    key: string,
    profile: ExportProfile,
  ): ExportCheck {
    // One pass over the documents. The rows' sums, and the run's totals from the stored invoice
    // amounts (not from the rows): money from the invoices' columns; energy from the live
    // invoices' session lines.
    const rowTotals = zero();
    const runTotals = zero();
    let rows = 0;
    for (const d of documents(run.id)) {
      for (const r of rowsOfDocument(d, profile)) {
        rows += 1;
        add(rowTotals, r.sums);
      }
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
      fileName: fileNameOf(run, key),
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

  return { list, get, save, reset, check, stream, requireRun, fileName };
}
