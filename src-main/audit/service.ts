import type { Db } from '../db/open';
import { auditLog } from '../db/schema';
import type { Caller } from '../platform/caller';

export interface AuditRecord {
  at: number;
  caller: Caller | null;
  method: string;
  input: unknown;
  outcome: string;
  entity?: string;
  entityId?: string | number;
  siteId?: number | null;
  before?: unknown;
  after?: unknown;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

export type AuditService = ReturnType<typeof createAuditService>;

export function createAuditService(db: Db) {
  return {
    record(r: AuditRecord) {
      db.insert(auditLog)
        .values({
          at: r.at,
          userId: r.caller?.userId ?? null,
          userEmail: r.caller?.email ?? null,
          method: r.method,
          entity: r.entity ?? null,
          entityId: r.entityId === undefined ? null : String(r.entityId),
          siteId: r.siteId ?? null,
          input: json(r.input),
          before: json(r.before),
          after: json(r.after),
          outcome: r.outcome,
        })
        .run();
    },
  };
}
