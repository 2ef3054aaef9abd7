// The domain events, by type. Each domain adds its own here (name them `domain.what-happened`)
// and publishes them through DomainEvents (domain-events.ts); the UI sees them only through
// the projector (src-main/api/event-projector.ts). Times are UTC epoch milliseconds.

export interface DomainEventMap {
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
  // ── Residents (src-main/residents) ──
  /** A card was issued, changed, blocked or removed: publish it inside the card's transaction. */
  'card.changed': {
    cardId: number;
    siteId: number;
    change: 'added' | 'updated' | 'blocked' | 'removed';
    at: number;
  };
}
