// The run prepared at each period's end: a scheduler job per site with billing set up, daily at
// 06:00 in the site's zone, that looks for the latest period that has ended and, the first time
// it finds one without a draft or an issued run, builds the run's content (run-builder, read
// only), records a draft with its totals and emails the site's managers through the outbox, in
// one transaction, then raises an info alarm (domain event billing.run-prepared). Issuing stays
// a person's decision (invoice-run-issue).
//
// Why daily rather than "the day after the end day": the period's end day moves (0 = the month's
// last day, a 30th in February, quarters), and a daily check that finds "the latest ended
// period" also covers the app being closed that morning: the scheduler runs a missed slot once
// at start-up ('catch-up'), and that run prepares the period it missed. Idempotent by the
// draft's unique (site, period start): a second run, a restart or a racing call do nothing.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { formatCents } from '../../src-shared/billing/money';
import { formatLocalDate } from '../../src-shared/billing/invoice-document';
import type { Db } from '../db/open';
import { invoiceRunDrafts, sites, userSites, users } from '../db/schema';
import type { Outbox } from '../mail/outbox';
import type { DomainEvents } from '../platform/domain-events';
import type { Logger } from '../platform/logger';
import type { Scheduler } from '../platform/scheduler';
import type { Invoicing } from './invoicing';
import { addDays, localDate, periodContaining, type Period } from './periods';
import type { RunBuilder } from './run-builder';
import type { SettingsStore } from './settings-store';

/** Local time the job runs on the day after a period ends. */
export const PREPARE_AT = '06:00';

export type DraftRow = typeof invoiceRunDrafts.$inferSelect;

export function createPeriodEndJobs(deps: {
  db: Db;
  logger: Logger;
  scheduler: Scheduler;
  outbox: Pick<Outbox, 'enqueue'>;
  domainEvents: DomainEvents;
  settings: SettingsStore;
  builder: RunBuilder;
  invoicing: Pick<Invoicing, 'issuedRun'>;
  now: () => number;
}) {
  const { db, settings } = deps;
  const logger = deps.logger.child({ component: 'billing-period-end' });
  const removers = new Map<number, { zone: string; remove: () => void }>();

  const siteOf = (siteId: number) =>
    db
      .select({ name: sites.name, zone: sites.timeZone })
      .from(sites)
      .where(eq(sites.id, siteId))
      .get();

  /** The latest period of the site that ended by the slot's local day (its 00:00). */
  function latestEnded(siteId: number, slot: number): Period | null {
    const stored = settings.get(siteId);
    const site = siteOf(siteId);
    if (!stored || !site) return null;
    const today = localDate(slot, site.zone);
    const p = periodContaining(stored.settings, site.zone, addDays(today, -1));
    return p.end < today && p.endMs <= slot
      ? p
      : periodContaining(stored.settings, site.zone, addDays(p.start, -1));
  }

  /** Administrators, and the site administrators of this site, with an address. */
  function managers(siteId: number): { name: string; email: string }[] {
    const assigned = new Set(
      db
        .select({ id: userSites.userId })
        .from(userSites)
        .where(eq(userSites.siteId, siteId))
        .all()
        .map((r) => r.id),
    );
    return db
      .select({ id: users.id, name: users.name, email: users.email, role: users.role })
      .from(users)
      .where(and(inArray(users.role, ['admin', 'site_admin']), eq(users.disabled, false)))
      .all()
      .filter((u) => u.email.includes('@') && (u.role === 'admin' || assigned.has(u.id)));
  }

  /**
   * Prepares the draft of the latest ended period, once. Returns it when this call wrote it;
   * null when there was nothing to do (already prepared or issued, billing set up after the
   * period ended, no settings).
   */
  function prepare(siteId: number, slot: number): DraftRow | null {
    const period = latestEnded(siteId, slot);
    const stored = settings.get(siteId);
    const site = siteOf(siteId);
    const setUpAt = settings.createdAt(siteId);
    if (!period || !stored || !site || setUpAt === null) return null;
    // Periods that ended before billing was set up are run by hand, if at all.
    if (period.endMs <= setUpAt) return null;
    if (deps.invoicing.issuedRun(siteId, period.start)) return null;
    const content = deps.builder.build(siteId, period, stored.settings);
    const totals = { exGstCents: 0, gstCents: 0, incGstCents: 0 };
    for (const a of content.accounts) {
      totals.exGstCents += a.totals.exGstCents;
      totals.gstCents += a.totals.gstCents;
      totals.incGstCents += a.totals.incGstCents;
    }
    const now = deps.now();
    const to = managers(siteId);
    const summary = [
      `The invoice run for ${period.label} (${formatLocalDate(period.start)} to ${formatLocalDate(period.end)}) at ${site.name} is ready to review.`,
      '',
      `  Accounts to invoice: ${content.accounts.length}`,
      `  Total inc GST: ${formatCents(totals.incGstCents)} (GST ${formatCents(totals.gstCents)})`,
      `  Sessions held for review: ${content.held.length}`,
      '',
      'Nothing has been issued. Open StrataCharge → Billing → Invoice runs, preview the period and issue it when it is right.',
    ].join('\n');
    return deps.domainEvents.transaction(
      (run) => db.transaction(() => run()),
      () => {
        const row = db
          .insert(invoiceRunDrafts)
          .values({
            siteId,
            periodStart: period.start,
            periodEnd: period.end,
            periodLabel: period.label,
            preparedAt: now,
            slotAt: slot,
            accounts: content.accounts.length,
            held: content.held.length,
            ...totals,
            notified: to.length,
          })
          .onConflictDoNothing()
          .returning()
          .get();
        // Another run (a restart mid-way, a racing call) prepared it: nothing more to do.
        if (!row) return null;
        for (const m of to) {
          deps.outbox.enqueue(db, {
            kind: 'billing-run-prepared',
            to: [m.email],
            subject: `[StrataCharge] ${site.name}: the ${period.label} invoice run is ready to review`,
            text: `Hello ${m.name},\n\n${summary}\n`,
          });
        }
        deps.domainEvents.publish({
          type: 'billing.run-prepared',
          siteId,
          draftId: row.id,
          periodLabel: period.label,
          periodStart: period.start,
          periodEnd: period.end,
          accounts: row.accounts,
          held: row.held,
          incGstCents: row.incGstCents,
          at: now,
        });
        return row;
      },
    );
  }

  function arm(siteId: number): void {
    const site = siteOf(siteId);
    const current = removers.get(siteId);
    if (current && site && current.zone === site.zone) return;
    current?.remove();
    removers.delete(siteId);
    if (!site || !settings.get(siteId)) return;
    const remove = deps.scheduler.add({
      name: `billing.period-end.${siteId}`,
      schedule: { daily: PREPARE_AT, zone: site.zone },
      missed: 'catch-up',
      run: ({ slot }) => {
        const draft = prepare(siteId, slot);
        if (draft)
          logger.info('invoice run prepared at period end', {
            siteId,
            period: draft.periodStart,
            accounts: draft.accounts,
          });
      },
    });
    removers.set(siteId, { zone: site.zone, remove });
  }

  /** Drafts of a site, newest first, with whether each has been issued since. */
  function list(siteId: number) {
    return db
      .select()
      .from(invoiceRunDrafts)
      .where(eq(invoiceRunDrafts.siteId, siteId))
      .orderBy(desc(invoiceRunDrafts.periodStart))
      .all()
      .map((d) => ({
        ...d,
        issuedRunId: deps.invoicing.issuedRun(siteId, d.periodStart)?.id ?? null,
      }));
  }

  let unsubscribe: (() => void) | null = null;
  /** Drops every job and arms those of the billed sites in the data as it is now. */
  function rearmAll(): void {
    for (const r of removers.values()) r.remove();
    removers.clear();
    for (const id of settings.sites()) arm(id);
  }
  return {
    prepare,
    list,
    /**
     * After a live restore (a restore hook in core.ts): the restored data has its own billed
     * sites and zones, which no event announced, so the jobs are rebuilt from it.
     */
    afterRestore: () => {
      if (unsubscribe) rearmAll();
    },
    /** Registers every billed site's job (before the scheduler starts: a missed slot catches up). */
    start() {
      rearmAll();
      settings.onSaved(arm);
      // A new zone moves the 06:00; a removed site's job goes with it.
      unsubscribe = deps.domainEvents.subscribe('site.changed', (e) => arm(e.siteId));
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
      for (const r of removers.values()) r.remove();
      removers.clear();
    },
  };
}

export type PeriodEndJobs = ReturnType<typeof createPeriodEndJobs>;
