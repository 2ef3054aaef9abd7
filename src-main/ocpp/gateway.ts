// The charger gateway: the one way other domains (load balancing, building operations) reach a
// charger. Send an OCPP 1.6 operation and get its typed answer or a typed failure; read what the
// station is doing now. Nothing else of ocpp/ (sessions, store, transactions) is theirs to use.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/open';
import { connectors, stationConfig, stations, transactions } from '../db/schema';
import type { CallPriority } from './outbound-queue';
import { toApiFailure, type CallFailure, type CallResult, type SendOptions } from './outbound';
import type { Session } from './session';

type Status<S extends string> = { status: S };
type ProfileStatus = 'Accepted' | 'Rejected' | 'NotSupported';

/** Each operation we send (OCPP 1.6 §5), its request and its answer. */
export interface OcppOperations {
  CancelReservation: { req: { reservationId: number }; conf: Status<'Accepted' | 'Rejected'> };
  ChangeAvailability: {
    req: { connectorId: number; type: 'Inoperative' | 'Operative' };
    conf: Status<'Accepted' | 'Rejected' | 'Scheduled'>;
  };
  ChangeConfiguration: {
    req: { key: string; value: string };
    conf: Status<'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported'>;
  };
  ClearCache: { req: Record<string, never>; conf: Status<'Accepted' | 'Rejected'> };
  ClearChargingProfile: {
    req: {
      id?: number;
      connectorId?: number;
      chargingProfilePurpose?: string;
      stackLevel?: number;
    };
    conf: Status<'Accepted' | 'Unknown'>;
  };
  DataTransfer: {
    req: { vendorId: string; messageId?: string; data?: string };
    conf: {
      status: 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId';
      data?: string;
    };
  };
  GetCompositeSchedule: {
    req: { connectorId: number; duration: number; chargingRateUnit?: 'A' | 'W' };
    conf: {
      status: 'Accepted' | 'Rejected';
      connectorId?: number;
      scheduleStart?: string;
      chargingSchedule?: Record<string, unknown>;
    };
  };
  GetConfiguration: {
    req: { key?: string[] };
    conf: {
      configurationKey?: { key: string; readonly: boolean; value?: string }[];
      unknownKey?: string[];
    };
  };
  GetDiagnostics: {
    req: {
      location: string;
      retries?: number;
      retryInterval?: number;
      startTime?: string;
      stopTime?: string;
    };
    conf: { fileName?: string };
  };
  GetLocalListVersion: { req: Record<string, never>; conf: { listVersion: number } };
  RemoteStartTransaction: {
    req: { idTag: string; connectorId?: number; chargingProfile?: Record<string, unknown> };
    conf: Status<'Accepted' | 'Rejected'>;
  };
  RemoteStopTransaction: { req: { transactionId: number }; conf: Status<'Accepted' | 'Rejected'> };
  ReserveNow: {
    req: {
      connectorId: number;
      expiryDate: string;
      idTag: string;
      parentIdTag?: string;
      reservationId: number;
    };
    conf: Status<'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable'>;
  };
  Reset: { req: { type: 'Hard' | 'Soft' }; conf: Status<'Accepted' | 'Rejected'> };
  SendLocalList: {
    req: {
      listVersion: number;
      updateType: 'Differential' | 'Full';
      localAuthorizationList?: { idTag: string; idTagInfo?: Record<string, unknown> }[];
    };
    conf: Status<'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch'>;
  };
  SetChargingProfile: {
    req: { connectorId: number; csChargingProfiles: Record<string, unknown> };
    conf: Status<ProfileStatus>;
  };
  TriggerMessage: {
    req: { requestedMessage: string; connectorId?: number };
    conf: Status<'Accepted' | 'Rejected' | 'NotImplemented'>;
  };
  UnlockConnector: {
    req: { connectorId: number };
    conf: Status<'Unlocked' | 'UnlockFailed' | 'NotSupported'>;
  };
  UpdateFirmware: {
    req: { location: string; retrieveDate: string; retries?: number; retryInterval?: number };
    conf: Record<string, never>;
  };
}
export type OcppOperation = keyof OcppOperations;

/** Answers that mean "done" or "will be done"; any other status is a `rejected` failure. */
const SUCCESS: ReadonlySet<string> = new Set([
  'Accepted',
  'RebootRequired',
  'Scheduled',
  'Unlocked',
]);

/** What a station is doing now, as the charger last told us. */
export interface StationLiveState {
  stationId: number;
  identity: string;
  connected: boolean;
  /** Answered BootNotification Accepted on this connection. */
  booted: boolean;
  lastMessageAt: number | null;
  connectors: {
    connectorNumber: number;
    status: string;
    errorCode: string | null;
    vendorErrorCode: string | null;
    info: string | null;
    statusAt: number | null;
  }[];
  activeTransactions: {
    transactionId: number;
    connectorNumber: number;
    idTag: string;
    startedAt: number;
    meterStartWh: number;
    meterLastWh: number | null;
    powerW: number | null;
  }[];
  /** Configuration keys as the charger last reported them (GetConfiguration). */
  configuration: { key: string; value: string | null; readonly: boolean }[];
}

export interface ChargerGateway {
  /**
   * Sends `action` to the station. Queued behind calls of a higher or equal priority (one call
   * in flight per charger, OCPP-J); the timeout counts from sending. Never throws.
   */
  send<A extends OcppOperation>(
    stationId: number,
    action: A,
    request: OcppOperations[A]['req'],
    opts?: SendOptions,
  ): Promise<CallResult<OcppOperations[A]['conf']>>;
  /** null: no such station. */
  liveState(stationId: number): StationLiveState | null;
  /**
   * Whether the station has a live connection: liveState's `connected` without its queries of
   * connectors, transactions and configuration (the balancing controller asks for every
   * station of a site on every recompute).
   */
  isConnected(stationId: number): boolean;
}

export type { CallFailure, CallResult, CallPriority, SendOptions };
/** A failure in the API's words (ApiFailure), for a domain that reports it to a caller. */
export { toApiFailure };

export function createChargerGateway(deps: {
  db: Db;
  /** The station's live session, if connected. */
  sessionOf(identity: string): Session | undefined;
  send: (
    session: Session,
    action: OcppOperation,
    payload: Record<string, unknown>,
    opts?: SendOptions,
  ) => Promise<CallResult<Record<string, unknown>>>;
}): ChargerGateway {
  const { db } = deps;
  const identityOf = (stationId: number) =>
    db
      .select({ identity: stations.identity, name: stations.name })
      .from(stations)
      .where(eq(stations.id, stationId))
      .get();

  // Prepared once: isConnected runs per station on every load-balancing recompute.
  let identityById: { get(id: number): unknown } | null = null;

  return {
    isConnected(stationId) {
      identityById ??= db.$client.prepare('SELECT identity FROM stations WHERE id = ?');
      const row = identityById.get(stationId) as { identity: string } | undefined;
      const session = row && deps.sessionOf(row.identity);
      return session !== undefined && !session.closed;
    },

    async send(stationId, action, request, opts) {
      const station = identityOf(stationId);
      const session = station && deps.sessionOf(station.identity);
      if (!station || !session || session.closed) {
        const failure: CallFailure = {
          kind: 'offline',
          message: station
            ? `${station.name} (${station.identity}) is not connected.`
            : `There is no station ${stationId}.`,
        };
        return { ok: false, failure };
      }
      const r = await deps.send(session, action, request as Record<string, unknown>, opts);
      if (!r.ok) return r;
      const status = r.answer.status;
      if (typeof status === 'string' && !SUCCESS.has(status))
        return {
          ok: false,
          failure: {
            kind: 'rejected',
            status,
            message: `${station.identity} answered ${action} with ${status}.`,
          },
        };
      return { ok: true, answer: r.answer as OcppOperations[typeof action]['conf'] };
    },

    liveState(stationId) {
      const station = db
        .select({ identity: stations.identity })
        .from(stations)
        .where(eq(stations.id, stationId))
        .get();
      if (!station) return null;
      const session = deps.sessionOf(station.identity);
      const live = session && !session.closed ? session : null;
      return {
        stationId,
        identity: station.identity,
        connected: live !== null,
        booted: live?.booted ?? false,
        lastMessageAt: live?.lastMessageAt ?? null,
        connectors: db
          .select({
            connectorNumber: connectors.connectorNumber,
            status: connectors.status,
            errorCode: connectors.errorCode,
            vendorErrorCode: connectors.vendorErrorCode,
            info: connectors.info,
            statusAt: connectors.statusAt,
          })
          .from(connectors)
          .where(eq(connectors.stationId, stationId))
          .orderBy(asc(connectors.connectorNumber))
          .all(),
        activeTransactions: db
          .select({
            transactionId: transactions.id,
            connectorNumber: transactions.connectorNumber,
            idTag: transactions.idTag,
            startedAt: transactions.startedAt,
            meterStartWh: transactions.meterStartWh,
            meterLastWh: transactions.meterLastWh,
            powerW: transactions.powerW,
          })
          .from(transactions)
          .where(and(eq(transactions.stationId, stationId), eq(transactions.status, 'active')))
          .orderBy(asc(transactions.connectorNumber))
          .all(),
        configuration: db
          .select({
            key: stationConfig.key,
            value: stationConfig.value,
            readonly: stationConfig.readonly,
          })
          .from(stationConfig)
          .where(eq(stationConfig.stationId, stationId))
          .orderBy(asc(stationConfig.key))
          .all(),
      };
    },
  };
}
