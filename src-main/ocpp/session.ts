// One live OCPP connection per charger identity, and the context the handlers share.
import type { Clock } from '../platform/clock';
import type { EventBus } from '../platform/events';
import type { DomainEvents } from '../platform/domain-events';
import type { Logger } from '../platform/logger';
import type { OcppStore } from './store';
import type { Transactions } from './transactions';
import type { stations } from '../db/schema';
import type { ActivityLinks } from './activity';
import type { OutboundQueue } from './outbound-queue';

/** The part of ocpp-rpc's RPCServerClient we use (keeps its loose typings at the edge). */
export interface RpcClientLike {
  call(method: string, params?: unknown, options?: { callTimeoutMs?: number }): Promise<unknown>;
  close(options?: {
    code?: number;
    reason?: string;
    force?: boolean;
    awaitPending?: boolean;
  }): Promise<unknown>;
  handle(
    method: string,
    handler: (ctx: { params: unknown; messageId: string; method: string }) => unknown,
  ): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
}

export interface PendingCall {
  at: number;
  action: string | null;
  messageId: string;
  /** The CALL frame as sent / received. */
  frame: string;
}

export interface Session extends ActivityLinks<Session> {
  identity: string;
  stationId: number;
  siteId: number;
  client: RpcClientLike;
  tls: boolean;
  ip: string | null;
  /** The server address the charger reached us on: used in file URLs we hand it. */
  localAddress: string | null;
  connectedAt: number;
  lastMessageAt: number;
  booted: boolean;
  /**
   * The charger's call in flight, until our answer completes the exchange's log row. OCPP-J
   * has one call in flight per direction, so one slot holds it: a Map entry per message (set,
   * then delete) reallocated the map's table each time, garbage that outlived the next
   * young-generation GC at 10,000 chargers (docs/benchmarks.md round 6).
   */
  inCall: PendingCall | null;
  /**
   * Other calls in flight: ours ('o' + messageId) and the charger's beyond the one in `inCall`
   * ('i' + messageId, a charger that breaks the one-at-a-time rule).
   */
  pending: Map<string, PendingCall>;
  /** Our calls not yet sent, by priority (one in flight at a time, OCPP-J). */
  outbound: OutboundQueue;
  closed: boolean;
  /**
   * When we last sent this connection TriggerMessage(BootNotification), until the charger
   * answers anything but Accepted: a BootNotification soon after is the one we asked for, not
   * a reboot (handlers-16.ts). A reboot drops the connection, so a new session starts at null.
   */
  bootRequestedAt: number | null;
  /** Set by a handler: close the connection after the next answer we send (with this reason). */
  closeAfterAnswer: string | null;
  /** Disconnected for going over its budget (limits.ts): its further frames are dropped. */
  flooded: boolean;
  /**
   * Inbound CALLs answered by the lean path (inbound.ts `leanInboundCalls`), -1 if that path
   * could not hook this connection's ocpp-rpc client (another ocpp-rpc version). A test fails
   * on -1: silently falling back to ocpp-rpc's path costs ~20 % of the server's CPU per message.
   */
  leanCalls: number;
  /** The data epoch it was authenticated in (runtime.ts): a restore voids older sessions. */
  epoch: number;
}

import type { CardAuthority } from '../residents/authority';

export interface OcppContext {
  store: OcppStore;
  tx: Transactions;
  clock: Clock;
  events: EventBus;
  /** Published inside the group commit: delivered after it is durable. */
  domain: DomainEvents;
  logger: Logger;
  updateStation(id: number, patch: Partial<typeof stations.$inferInsert>): void;
  configureAfterBoot(s: Session): Promise<void>;
  /** Closes the connection once the answer being built has been sent. */
  closeAfterAnswer(s: Session, reason: string): void;
  /** The site's RFID cards, consulted before the organisation-wide id tag list. */
  cards?: CardAuthority;
}
