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
  | { type: 'session-expired'; siteId: null };

export type CoreEventType = CoreEvent['type'];

/** Messages on the API WebSocket (and the IPC channel), both directions. */
export type ClientMessage = { id: number; method: string; input: unknown };
export type ServerMessage =
  | { id: number; result: import('./result').Result<unknown> }
  | { event: CoreEvent };
