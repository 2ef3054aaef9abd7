import type { Result } from './result';

// Events the core pushes to connected UIs (the UI never polls for live state).
// Each domain adds its events to this union; `siteId` lets the transport send an event only to
// users who may see that site (null = organisation-wide, staff only).
export type CoreEvent =
  | { type: 'tree-changed'; siteId: number | null }
  | {
      type: 'station-connection';
      siteId: number;
      stationId: number;
      connected: boolean;
      at: number;
    }
  | {
      type: 'connector-status';
      siteId: number;
      stationId: number;
      connectorNumber: number;
      status: string;
      errorCode: string | null;
      at: number;
    }
  // ── OCPP (src-main/ocpp) ──
  | {
      type: 'transaction-started' | 'transaction-updated' | 'transaction-stopped';
      siteId: number | null;
      stationId: number | null;
      transactionId: number;
      connectorNumber: number;
      /** Energy so far (updated) or in total (stopped), Wh. */
      energyWh: number | null;
      /** Latest Power.Active.Import in W, when the charger reports it. */
      powerW: number | null;
      at: number;
    }
  | {
      type: 'charger-attempt';
      siteId: null;
      identity: string;
      ip: string | null;
      reason: string;
      at: number;
    }
  | {
      type: 'station-booted';
      siteId: number;
      stationId: number;
      /** The BootNotification answer: Accepted, Pending or Rejected. */
      status: string;
      at: number;
    }
  | {
      type: 'station-firmware-status';
      siteId: number;
      stationId: number;
      kind: 'firmware' | 'diagnostics';
      status: string;
      at: number;
    }
  // ── Floor plans (src-main/floor-plans): a plan uploaded or removed, a station placed ──
  | { type: 'floor-plan-changed'; siteId: number; floorId: number }
  // ── Load balancing (src-main/balancing): the allocation or the model changed ──
  | { type: 'balancing-changed'; siteId: number; at: number }
  // ── Alarms (src-main/alarms): staff only (auth/event-audience.ts) ──
  | {
      type: 'alarm-raised';
      /** null: organisation-wide (the mail server, backups, an unknown charger). */
      siteId: number | null;
      alarmId: number;
      stationId: number | null;
      severity: 'critical' | 'warning' | 'info';
      title: string;
      detail: string | null;
      at: number;
    }
  | {
      type: 'alarm-changed';
      siteId: number | null;
      alarmId: number;
      stationId: number | null;
      change: 'repeated' | 'acknowledged' | 'cleared';
      at: number;
    }
  // ── Mail (src-main/mail): an outbox message queued, sending, sent or failed; administrators
  // only (auth/event-audience.ts), like the Outbox page ──
  | { type: 'mail-outbox-changed'; siteId: null; outboxId: number }
  | { type: 'session-expired'; siteId: null };

export type CoreEventType = CoreEvent['type'];

/** Messages on the API WebSocket (and the IPC channel), both directions. */
export type ClientMessage = { id: number; method: string; input: unknown };
export type ServerMessage = { id: number; result: Result<unknown> } | { event: CoreEvent };
