// The Billing → Reports tab as a CSV file (a streamed download, kind 'billing-report-csv'): the
// same question (site, range, electricity cost, car-park meter readings) gives the same figures
// as billing-report, one row per billing period as the tab's table shows them, then the Total
// row. Dates dd/mm/yyyy (en-AU, like the tab); money in dollars with two decimals and energy in
// kWh with three (exact: cents and Wh), plain numbers a spreadsheet sums. The car-park meter's
// figures, when the manager entered its readings, are two columns filled on the Total row (they
// are for the whole range, not per period).
import type { Readable } from 'node:stream';
import {
  DEFAULT_BILLING_SETTINGS,
  type BillingSettings,
} from '../../../src-shared/billing/settings';
import { formatLocalDate } from '../../../src-shared/billing/invoice-document';
import { streamPagedCsv } from '../../downloads/paged-csv';
import type { CsvCell } from '../../downloads/csv-writer';
import type { BillingReport, BillingReports, CostBasis, PeriodFigures } from './billing-report';

export interface ReportQuestion {
  siteId: number;
  from: string;
  to: string;
  cost: CostBasis;
  buildingMeter: { openingWh: number; closingWh: number } | null;
}

/** Cents as dollars for a spreadsheet: 123456 → '1234.56', -5 → '-0.05'. */
export const csvDollars = (cents: number): string =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
/** Wh as kWh with three decimals: 14720 → '14.720'. */
export const csvKwh = (wh: number): string => (wh / 1000).toFixed(3);

type Row = Omit<PeriodFigures, 'runId'> & { issued: string };

/** The header and rows of a report, in the tab's columns. */
export function reportTable(r: BillingReport): { header: string[]; rows: CsvCell[][] } {
  const hasCost = r.totals.costCents !== null;
  const meter = r.buildingMeter;
  const header = [
    'Period',
    'From',
    'To',
    'Run issued',
    'Invoices',
    'Revenue ex GST ($)',
    'GST ($)',
    'Inc GST ($)',
    'Delivered kWh',
    'Billed kWh',
    'Not billed kWh',
    'Not billed sessions',
    ...(hasCost ? ['Electricity cost ex GST ($)', 'Margin ex GST ($)'] : []),
    ...(meter ? ['Car-park meter kWh', 'Losses and unmetered kWh'] : []),
  ];
  const first = r.periods[0];
  const last = r.periods.at(-1);
  const rows: Row[] = [
    ...r.periods.map((p) => ({ ...p, issued: p.runId === null ? 'no' : 'yes' })),
    {
      ...r.totals,
      label: 'Total',
      start: first?.start ?? '',
      end: last?.end ?? '',
      issued: '',
    },
  ];
  return {
    header,
    rows: rows.map((p, i) => {
      const isTotal = i === rows.length - 1;
      return [
        p.label,
        p.start ? formatLocalDate(p.start) : '',
        p.end ? formatLocalDate(p.end) : '',
        p.issued,
        p.invoices,
        csvDollars(p.exGstCents),
        csvDollars(p.gstCents),
        csvDollars(p.incGstCents),
        csvKwh(p.deliveredWh),
        csvKwh(p.billedWh),
        csvKwh(p.unbilledWh),
        p.unbilledSessions,
        ...(hasCost ? [csvDollars(p.costCents ?? 0), csvDollars(p.marginCents ?? 0)] : []),
        ...(meter ? (isTotal ? [csvKwh(meter.measuredWh), csvKwh(meter.lossesWh)] : ['', '']) : []),
      ];
    }),
  };
}

export function createBillingReportCsv(deps: {
  reports: BillingReports;
  settingsOf: (siteId: number) => BillingSettings | null;
}) {
  const settingsOf = (siteId: number) => deps.settingsOf(siteId) ?? DEFAULT_BILLING_SETTINGS;
  return {
    /** Throws the report's own refusal (dates, range, tariff, readings) before any download. */
    check(q: ReportQuestion): void {
      deps.reports.check(q.siteId, settingsOf(q.siteId), q, q.cost, q.buildingMeter);
    },
    fileName: (q: ReportQuestion) => `billing-report-${q.from}-to-${q.to}.csv`,
    /** The file (the report is computed here, as billing-report computes it for the tab). */
    stream(q: ReportQuestion): Readable {
      const { header, rows } = reportTable(
        deps.reports.report(q.siteId, settingsOf(q.siteId), q, q.cost, q.buildingMeter),
      );
      return streamPagedCsv<CsvCell[]>({ header, rows, cells: (row) => row, bom: true });
    },
  };
}

export type BillingReportCsv = ReturnType<typeof createBillingReportCsv>;
