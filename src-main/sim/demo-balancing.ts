// The demo building's balanced supply (issue 11): a newcomer opens Load balancing and watches
// the cars share it. 3 × 63 A supply (80 % usable, 5 A reserve, the rest of the building typed in
// at 12/9/15 A), the B1 board at 40 A and the B2 board at 32 A, the single-phase chargers rotated
// onto different building phases as an installer would. Saved once; a model edited in the UI is
// kept.
import type { Core } from '../core';
import type { BalancingConfig } from '../../src-shared/balancing/config';
import { DEFAULT_POLICY, type Rotation, type Wiring } from '../../src-shared/balancing/model';
import { CAR_KINDS, SimCar } from './car';

export function seedDemoBalancing(core: Core, siteId: number): void {
  const balancing = core.services.balancing;
  const current = balancing.get(siteId);
  if (current.saved) return;
  const wiring = (identity: string): { wiring: Wiring; rotation: Rotation } => {
    // The stations page records the building phase a single-phase charger is on; its own L1
    // lands there through the rotation.
    if (identity === 'DEMO-B1-02') return { wiring: 'L1', rotation: 'L1-L2-L3' };
    if (identity === 'DEMO-B1-03') return { wiring: 'L1', rotation: 'L2-L3-L1' };
    if (identity === 'DEMO-B2-02') return { wiring: 'L1', rotation: 'L3-L1-L2' };
    return { wiring: 'three-phase', rotation: 'L1-L2-L3' };
  };
  const config: BalancingConfig = {
    enabled: true,
    supply: {
      phaseLimitA: 63,
      nominalVoltageV: 230,
      phases: 3,
      usablePercent: 80,
      reserveA: 5,
      assumedOtherLoadA: 20,
    },
    circuits: [
      {
        id: 'MSB',
        name: 'Main switchboard',
        parentId: null,
        limitA: 63,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
      {
        id: 'DB-B1',
        name: 'Car park B1',
        parentId: 'MSB',
        limitA: 40,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
      {
        id: 'DB-B2',
        name: 'Car park B2',
        parentId: 'MSB',
        limitA: 32,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
    ],
    stations: current.stations.map((s) => ({
      stationId: s.id,
      circuitId: s.identity.startsWith('DEMO-B1') ? 'DB-B1' : 'DB-B2',
      ...wiring(s.identity),
      priority: 'normal',
      capA: null,
    })),
    policy: { ...DEFAULT_POLICY },
    loadSources: [{ target: 'supply', kind: 'typed', typedA: [12, 9, 15], modbus: null }],
    accountPolicies: [],
  };
  balancing.save(siteId, config, null);
}

/**
 * The cars the demo plugs in, so a newcomer sees the controller react to real draws: a big car
 * taking its whole share, a hybrid and a sedan tapering above 80 % (drawing less than allowed:
 * capped near their draw, the spare to the others), a small car on one phase, and a hybrid set to
 * stop at 80 % that reaches it within a minute and stops drawing (SuspendedEV).
 */
export function demoCar(identity: string): SimCar | null {
  switch (identity) {
    case 'DEMO-B1-01':
      return new SimCar({ ...CAR_KINDS.suv3p32, socPercent: 35 });
    case 'DEMO-B1-02':
      return new SimCar({ ...CAR_KINDS.phev1p16, socPercent: 92 });
    case 'DEMO-B1-03':
      return new SimCar({ ...CAR_KINDS.hatch1p32, socPercent: 55 });
    case 'DEMO-B2-01':
      return new SimCar({ ...CAR_KINDS.sedan3p16, socPercent: 82 });
    case 'DEMO-B2-02':
      // A plug-in hybrid about to reach the 80 % its owner set: it stops within a minute.
      return new SimCar({
        capacityWh: 9_000,
        onboardMaxA: 10,
        phases: 1,
        socPercent: 79.9,
        targetPercent: 80,
      });
    default:
      return null;
  }
}
