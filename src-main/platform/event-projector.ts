// The one place where domain events become the UI's CoreEvents (src-shared/api/events.ts).
// A domain publishes what happened; what the renderer is shown of it is decided here, so the
// wire format can change without touching the domains. Events the UI has no use for yet
// (transaction.flagged, card/account/bay changed) project to nothing; a station moved to another site
// projects to a `tree-changed` for each of the two sites (each has its own audience).
import type { CoreEvent } from '../../src-shared/api/events';
import type { DomainEvent, DomainEvents } from './domain-events';
import type { EventBus } from './events';

export function projectToUi(e: DomainEvent): CoreEvent[] {
  switch (e.type) {
    case 'station.connected':
    case 'station.disconnected':
      return [
        {
          type: 'station-connection',
          siteId: e.siteId,
          stationId: e.stationId,
          connected: e.type === 'station.connected',
          at: e.at,
        },
      ];
    case 'station.booted':
      return [
        {
          type: 'station-booted',
          siteId: e.siteId,
          stationId: e.stationId,
          status: e.status,
          at: e.at,
        },
      ];
    case 'connector.status':
      return [
        {
          type: 'connector-status',
          siteId: e.siteId,
          stationId: e.stationId,
          connectorNumber: e.connectorNumber,
          status: e.status,
          errorCode: e.errorCode,
          at: e.at,
        },
      ];
    case 'station.file-status':
      return [
        {
          type: 'station-firmware-status',
          siteId: e.siteId,
          stationId: e.stationId,
          kind: e.kind,
          status: e.status,
          at: e.at,
        },
      ];
    case 'transaction.started':
      return [
        {
          type: 'transaction-started',
          siteId: e.siteId,
          stationId: e.stationId,
          transactionId: e.transactionId,
          connectorNumber: e.connectorNumber,
          energyWh: 0,
          powerW: null,
          at: e.at,
        },
      ];
    case 'transaction.meter':
      return [
        {
          type: 'transaction-updated',
          siteId: e.siteId,
          stationId: e.stationId,
          transactionId: e.transactionId,
          connectorNumber: e.connectorNumber,
          energyWh: e.energyWh,
          powerW: e.powerW,
          at: e.at,
        },
      ];
    case 'transaction.stopped':
      return [
        {
          type: 'transaction-stopped',
          siteId: e.siteId,
          stationId: e.stationId,
          transactionId: e.transactionId,
          connectorNumber: e.connectorNumber,
          energyWh: e.energyWh,
          powerW: null,
          at: e.at,
        },
      ];
    case 'site.changed':
    case 'floor.changed':
    case 'station.created':
    case 'station.removed':
    case 'connector.updated':
      return [{ type: 'tree-changed', siteId: e.siteId }];
    case 'station.updated':
      return e.previousSiteId === e.siteId
        ? [{ type: 'tree-changed', siteId: e.siteId }]
        : [
            { type: 'tree-changed', siteId: e.previousSiteId },
            { type: 'tree-changed', siteId: e.siteId },
          ];
    case 'balancing.model-saved':
    case 'balancing.allocated':
    case 'balancing.meter-quiet':
    case 'balancing.meter-restored':
    case 'balancing.faults':
      return [{ type: 'balancing-changed', siteId: e.siteId, at: e.at }];
    case 'alarm.raised':
      return [
        {
          type: 'alarm-raised',
          siteId: e.siteId,
          alarmId: e.alarmId,
          stationId: e.stationId,
          severity: e.severity,
          title: e.title,
          detail: e.detail,
          at: e.at,
        },
      ];
    case 'alarm.changed':
      return [
        {
          type: 'alarm-changed',
          siteId: e.siteId,
          alarmId: e.alarmId,
          stationId: e.stationId,
          change: e.change,
          at: e.at,
        },
      ];
    case 'mail.changed':
    case 'mail.sent':
    case 'mail.failed':
      return [{ type: 'mail-outbox-changed', siteId: null, outboxId: e.outboxId }];
    case 'transaction.flagged':
    case 'card.changed':
    case 'account.changed':
    case 'bay.changed':
    case 'session.resolved':
    case 'station.connection-refused':
    case 'station.operation-failed':
    case 'station.operation-succeeded':
    case 'backup.failed':
    case 'backup.completed':
    case 'billing.run-prepared':
    case 'billing.run-issued':
      return [];
    default:
      return e satisfies never;
  }
}

/** Forwards every domain event's projection to the UI bus; returns the unsubscribe. */
export function startUiProjection(domain: DomainEvents, ui: EventBus): () => void {
  return domain.subscribeAll((e) => {
    for (const projected of projectToUi(e)) ui.emit(projected);
  });
}
