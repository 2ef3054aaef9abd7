// The safe fallback each charger gets when it boots or reconnects (split from controller.ts):
// learn the units and stack levels it accepts from its own configuration keys, then install a
// TxDefaultProfile of 0 A on connector 0, or the share that is safe for every charger at once.
import type { Db } from '../db/open';
import type { Clock } from '../platform/clock';
import type { ChargerGateway } from '../ocpp/gateway';
import { stationPhases } from '../../src-shared/balancing/model';
import type { BalancingConfig } from '../../src-shared/balancing/config';
import { capsFromConfiguration, fallbackRequest, safeFallbackA } from './controller-profiles';
import { appendLog, readChargers, writeCharger, type ChargerCaps } from './ledger-store';
import type { SiteDecision } from './site-state';

/** Why a fallback is (re)installed: a boot may have lost the charger's profiles. */
export type FallbackTrigger = 'boot' | 'reconnect' | 'model';

export function createFallbackInstaller(
  deps: { db: Db; clock: Clock; gateway: ChargerGateway; timeoutMs: number },
  controller: {
    /** The site's saved model (the controller's cached copy). */
    config(siteId: number): BalancingConfig | null;
    trigger(siteId: number): void;
    /** The site's latest decision (recomputed when there is none); null when it does not balance. */
    decision(siteId: number): SiteDecision | null;
  },
) {
  const { db, clock, gateway } = deps;
  const opts = { timeoutMs: deps.timeoutMs };
  const trigger = (siteId: number) => controller.trigger(siteId);
  const installing = new Set<number>();

  async function chargerCaps(stationId: number): Promise<ChargerCaps> {
    const known = readChargers(db, [stationId]).get(stationId);
    const live = gateway.liveState(stationId)?.configuration ?? [];
    let caps = capsFromConfiguration(live);
    if (!caps) {
      const r = await gateway.send(stationId, 'GetConfiguration', {
        key: ['ChargeProfileMaxStackLevel', 'ChargingScheduleAllowedChargingRateUnit'],
      });
      caps = r.ok
        ? capsFromConfiguration(
            (r.answer.configurationKey ?? []).map((k) => ({ key: k.key, value: k.value ?? null })),
          )
        : null;
    }
    return {
      unit: caps?.unit ?? known?.unit ?? 'A',
      maxStackLevel: caps?.maxStackLevel ?? known?.maxStackLevel ?? 0,
      fallbackA: known?.fallbackA ?? null,
    };
  }

  /**
   * The fallback is 0 A where the charger takes it: an idle outlet's fallback counts against the
   * cars charging at every instant (a car may plug in and draw it), so anything above 0 is taken
   * from them; a new car waits only for its TxProfile, and one charging keeps its TxProfile if the
   * service goes away. A charger that refuses 0 A gets the share that is safe for every charger
   * at once; one that refuses both counts at its full rating while idle.
   */
  async function installFallback(siteId: number, stationId: number, why: FallbackTrigger) {
    // A connection and its boot arrive together: one installation at a time per charger.
    if (installing.has(stationId)) return;
    installing.add(stationId);
    try {
      await installFallbackNow(siteId, stationId, why);
    } finally {
      installing.delete(stationId);
    }
  }

  async function installFallbackNow(siteId: number, stationId: number, why: FallbackTrigger) {
    const config = controller.config(siteId);
    if (!config?.enabled) return;
    const decision = controller.decision(siteId);
    if (!decision) return;
    const { snapshot } = decision;
    const shareA = safeFallbackA(
      snapshot.model,
      snapshot.connectors.map((c) => ({
        stationId: c.input.stationId,
        ratingA: c.ratingA,
        fixed: c.ledger?.uncontrolled ?? false,
      })),
    );
    const caps = await chargerCaps(stationId);
    // Nothing to do when a fallback known to be safe is in force (a reconnection, not a boot).
    if (why === 'reconnect' && caps.fallbackA !== null && caps.fallbackA <= shareA) return;
    // A charger that booted may have lost its profiles: until one is confirmed its idle outlets
    // count at their full rating. One that did not restart (a reconnection, a new model) keeps
    // its known fallback, so while a new one is in flight it counts at the higher of the two,
    // and at the old one again if the new one is refused: a model saved (a measured load typed
    // in) must not make every idle charger count at its full rating, a false overload.
    const old = why === 'boot' ? null : caps.fallbackA;
    const wiring = snapshot.model.stations.find((s) => s.stationId === String(stationId));
    const phases = wiring ? stationPhases(wiring).length : 3;
    for (const fallbackA of shareA > 0 ? [0, shareA] : [0]) {
      const bound = old === null ? null : Math.max(old, fallbackA);
      writeCharger(db, stationId, { ...caps, fallbackA: bound }, clock.now());
      const r = await gateway.send(
        stationId,
        'SetChargingProfile',
        fallbackRequest(caps, fallbackA, phases, snapshot.model.supply.nominalVoltageV),
        { priority: 'urgent', timeoutMs: opts.timeoutMs },
      );
      const now = clock.now();
      const unit = caps.unit === 'W' ? 'W, the only unit it accepts' : 'A';
      appendLog(db, {
        siteId,
        at: now,
        stationId,
        connectorNumber: 0,
        fromA: null,
        toA: fallbackA,
        action: r.ok ? 'fallback' : 'rejected',
        reason: r.ok
          ? fallbackA === 0
            ? `Safe fallback installed (TxDefaultProfile of 0 ${unit}): a new car waits for its limit.`
            : `Safe fallback installed (TxDefaultProfile in ${unit}): every charger at ${fallbackA} A at once stays within every limit.`
          : `The fallback of ${fallbackA} A was not accepted (${r.failure.message}).`,
      });
      if (r.ok) {
        writeCharger(db, stationId, { ...caps, fallbackA }, now);
        trigger(siteId);
        return;
      }
      // Unanswered: it may be in force (the bound stays); refused: the old one still is.
      if (r.failure.kind !== 'rejected' && r.failure.kind !== 'call-error') return;
      writeCharger(db, stationId, { ...caps, fallbackA: old }, now);
    }
  }

  return { installFallback };
}
