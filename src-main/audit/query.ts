// Reading the audit log: filters, paging, and the records of the streamed CSV export.
import { and, eq, gte, lte, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { AuditEntry } from '../../src-shared/model';
import type { Db } from '../db/open';
import { auditLog } from '../db/schema';
import { containsPattern, fromTable, pagedQuery, type PageRequest } from '../db/paged';

export interface AuditFilter {
  from?: number;
  to?: number;
  userId?: number;
  method?: string;
  /** Free text, matched anywhere in the input, before/after, entity or user email. */
  text?: string;
}

const parse = (v: string | null): unknown => {
  if (v === null) return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

/** The filter as SQL (also used by the streamed CSV export, downloads/audit-csv.ts). */
export function auditWhere(f: AuditFilter): SQL | undefined {
  const text = f.text?.trim();
  const pattern = text ? containsPattern(text) : '';
  // drizzle's like() has no ESCAPE clause; the pattern stays a bound parameter.
  const escaped = (col: AnyColumn) => sql`${col} LIKE ${pattern} ESCAPE '\\'`;
  return and(
    f.from === undefined ? undefined : gte(auditLog.at, f.from),
    f.to === undefined ? undefined : lte(auditLog.at, f.to),
    f.userId === undefined ? undefined : eq(auditLog.userId, f.userId),
    f.method ? eq(auditLog.method, f.method.trim()) : undefined,
    text
      ? or(
          escaped(auditLog.input),
          escaped(auditLog.before),
          escaped(auditLog.after),
          escaped(auditLog.entity),
          escaped(auditLog.entityId),
          escaped(auditLog.userEmail),
        )
      : undefined,
  );
}

export function listAudit(
  db: Db,
  filter: AuditFilter & PageRequest,
): { total: number; next: string | null; entries: AuditEntry[] } {
  const { total, next, rows } = pagedQuery({
    filter: [auditWhere(filter)],
    order: { key: auditLog.at, tie: auditLog.id },
    page: filter,
    ...fromTable(db, auditLog),
    keyOf: (r) => [r.at, r.id],
  });
  return {
    total,
    next,
    entries: rows.map((r) => ({
      id: r.id,
      at: r.at,
      userId: r.userId,
      userEmail: r.userEmail,
      method: r.method,
      entity: r.entity,
      entityId: r.entityId,
      siteId: r.siteId,
      input: parse(r.input),
      before: parse(r.before),
      after: parse(r.after),
      outcome: r.outcome,
    })),
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** YYYYMMDD in the machine's local time (file names are read by people on that machine). */
export const localDateStamp = (t: number) => {
  const d = new Date(t);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
};

const localFormat = new Intl.DateTimeFormat('en-AU', {
  dateStyle: 'short',
  timeStyle: 'medium',
});

export const AUDIT_CSV_COLUMNS = [
  'id',
  'at_utc',
  'at_local',
  'user_id',
  'user_email',
  'method',
  'outcome',
  'entity',
  'entity_id',
  'site_id',
  'input',
  'before',
  'after',
] as const;

/** A row as stored (snake_case columns, as SQLite returns them) → a CSV record. */
export interface AuditRowRaw {
  id: number;
  at: number;
  user_id: number | null;
  user_email: string | null;
  method: string;
  outcome: string;
  entity: string | null;
  entity_id: string | null;
  site_id: number | null;
  input: string | null;
  before: string | null;
  after: string | null;
}

export function auditCsvRecord(
  r: AuditRowRaw,
): Record<(typeof AUDIT_CSV_COLUMNS)[number], string | number> {
  return {
    id: r.id,
    at_utc: new Date(r.at).toISOString(),
    at_local: localFormat.format(new Date(r.at)),
    user_id: r.user_id ?? '',
    user_email: r.user_email ?? '',
    method: r.method,
    outcome: r.outcome,
    entity: r.entity ?? '',
    entity_id: r.entity_id ?? '',
    site_id: r.site_id ?? '',
    input: r.input ?? '',
    before: r.before ?? '',
    after: r.after ?? '',
  };
}
