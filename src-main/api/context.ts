import type { MethodName, MethodOutput, MethodParsedInput } from '../../src-shared/api/contract';
import type { Services } from '../services';
import type { Caller } from '../platform/caller';

export type { Caller };

/**
 * One client of the API: a desktop window (IPC) or a browser tab (WebSocket). The transport
 * owns it; login attaches a session token to it.
 */
export interface Connection {
  id: string;
  /** Remote address (for login throttling); 'ipc' for the desktop window. */
  remote: string;
  token: string | null;
}

export interface AuditDetail {
  entity?: string;
  entityId?: string | number;
  siteId?: number | null;
  before?: unknown;
  after?: unknown;
}

export interface CallContext {
  conn: Connection;
  caller: Caller | null;
  services: Services;
  now: number;
  /** Adds entity and before/after to this call's audit entry. */
  audit(detail: AuditDetail): void;
  /** The caller, or an `unauthenticated` failure. */
  requireCaller(): Caller;
  /** Throws `forbidden` unless the caller may act on this site. */
  assertSite(siteId: number): void;
  /** Site ids the caller may see, or 'all'. */
  visibleSites(): number[] | 'all';
}

export type Handler<M extends MethodName> = (
  input: MethodParsedInput<M>,
  ctx: CallContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

export type HandlerMap<K extends MethodName> = { [M in K]: Handler<M> };
