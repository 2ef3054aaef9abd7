// A command we sent a charger (reset, unlock, remote start/stop, a charging profile, ...) that it
// refused or never answered raises one alarm per station and command; it closes itself when the
// same command later succeeds on that charger (the rule in docs/alarms.md). Which commands count
// is ocpp/operations.ts's list. What is open is read from the database at start-up and after a
// restore, so a success after a restart still closes an alarm raised before it.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/open';
import { stations } from '../db/schema';
import type { DomainEventOf, DomainEvents } from '../platform/domain-events';
import type { Logger } from '../platform/logger';
import { humanise } from './rules';
import type { AlarmStore } from './store';

const keyOf = (stationId: number, operation: string) =>
  `remote-operation-failed:${stationId}:${operation}`;

export function startOperationRules(deps: {
  db: Db;
  domainEvents: DomainEvents;
  store: AlarmStore;
  logger: Logger;
}): { reset(): void; stop(): void } {
  const { db, store } = deps;
  const logger = deps.logger.child({ component: 'alarms' });
  const guard =
    <E>(name: string, fn: (e: E) => void) =>
    (e: E) => {
      try {
        fn(e);
      } catch (error) {
        // An alarm that cannot be written must not stop the command's caller (it is logged).
        logger.error('alarm rule failed', { rule: name, error });
      }
    };
  /** Fold keys of the failed-command alarms open now: a success elsewhere costs no query. */
  const open = new Set<string>();

  function onFailed(e: DomainEventOf<'station.operation-failed'>): void {
    const st = db
      .select({ name: stations.name, identity: stations.identity })
      .from(stations)
      .where(eq(stations.id, e.stationId))
      .get();
    const foldKey = keyOf(e.stationId, e.operation);
    store.raise({
      rule: 'remote-operation-failed',
      foldKey,
      siteId: e.siteId,
      stationId: e.stationId,
      connectorNumber: null,
      title: `${st ? `${st.name} (${st.identity})` : e.identity}: ${humanise(e.operation)} failed`,
      detail: e.reason,
      at: e.at,
    });
    open.add(foldKey);
  }

  function onSucceeded(e: DomainEventOf<'station.operation-succeeded'>): void {
    const foldKey = keyOf(e.stationId, e.operation);
    if (!open.delete(foldKey)) return;
    store.clearAuto(
      { foldKey },
      e.at,
      `The same command (${humanise(e.operation)}) succeeded on this charger afterwards.`,
    );
  }

  function rebuild(): void {
    open.clear();
    for (const a of store.activeOf('remote-operation-failed')) open.add(a.foldKey);
  }

  const unsubscribe = [
    deps.domainEvents.subscribe('station.operation-failed', guard('operation-failed', onFailed)),
    deps.domainEvents.subscribe(
      'station.operation-succeeded',
      guard('operation-succeeded', onSucceeded),
    ),
  ];
  rebuild();
  return {
    reset: rebuild,
    stop() {
      for (const u of unsubscribe) u();
    },
  };
}
