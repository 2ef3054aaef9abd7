// Handlers for the billing methods: thin calls into services.billing with the audit detail.
// Site scoping is declared in site-scope.ts; an EV user reaches only my-invoice-*, which find
// the accounts from the login and never from the input.
import { ApiFailure } from '../../../src-shared/api/result';
import { DEFAULT_BILLING_SETTINGS } from '../../../src-shared/billing/settings';
import { FLOOR_PLAN_TYPES } from '../../../src-shared/floor-plans';
import type { MethodName } from '../../../src-shared/api/contract';
import type { HandlerMap, CallContext } from '../context';
import { localMidnight } from '../../billing/periods';

type BillingMethod =
  | Extract<MethodName, `tariff-${string}`>
  | 'holiday-set'
  | Extract<MethodName, `billing-${string}`>
  | Extract<MethodName, `invoice-${string}`>
  | Extract<MethodName, `my-invoice-${string}`>;

const runOut = (ctx: CallContext, runId: number) => ctx.services.billing.invoicing.runTotals(runId);

function myAccountIds(ctx: CallContext): number[] {
  const caller = ctx.requireCaller();
  return ctx.services.residents.accounts.accountsOfUser(caller.userId, caller.siteIds);
}

export const billingHandlers: HandlerMap<BillingMethod> = {
  'tariff-list': (i, ctx) => {
    const { tariffs } = ctx.services.billing;
    const labels = ctx.services.residents.accounts.listBays(i.siteId);
    const accounts = ctx.services.residents.accounts.list(i.siteId, {}, ctx.now);
    const stations = ctx.services.model.listStations({ siteId: i.siteId, visible: 'all' });
    const label = (target: string, id: number): string => {
      switch (target) {
        case 'site':
          return 'The whole site';
        case 'station':
          return stations.find((s) => s.id === id)?.name ?? `Station ${id}`;
        case 'connector':
        case 'bay': {
          const b = labels.find((x) => x.connectorId === id);
          return b
            ? `${b.stationName} / outlet ${b.connectorNumber}${b.label ? ` (bay ${b.label})` : ''}`
            : `Connector ${id}`;
        }
        case 'account': {
          const a = accounts.find((x) => x.id === id);
          return a ? `Lot ${a.lotNumber} — ${a.ownerNames}` : `Account ${id}`;
        }
        default:
          return String(id);
      }
    };
    return {
      tariffs: tariffs.list(i.siteId, ctx.now),
      assignments: tariffs.assignments(i.siteId, ctx.now).map((a) => ({
        target: a.target,
        targetId: a.targetId,
        label: label(a.target, a.targetId),
        tariffId: a.tariffId,
        effectiveFrom: a.effectiveFrom,
      })),
      assignmentHistory: tariffs.assignmentHistory(i.siteId).map((a) => ({
        target: a.target,
        targetId: a.targetId,
        label: label(a.target, a.targetId),
        tariffId: a.tariffId,
        effectiveFrom: a.effectiveFrom,
      })),
      holidays: tariffs.holidays(i.siteId),
    };
  },

  'tariff-create': (i, ctx) => {
    const after = ctx.services.billing.tariffs.create(i.siteId, i.effectiveFrom, i.tariff, ctx.now);
    ctx.audit({ entity: 'tariff', entityId: after.id, siteId: i.siteId, after: i });
    return after;
  },

  'tariff-version-add': (i, ctx) => {
    const { tariffs } = ctx.services.billing;
    const before = tariffs.record(i.tariffId, ctx.now);
    const after = tariffs.addVersion(i.tariffId, i.effectiveFrom, i.tariff, ctx.now);
    ctx.audit({
      entity: 'tariff',
      entityId: i.tariffId,
      siteId: after.siteId,
      before: before.versions.at(-1),
      after: { effectiveFrom: i.effectiveFrom, tariff: i.tariff },
    });
    return after;
  },

  'tariff-assign': (i, ctx) => {
    const { tariffs } = ctx.services.billing;
    // No date: everything not yet invoiced (since always, before the first run is issued).
    const effectiveFrom = i.effectiveFrom ?? tariffs.firstOpenDate(i.siteId);
    tariffs.assign(i.siteId, i.target, i.targetId, i.tariffId, effectiveFrom, ctx.now);
    ctx.audit({
      entity: 'tariff-assignment',
      entityId: `${i.target}:${i.targetId}`,
      siteId: i.siteId,
      after: { ...i, effectiveFrom },
    });
    return { ok: true as const };
  },

  'holiday-set': (i, ctx) => {
    const { tariffs } = ctx.services.billing;
    const before = tariffs.holidays(i.siteId);
    tariffs.setHolidays(i.siteId, i.holidays);
    ctx.audit({ entity: 'holidays', siteId: i.siteId, before, after: i.holidays });
    return { ok: true as const };
  },

  'billing-settings-get': (i, ctx) => {
    const { settings } = ctx.services.billing;
    const s = settings.get(i.siteId);
    const logo = s?.logoSha ? settings.logo(s.logoSha) : null;
    return {
      settings: s?.settings ?? null,
      logo:
        s?.logoSha && logo
          ? { sha: s.logoSha, contentType: logo.contentType, size: logo.content.length }
          : null,
    };
  },

  'billing-settings-update': (i, ctx) => {
    const { siteId, ...fields } = i;
    const { settings } = ctx.services.billing;
    const before = settings.get(siteId)?.settings ?? null;
    const after = settings.update(siteId, fields, ctx.now);
    ctx.audit({ entity: 'billing-settings', entityId: siteId, siteId, before, after });
    return after;
  },

  'billing-logo-set': (i, ctx) => {
    const data = i.base64 === null ? null : Buffer.from(i.base64, 'base64');
    const sha = ctx.services.billing.settings.setLogo(i.siteId, data, ctx.now);
    ctx.audit({ entity: 'billing-logo', entityId: i.siteId, siteId: i.siteId, after: { sha } });
    return { sha };
  },

  'billing-logo-get': (i, ctx) => {
    const { settings } = ctx.services.billing;
    const sha = settings.get(i.siteId)?.logoSha ?? null;
    const logo = sha ? settings.logo(sha) : null;
    if (!sha || !logo) return null;
    const contentType = FLOOR_PLAN_TYPES.find((t) => t === logo.contentType);
    // Only checked types are ever stored (pdf/logo-check.ts); anything else is not shown.
    return contentType ? { sha, contentType, base64: logo.content.toString('base64') } : null;
  },

  'invoice-sample-pdf': async (i, ctx) => {
    const out = await ctx.services.billing.samplePdf(i.siteId, ctx.now);
    return { fileName: out.fileName, base64: out.content.toString('base64') };
  },

  'invoice-run-email': async (i, ctx) => {
    const out = await ctx.services.billing.emailing.emailRun(i.siteId, i.runId);
    ctx.audit({
      entity: 'invoice-run',
      entityId: i.runId,
      siteId: i.siteId,
      after: { emailed: out.queued, toPrint: out.status.toPrint },
    });
    return out;
  },
  'invoice-run-email-status': (i, ctx) => ctx.services.billing.emailing.status(i.siteId, i.runId),
  'invoice-run-email-retry': (i, ctx) => {
    const out = ctx.services.billing.emailing.retry(i.siteId, i.runId);
    ctx.audit({ entity: 'invoice-run', entityId: i.runId, siteId: i.siteId, after: out });
    return out;
  },

  'invoice-run-preview': (i, ctx) => ctx.services.billing.preview(i.siteId, i.date, ctx.now),

  'invoice-run-issue': (i, ctx) => {
    const { invoicing } = ctx.services.billing;
    const caller = ctx.requireCaller();
    const { run, alreadyIssued } = invoicing.issueRun(i.siteId, i.date, caller.userId, ctx.now);
    const { totals, invoices } = runOut(ctx, run.id);
    const out = {
      id: run.id,
      siteId: run.siteId,
      period: {
        start: run.periodStart,
        end: run.periodEnd,
        startMs: run.periodStartMs,
        endMs: run.periodEndMs,
        label: `${run.periodStart} to ${run.periodEnd}`,
      },
      issuedAt: run.issuedAt,
      invoices,
      totals,
      held: run.held,
      alreadyIssued,
    };
    if (!alreadyIssued)
      ctx.audit({ entity: 'invoice-run', entityId: run.id, siteId: i.siteId, after: { ...out } });
    return out;
  },

  'invoice-run-list': (i, ctx) => {
    const { invoicing } = ctx.services.billing;
    return invoicing.runs(i.siteId).map((run) => {
      const { totals, invoices } = invoicing.runTotals(run.id);
      return {
        id: run.id,
        siteId: run.siteId,
        period: {
          start: run.periodStart,
          end: run.periodEnd,
          startMs: run.periodStartMs,
          endMs: run.periodEndMs,
          label: `${run.periodStart} to ${run.periodEnd}`,
        },
        issuedAt: run.issuedAt,
        invoices,
        totals,
        held: run.held,
      };
    });
  },

  'invoice-list': (i, ctx) => {
    const { invoicing } = ctx.services.billing;
    return invoicing.summaries({
      siteId: i.siteId,
      runId: i.runId,
      status: i.status,
      limit: i.limit,
    });
  },

  'invoice-get': (i, ctx) => {
    const { invoicing } = ctx.services.billing;
    const row = invoicing.require(i.id);
    const doc = invoicing.documentOfRow(row);
    return {
      summary: invoicing.summaryOf(row),
      document: {
        title: doc.title,
        number: doc.number,
        sessions: doc.sessions,
        fees: doc.fees,
        totals: doc.totals,
      },
    };
  },

  'invoice-void': (i, ctx) => {
    const { invoicing } = ctx.services.billing;
    const before = invoicing.summaryOf(invoicing.require(i.id));
    const { creditNoteId } = invoicing.voidInvoice(i.id, i.reason, ctx.now);
    const voided = invoicing.summaryOf(invoicing.require(i.id));
    const creditNote = invoicing.summaryOf(invoicing.require(creditNoteId));
    ctx.audit({
      entity: 'invoice',
      entityId: i.id,
      siteId: voided.siteId,
      before,
      after: { status: voided.status, reason: i.reason, creditNote: creditNote.number },
    });
    return { voided, creditNote };
  },

  'invoice-reissue': (i, ctx) => {
    const { invoicing } = ctx.services.billing;
    const id = invoicing.reissue(i.id, ctx.now);
    const after = invoicing.summaryOf(invoicing.require(id));
    ctx.audit({
      entity: 'invoice',
      entityId: id,
      siteId: after.siteId,
      after: { reissues: i.id, number: after.number },
    });
    return after;
  },

  'invoice-mark-paid': (i, ctx) => {
    const { invoicing, tariffs } = ctx.services.billing;
    const row = invoicing.require(i.id);
    let paidAt: number;
    try {
      paidAt = localMidnight(i.paidOn, tariffs.zoneOf(row.siteId));
    } catch {
      throw new ApiFailure('validation', `"${i.paidOn}" is not a date.`, { field: 'paidOn' });
    }
    invoicing.markPaid(i.id, paidAt, i.reference);
    const after = invoicing.summaryOf(invoicing.require(i.id));
    ctx.audit({
      entity: 'invoice',
      entityId: i.id,
      siteId: row.siteId,
      after: { status: 'paid', paidOn: i.paidOn, reference: i.reference },
    });
    return after;
  },

  'invoice-payments-import': (i, ctx) => {
    const out = ctx.services.billing.importPayments(i.siteId, i.csv, i.mode);
    if (out.paid !== null)
      ctx.audit({
        entity: 'payments-import',
        siteId: i.siteId,
        after: { rows: out.rows, paid: out.paid },
      });
    return out;
  },

  // Revenue, energy and margin per billing period (billing/reports/billing-report.ts).
  'billing-report': (i, ctx) => {
    const { billing } = ctx.services;
    const settings = billing.settings.get(i.siteId)?.settings ?? DEFAULT_BILLING_SETTINGS;
    return billing.reports.report(
      i.siteId,
      settings,
      { from: i.from, to: i.to },
      i.cost,
      i.buildingMeter,
    );
  },

  'my-invoice-list': (_i, ctx) => {
    const ids = myAccountIds(ctx);
    if (ids.length === 0) return [];
    const { invoicing } = ctx.services.billing;
    return invoicing.summaries({ accountIds: ids, limit: 500 });
  },
};
