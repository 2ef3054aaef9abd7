// Charger-initiated OCPP 1.6 messages (OCPP 1.6 §4.1-4.10). Payloads arrive validated (and
// quirk-repaired) by validation.ts; answers are validated strictly before they are sent.
import { createRPCError } from 'ocpp-rpc';
import type { Session, OcppContext } from './session';
import { toIso, parseTime } from './units';
import type { MeterValueIn } from './transactions';
import type { AuthorizationStatus, ChargePointAction } from '../../src-shared/ocpp/types';

export type Payload = Record<string, unknown>;
/** Synchronous: each runs inside the group-commit transaction (store.group). */
export type Handler = (s: Session, p: Payload) => Payload;

/** BootNotification Rejected: the charger waits this long before it tries again. */
const REJECTED_RETRY_SECONDS = 300;
/**
 * A BootNotification this soon after our accepted TriggerMessage(BootNotification), on the
 * same connection, is the one we asked for: the charger did not restart.
 */
export const TRIGGERED_BOOT_WINDOW_MS = 60_000;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

export function createHandlers16(ctx: OcppContext): Record<ChargePointAction, Handler> {
  const { store, tx, clock, domain, logger, cards } = ctx;

  const idTagInfo = (
    s: Session,
    idTag: string,
    except?: { identity: string; connectorNumber: number },
    learn = false,
  ) => {
    // The site's cards decide first; the organisation-wide id tag list only for other numbers.
    const now = clock.now();
    const card = cards?.authorize(s, idTag, now, {
      connectorNumber: except?.connectorNumber,
      learn,
    });
    const a = card ?? store.authorize(idTag, now, except);
    if (!card && a.status === 'Invalid') cards?.unknown(s, idTag, now);
    return {
      status: a.status,
      ...(a.expiryDate != null ? { expiryDate: toIso(a.expiryDate) } : {}),
      ...(a.parentIdTag ? { parentIdTag: a.parentIdTag } : {}),
    };
  };

  // Published inside the group commit: delivered once it is durable (platform/domain-events.ts).
  const base = (s: Session, row: { id: number; connectorNumber: number }) => ({
    transactionId: row.id,
    stationId: s.stationId,
    siteId: s.siteId,
    connectorNumber: row.connectorNumber,
    at: clock.now(),
  });

  /** A firmware update's or diagnostics upload's progress: stored and pushed to the UI. */
  const fileStatus = (s: Session, kind: 'firmware' | 'diagnostics', status: string) => {
    const now = clock.now();
    store.patchStationOcpp(
      s.stationId,
      kind === 'firmware'
        ? { firmwareStatus: status, firmwareStatusAt: now }
        : { diagnosticsStatus: status, diagnosticsStatusAt: now },
    );
    domain.publish({
      type: 'station.file-status',
      siteId: s.siteId,
      stationId: s.stationId,
      kind,
      status,
      at: now,
    });
    return {};
  };

  /** Why a StartTransaction's card answer makes its session one to review, or null. */
  const notAccepted = (idTag: string, status: AuthorizationStatus): string | null => {
    switch (status) {
      case 'Accepted':
        return null;
      case 'ConcurrentTx':
        // The tag was already charging elsewhere (a shared or cloned card).
        return `started with id tag ${idTag}, which was in another active transaction (ConcurrentTx)`;
      case 'Invalid':
        return `started with id tag ${idTag}, which is not a known card (answered Invalid)`;
      case 'Blocked':
        return `started with id tag ${idTag}, which is blocked (answered Blocked)`;
      case 'Expired':
        return `started with id tag ${idTag}, which has expired (answered Expired)`;
    }
  };

  return {
    BootNotification(s, p) {
      const now = clock.now();
      const station = store.stationById(s.stationId);
      const settings = store.getSettings();
      // §4.2: Rejected = not (or no longer) welcome; Pending = registered, awaiting approval.
      const status = station?.blocked ? 'Rejected' : station?.approved ? 'Accepted' : 'Pending';
      ctx.updateStation(s.stationId, {
        vendor: str(p.chargePointVendor) ?? null,
        model: str(p.chargePointModel) ?? null,
        serialNumber: str(p.chargePointSerialNumber) ?? str(p.chargeBoxSerialNumber) ?? null,
        firmwareVersion: str(p.firmwareVersion) ?? null,
        iccid: str(p.iccid) ?? null,
        imsi: str(p.imsi) ?? null,
        meterType: str(p.meterType) ?? null,
        meterSerialNumber: str(p.meterSerialNumber) ?? null,
        lastBootAt: now,
        ocppVersion: '1.6',
      });
      store.patchStationOcpp(s.stationId, { bootStatus: status });
      // Asked for (TriggerMessage) on this connection, which was never dropped: the charger did
      // not restart, so it neither forgot its transactions nor its configuration. Whether it
      // booted on this connection does not matter: a charger that reconnects after a network
      // drop, or after this service restarted, carries on without a BootNotification.
      const triggered =
        s.bootRequestedAt !== null && now - s.bootRequestedAt <= TRIGGERED_BOOT_WINDOW_MS;
      s.bootRequestedAt = null;
      if (triggered) {
        logger.info('BootNotification sent on request (TriggerMessage): not a restart', {
          identity: s.identity,
        });
      } else {
        // A charger that boots forgets what it was doing: its active transactions are suspect
        // until it mentions them again (a retransmitted Stop/MeterValues clears the flag).
        const flagged = tx.flagActiveAsSuspect(
          s.stationId,
          'the charger rebooted during the transaction',
        );
        if (flagged)
          logger.warn('active transactions flagged suspect after boot', {
            identity: s.identity,
            flagged,
          });
      }
      const configure = status === 'Accepted' && !triggered;
      s.booted = status === 'Accepted';
      domain.publish({
        type: 'station.booted',
        siteId: s.siteId,
        stationId: s.stationId,
        identity: s.identity,
        status,
        vendor: str(p.chargePointVendor) ?? null,
        model: str(p.chargePointModel) ?? null,
        firmwareVersion: str(p.firmwareVersion) ?? null,
        at: now,
      });
      if (configure) setImmediate(() => void ctx.configureAfterBoot(s));
      // OCPP-J: after Rejected the central system may close the connection; the charger
      // retries BootNotification after `interval` seconds on a new one.
      if (status === 'Rejected') ctx.closeAfterAnswer(s, 'BootNotification rejected');
      return {
        status,
        currentTime: toIso(now),
        // Pending: ask again in a minute (the charger retries BootNotification at this interval).
        interval:
          status === 'Accepted'
            ? settings.heartbeatIntervalSeconds
            : status === 'Rejected'
              ? REJECTED_RETRY_SECONDS
              : 60,
      };
    },

    Heartbeat(s) {
      store.touch(s.stationId, clock.now(), true);
      return { currentTime: toIso(clock.now()) };
    },

    StatusNotification(s, p) {
      const now = clock.now();
      const connectorNumber = num(p.connectorId) ?? 0;
      const status = str(p.status) ?? 'Unknown';
      const errorCode = str(p.errorCode) ?? 'NoError';
      const at = p.timestamp ? parseTime(String(p.timestamp), now) : now;
      const patch = {
        status,
        errorCode: errorCode === 'NoError' ? null : errorCode,
        vendorErrorCode: str(p.vendorErrorCode) ?? null,
        info: str(p.info) ?? null,
        statusAt: at,
      };
      if (connectorNumber === 0) store.patchStationOcpp(s.stationId, patch);
      else if (!store.upsertConnectorStatus(s.stationId, connectorNumber, patch, now)) {
        // Not stored: a connector the station does not have (and the charger's own
        // NumberOfConnectors does not list) would be a phantom the operator cannot remove.
        logger.warn('StatusNotification for a connector the station does not have', {
          identity: s.identity,
          connectorId: connectorNumber,
        });
        throw createRPCError(
          'PropertyConstraintViolation',
          `connectorId ${connectorNumber}: this charge point has no such connector`,
        );
      }
      domain.publish({
        type: 'connector.status',
        siteId: s.siteId,
        stationId: s.stationId,
        connectorNumber,
        status,
        errorCode: patch.errorCode,
        info: patch.info,
        vendorId: str(p.vendorId) ?? null,
        vendorErrorCode: patch.vendorErrorCode,
        at,
      });
      return {};
    },

    Authorize(s, p) {
      return { idTagInfo: idTagInfo(s, String(p.idTag), undefined, true) };
    },

    StartTransaction(s, p) {
      const connectorId = num(p.connectorId) ?? 0;
      const idTag = String(p.idTag);
      const info = idTagInfo(s, idTag, { identity: s.identity, connectorNumber: connectorId });
      const r = tx.start(
        { id: s.stationId, siteId: s.siteId, identity: s.identity },
        {
          connectorId,
          idTag,
          meterStart: num(p.meterStart) ?? 0,
          timestamp: String(p.timestamp),
          reservationId: num(p.reservationId),
        },
        clock.now(),
      );
      // §4.8: the answer must carry a transactionId, so the transaction exists even when the
      // card was not accepted; a charger may charge anyway (free vend, its local list, started
      // offline). Such a session is kept and flagged: the operator decides.
      const refused = r.isNew ? notAccepted(idTag, info.status) : null;
      const started = refused ? tx.flagReview(r.tx, refused) : r.tx;
      if (r.isNew) cards?.started(s, r.tx);
      if (r.isNew)
        domain.publish({
          type: 'transaction.started',
          ...base(s, started),
          idTag,
          meterStartWh: started.meterStartWh,
        });
      return { transactionId: r.tx.id, idTagInfo: info };
    },

    StopTransaction(s, p) {
      const idTag = str(p.idTag);
      const r = tx.stop(
        { id: s.stationId, siteId: s.siteId, identity: s.identity },
        {
          transactionId: num(p.transactionId) ?? 0,
          meterStop: num(p.meterStop) ?? 0,
          timestamp: String(p.timestamp),
          idTag,
          reason: str(p.reason),
          transactionData: (p.transactionData as MeterValueIn[] | undefined) ?? [],
        },
        clock.now(),
      );
      if (r.isNew)
        domain.publish({
          type: 'transaction.stopped',
          ...base(s, r.tx),
          energyWh: r.tx.meterStopWh == null ? null : r.tx.meterStopWh - r.tx.meterStartWh,
          reason: str(p.reason) ?? null,
        });
      return idTag ? { idTagInfo: idTagInfo(s, idTag) } : {};
    },

    MeterValues(s, p) {
      const r = tx.meter(
        { id: s.stationId, siteId: s.siteId, identity: s.identity },
        {
          connectorId: num(p.connectorId) ?? 0,
          transactionId: num(p.transactionId),
          meterValue: (p.meterValue as MeterValueIn[] | undefined) ?? [],
        },
        clock.now(),
      );
      if (r.tx && r.tx.status === 'active')
        domain.publish({
          type: 'transaction.meter',
          ...base(s, r.tx),
          energyWh: r.tx.meterLastWh == null ? null : r.tx.meterLastWh - r.tx.meterStartWh,
          powerW: r.tx.powerW,
          currentA: r.latest?.currentA ?? null,
          socPercent: r.latest?.socPercent ?? null,
        });
      return {};
    },

    DataTransfer(s, p) {
      // No vendor extensions are implemented; §4.3 says answer UnknownVendorId.
      logger.info('DataTransfer from charger', {
        identity: s.identity,
        vendorId: p.vendorId,
        messageId: p.messageId,
      });
      return { status: 'UnknownVendorId' };
    },

    DiagnosticsStatusNotification(s, p) {
      return fileStatus(s, 'diagnostics', String(p.status));
    },

    FirmwareStatusNotification(s, p) {
      return fileStatus(s, 'firmware', String(p.status));
    },
  };
}
