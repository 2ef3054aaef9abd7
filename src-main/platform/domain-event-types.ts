// The domain events, by type. Each domain adds its own here (name them `domain.what-happened`)
// and publishes them through DomainEvents (domain-events.ts); the UI sees them only through
// the projector (src-main/platform/event-projector.ts). Times are UTC epoch milliseconds.
import type { Station } from '../../src-shared/model';

type Phases = Station['phases'];

/** What a created, updated or removed row of the organisation tree was. */
export type TreeChange = 'created' | 'updated' | 'removed';
/** The site fields an update may change (`site.changed`'s `changed`). */
export type SiteField = 'name' | 'strataPlan' | 'address' | 'timeZone' | 'latitude' | 'longitude';
/** The station fields an update may change (`station.updated`'s `changed`). */
export type StationField =
  | 'siteId'
  | 'floorId'
  | 'name'
  | 'maxCurrentA'
  | 'phases'
  /** How its phases land on the building's (set from the load-balancing model). */
  | 'rotation'
  | 'approved'
  | 'blocked'
  | 'securityProfile'
  | 'password';
/** The connector settings an update may change (`connector.updated`'s `changed`). */
export type ConnectorField = 'name' | 'type' | 'maxCurrentA';

/** A load-balancing fault: a charger refusing limits, drawing above its limit, a node overloaded. */
export interface BalancingFault {
  /** Stable while the condition lasts, e.g. `uncontrolled:12/1`, `overload:MSB:L2`. */
  key: string;
  kind: 'uncontrolled' | 'over-limit' | 'overload';
  stationId: number | null;
  connectorNumber: number | null;
  title: string;
  detail: string;
}

export interface DomainEventMap {
  // ── The organisation tree (src-main/model): writes by the API, setup, adoption, the demo ──
  /** A site was created, edited (its time zone, say) or removed. */
  'site.changed': {
    siteId: number;
    change: TreeChange;
    /** Fields that differ from before (updates only; empty otherwise). */
    changed: SiteField[];
    /** The site's IANA zone after the change (before it, for a removal). */
    timeZone: string;
    at: number;
  };
  'floor.changed': { floorId: number; siteId: number; change: TreeChange; at: number };
  'station.created': {
    stationId: number;
    siteId: number;
    floorId: number | null;
    identity: string;
    maxCurrentA: number;
    phases: Phases;
    connectorCount: number;
    approved: boolean;
    at: number;
  };
  /** Only published when a field changed; the values are the station's after the update. */
  'station.updated': {
    stationId: number;
    siteId: number;
    /** Differs from siteId when the station moved to another site. */
    previousSiteId: number;
    identity: string;
    changed: StationField[];
    maxCurrentA: number;
    phases: Phases;
    approved: boolean;
    blocked: boolean;
    at: number;
  };
  'station.removed': { stationId: number; siteId: number; identity: string; at: number };
  /** An outlet's settings (name, plug type, rating) changed; only published when one did. */
  'connector.updated': {
    stationId: number;
    siteId: number;
    connectorId: number;
    connectorNumber: number;
    changed: ConnectorField[];
    /** The outlet's own rating after the change (null: the station's applies). */
    maxCurrentA: number | null;
    at: number;
  };
  // ── Stations (src-main/ocpp) ──
  'station.connected': { stationId: number; siteId: number; identity: string; at: number };
  'station.disconnected': { stationId: number; siteId: number; identity: string; at: number };
  'station.booted': {
    stationId: number;
    siteId: number;
    identity: string;
    /** Our BootNotification answer. */
    status: 'Accepted' | 'Pending' | 'Rejected';
    vendor: string | null;
    model: string | null;
    firmwareVersion: string | null;
    at: number;
  };
  'connector.status': {
    stationId: number;
    siteId: number;
    /** 0: the charge point as a whole. */
    connectorNumber: number;
    status: string;
    /** null for NoError. */
    errorCode: string | null;
    info: string | null;
    vendorId: string | null;
    vendorErrorCode: string | null;
    at: number;
  };
  'station.file-status': {
    stationId: number;
    siteId: number;
    kind: 'firmware' | 'diagnostics';
    status: string;
    at: number;
  };
  // ── Transactions (src-main/ocpp/transactions.ts) ──
  'transaction.started': {
    transactionId: number;
    stationId: number;
    siteId: number;
    connectorNumber: number;
    idTag: string;
    meterStartWh: number;
    at: number;
  };
  'transaction.meter': {
    transactionId: number;
    stationId: number;
    siteId: number;
    connectorNumber: number;
    /** Energy delivered so far (register minus start), Wh. */
    energyWh: number | null;
    powerW: number | null;
    /** Current.Import per phase, A (null: not reported). */
    currentA: { L1: number | null; L2: number | null; L3: number | null } | null;
    socPercent: number | null;
    at: number;
  };
  'transaction.stopped': {
    transactionId: number;
    stationId: number;
    siteId: number;
    connectorNumber: number;
    /** Energy delivered in total, Wh. */
    energyWh: number | null;
    reason: string | null;
    at: number;
  };
  /** Newly flagged suspect (may clear itself) or for review (only the operator clears it). */
  'transaction.flagged': {
    transactionId: number;
    /** null: a transaction whose station was deleted. */
    stationId: number | null;
    flag: 'suspect' | 'review';
    reason: string;
    at: number;
  };
  // ── Sessions (src-main/sessions) ──
  /** A manager decided on a (flagged) session: its billable state changed (docs/sessions.md). */
  'session.resolved': {
    transactionId: number;
    /** null: a session whose station was deleted. */
    siteId: number | null;
    action: 'accept' | 'set-stop-reading' | 'attribute' | 'exclude';
    at: number;
  };
  // ── Residents (src-main/residents) ──
  /** A card was issued, changed, blocked or removed: publish it inside the card's transaction. */
  'card.changed': {
    cardId: number;
    siteId: number;
    change: 'added' | 'updated' | 'blocked' | 'removed';
    at: number;
  };
  /** An account opened, closed (its cards stop on that date) or changed hands. */
  'account.changed': {
    accountId: number;
    siteId: number;
    change: 'opened' | 'updated' | 'closed';
    at: number;
  };
  /** A connector became a private, shared or visitor bay (who may charge on it changed). */
  'bay.changed': {
    connectorId: number;
    stationId: number;
    siteId: number;
    kind: 'private' | 'shared' | 'visitor';
    accountId: number | null;
    at: number;
  };
  // ── Load balancing (src-main/balancing) ──
  /** A site's electrical model was saved (the controller recomputes, fallbacks are renewed). */
  'balancing.model-saved': { siteId: number; at: number };
  /** The controller recomputed a site's allocation (the live view refreshes). */
  'balancing.allocated': { siteId: number; at: number };
  /**
   * The faults the controller sees on a site now (published when the set changes; empty = none):
   * the alarms domain raises one alarm per fault and clears those no longer listed.
   */
  'balancing.faults': { siteId: number; faults: BalancingFault[]; at: number };
  // ── OCPP connections and our calls (src-main/ocpp) ──
  /** A charger was refused at the handshake (unknown identity, wrong password, ...). */
  'station.connection-refused': {
    identity: string;
    ip: string | null;
    reason: string;
    /** null: no station has this identity (an unknown charger). */
    stationId: number | null;
    siteId: number | null;
    at: number;
  };
  /** A command we sent a charger (reset, unlock, remote start, ...) failed or was refused. */
  'station.operation-failed': {
    stationId: number;
    siteId: number;
    identity: string;
    operation: string;
    reason: string;
    at: number;
  };
  /** The same kind of command later succeeded (closes that command's failure alarm). */
  'station.operation-succeeded': {
    stationId: number;
    siteId: number;
    identity: string;
    operation: string;
    at: number;
  };
  /**
   * A Modbus meter (on the supply or a circuit id: `target`) gave no reading within its timeout,
   * or garbage: the controller counts the assumed load there (the worst case) until it is back.
   */
  'balancing.meter-quiet': {
    siteId: number;
    target: string;
    host: string;
    reason: string;
    at: number;
  };
  /** A quiet meter answered with a good reading again. */
  'balancing.meter-restored': { siteId: number; target: string; host: string; at: number };
  // ── Mail (src-main/mail/outbox.ts): a message given up on, or one that went out ──
  'mail.failed': {
    outboxId: number;
    kind: string;
    subject: string;
    reason: string;
    /** The mail server itself failed (unreachable, refused the login, TLS), not this message. */
    transport: boolean;
    at: number;
  };
  'mail.sent': { outboxId: number; kind: string; at: number };
  /** A message queued (new, retried, or waiting to be tried again) or being sent now. */
  'mail.changed': { outboxId: number; state: 'queued' | 'sending'; at: number };
  // ── Backups (src-main/backup) ──
  'backup.failed': { reason: string; at: number };
  'backup.completed': { fileName: string; at: number };
  // ── Billing (src-main/billing) ──
  /** The scheduler prepared the run of a period that just ended (a draft; nothing issued). */
  'billing.run-prepared': {
    siteId: number;
    draftId: number;
    periodLabel: string;
    periodStart: string;
    periodEnd: string;
    accounts: number;
    held: number;
    incGstCents: number;
    at: number;
  };
  /** A manager issued the run of a period (invoices numbered; closes its prepared-run alarm). */
  'billing.run-issued': {
    siteId: number;
    runId: number;
    periodStart: string;
    periodEnd: string;
    invoices: number;
    at: number;
  };
  // ── Alarms (src-main/alarms): a new alarm, or one repeated, acknowledged or cleared ──
  'alarm.raised': {
    alarmId: number;
    /** null: organisation-wide. */
    siteId: number | null;
    stationId: number | null;
    rule: string;
    severity: 'critical' | 'warning' | 'info';
    title: string;
    detail: string | null;
    at: number;
  };
  'alarm.changed': {
    alarmId: number;
    siteId: number | null;
    stationId: number | null;
    change: 'repeated' | 'acknowledged' | 'cleared';
    at: number;
  };
}
