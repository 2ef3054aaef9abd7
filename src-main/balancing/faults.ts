// The faults a recompute finds on a site, published as one domain event whenever the set changes
// (the alarms domain raises one alarm per fault and clears those no longer in the set). The set
// is derived from state, never accumulated: after a restart the first recompute publishes the
// faults that still hold, and the alarm rule clears the ones that ended while we were away.
import type { BalancingFault, DomainEvents } from '../platform/domain-events';
import type { Allocation } from './allocate';
import type { SiteSnapshot, ConnectorView } from './site-state';
import { boundA } from './transition';
import { overloadFaults } from './faults-overload';

/** overLimitMs: how long a charger must keep drawing clearly above its limit to be flagged. */
export function createFaultTracker(domainEvents: DomainEvents, overLimitMs: number) {
  /** Per site: the signature of the set last published. */
  const published = new Map<number, string>();
  /** Per connector key: since when it draws clearly above its limit. */
  const overSince = new Map<string, number>();

  function faultsOf(
    snap: SiteSnapshot,
    allocation: Allocation,
    views: Map<string, ConnectorView>,
    now: number,
  ): BalancingFault[] {
    const faults: BalancingFault[] = [];
    const marginA = snap.model.policy.drawMarginA;
    for (const c of snap.connectors) {
      const where = `${c.stationName} outlet ${c.connectorNumber}`;
      const row = c.ledger;
      if (row?.uncontrolled) {
        faults.push({
          key: `uncontrolled:${c.key}`,
          kind: 'uncontrolled',
          stationId: c.stationId,
          connectorNumber: c.connectorNumber,
          title: `${where} does not accept charging limits`,
          detail: `It refused or did not answer ${row.failures} charging profiles in a row; it is counted at its full rating (${c.ratingA} A) and the other cars share what is left.`,
        });
      }
      // "Clearly above": more than the margin over the most it may draw (max(old, new) while a
      // profile is in flight), for longer than a car takes to follow a new limit.
      const drawA = views.get(c.key)?.drawA ?? null;
      const over =
        c.transactionId !== null && row !== undefined && drawA !== null
          ? drawA > boundA(row) + marginA
          : false;
      if (!over) {
        overSince.delete(c.key);
        continue;
      }
      const since = overSince.get(c.key) ?? now;
      overSince.set(c.key, since);
      if (row && drawA !== null && now - since >= overLimitMs)
        faults.push({
          key: `over-limit:${c.key}`,
          kind: 'over-limit',
          stationId: c.stationId,
          connectorNumber: c.connectorNumber,
          title: `${where} draws more than its limit`,
          detail: `It draws ${drawA} A per phase against a limit of ${boundA(row)} A, for ${Math.round((now - since) / 1000)} s: the charger does not follow its limit.`,
        });
    }
    faults.push(...overloadFaults(snap, allocation));
    return faults;
  }

  return {
    /** Publishes the site's faults when the set differs from the last published. */
    update(
      snap: SiteSnapshot,
      allocation: Allocation,
      views: Map<string, ConnectorView>,
      now: number,
    ): void {
      const faults = faultsOf(snap, allocation, views, now);
      const signature = faults
        .map((f) => f.key)
        .sort()
        .join('|');
      if (published.get(snap.siteId) === signature) return;
      published.set(snap.siteId, signature);
      domainEvents.publish({ type: 'balancing.faults', siteId: snap.siteId, faults, at: now });
    },
    /** A site stopped balancing: whatever was raised for it ends. */
    clear(siteId: number, now: number): void {
      if (published.get(siteId) === '') return;
      published.set(siteId, '');
      domainEvents.publish({ type: 'balancing.faults', siteId, faults: [], at: now });
    },
    reset(): void {
      published.clear();
      overSince.clear();
    },
  };
}
