// Small models and connector inputs for the load-balancing tests.
import {
  DEFAULT_POLICY,
  type Circuit,
  type ElectricalModel,
  type StationWiring,
} from '../../src-shared/balancing/model';
import type { ConnectorInput } from '../../src-main/balancing/allocate';

export function circuit(
  id: string,
  parentId: string | null,
  limitA: number,
  over: Partial<Circuit> = {},
): Circuit {
  return {
    id,
    name: id,
    parentId,
    limitA,
    phases: ['L1', 'L2', 'L3'],
    assumedOtherLoadA: 0,
    ...over,
  };
}

export function station(
  stationId: string,
  circuitId: string,
  over: Partial<StationWiring> = {},
): StationWiring {
  return {
    stationId,
    circuitId,
    wiring: 'three-phase',
    rotation: 'L1-L2-L3',
    maxCurrentA: 32,
    priority: 'normal',
    capA: null,
    ...over,
  };
}

export function model(over: Partial<ElectricalModel> = {}): ElectricalModel {
  return {
    supply: {
      phaseLimitA: 100,
      nominalVoltageV: 230,
      phases: 3,
      usablePercent: 100,
      reserveA: 0,
      assumedOtherLoadA: 0,
    },
    circuits: [],
    stations: [],
    policy: { ...DEFAULT_POLICY },
    ...over,
  };
}

export function car(
  stationId: string,
  over: Partial<ConnectorInput> & {
    drawA?: number | null;
    chargingS?: number;
    pausedS?: number;
  } = {},
): ConnectorInput {
  const { drawA = null, chargingS = 0, pausedS = 0, ...rest } = over;
  return {
    id: `${stationId}/1`,
    stationId,
    ratingA: 32,
    priority: 'normal',
    capA: null,
    state: { kind: 'charging', drawA, chargingS, pausedS },
    ...rest,
  };
}
