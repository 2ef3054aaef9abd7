// An account's priority and cap, stored with the site's model, change what its car gets: the
// controller reads them for the session's account (card → account) on real simulated chargers.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../ocpp/helpers';
import type { MethodInput } from '../../src-shared/api/contract';
import type { SimCharger } from '../../src-main/sim/charger';

async function accountWithCard(o: OcppTest, lot: string, number: string) {
  const account = await o.t.ok(o.admin, 'account-create', {
    siteId: o.siteId,
    lotNumber: lot,
    ownerNames: `Lot ${lot} Owner`,
  });
  const resident = await o.t.ok(o.admin, 'resident-create', {
    accountId: account.id,
    firstName: 'Lot',
    lastName: lot,
  });
  await o.t.ok(o.admin, 'card-issue', {
    siteId: o.siteId,
    accountId: account.id,
    residentId: resident.id,
    number,
    label: `Lot ${lot} card`,
  });
  return account;
}

describe('account priority and cap in the load balancing', () => {
  it('gives a high-priority account its full rating first and holds a capped one at its cap', async () => {
    const o = await ocppCore({ balancing: { retryMs: 200, maxFailures: 2, timeoutMs: 1_000 } });
    const a = await o.station({ identity: 'PR-A', name: 'Bay A' });
    const b = await o.station({ identity: 'PR-B', name: 'Bay B' });
    const vip = await accountWithCard(o, '1', 'AA11BB22');
    await accountWithCard(o, '2', 'CC33DD44');
    const save = (policies: MethodInput<'balancing-save'>['accountPolicies']) =>
      o.t.ok(o.admin, 'balancing-save', {
        siteId: o.siteId,
        enabled: true,
        supply: {
          phaseLimitA: 40,
          nominalVoltageV: 230,
          phases: 3,
          usablePercent: 100,
          reserveA: 0,
          assumedOtherLoadA: 0,
        },
        circuits: [
          {
            id: 'MSB',
            name: 'Main',
            parentId: null,
            limitA: 40,
            phases: ['L1', 'L2', 'L3'],
            assumedOtherLoadA: 0,
          },
        ],
        stations: [a, b].map((s) => ({
          stationId: s.id,
          circuitId: 'MSB',
          wiring: 'three-phase' as const,
          rotation: 'L1-L2-L3' as const,
          priority: 'normal' as const,
          capA: null,
        })),
        policy: { minCurrentA: 6, rotationPeriodS: 900, hysteresisA: 1, drawMarginA: 2 },
        loadSources: [],
        accountPolicies: policies,
      });
    await save([{ accountId: vip.id, priority: 'high', capA: null }]);
    const simA = o.sim('PR-A', { phases: 3, maxCurrentA: 32 });
    const simB = o.sim('PR-B', { phases: 3, maxCurrentA: 32 });
    for (const s of [simA, simB]) await s.start();
    const fallback = (s: SimCharger) =>
      s.smart.installed.some((p) => p.purpose === 'TxDefaultProfile');
    await waitFor(() => fallback(simA) && fallback(simB), 'both fallbacks');
    const limits = async (want: [number, number]) =>
      waitFor(
        () => simA.allowedA(1) === want[0] && simB.allowedA(1) === want[1],
        `A ${want[0]} A and B ${want[1]} A (now ${simA.allowedA(1)} and ${simB.allowedA(1)})`,
        10_000,
      );

    await simB.startTransaction(1, 'CC33DD44');
    await limits([0, 32]);
    await simA.startTransaction(1, 'AA11BB22');
    // High priority fills first (up to its 32 A rating); the normal car gets what is left.
    // With the priority ignored both would get 20 A.
    await limits([32, 8]);
    const live = await o.t.ok(o.admin, 'balancing-live', { siteId: o.siteId });
    expect(live.connectors.find((c) => c.stationName === 'Bay A')?.limitA).toBe(32);

    // A cap of 16 A on the same account: it is held there and the spare goes to the other car.
    await save([{ accountId: vip.id, priority: 'high', capA: 16 }]);
    await limits([16, 24]);

    // Low priority: the other (normal) car fills first.
    await save([{ accountId: vip.id, priority: 'low', capA: null }]);
    await limits([8, 32]);
  });
});
