// One MeterValues sample as the simulated charger sends it: the energy register, the power, and
// the current and voltage on each of the charger's own phases (a 1-phase charger reports L1 only;
// a 1-phase car on a 3-phase charger shows 0 A on L2 and L3, as a real meter does).
import type { PhaseAmps } from './car';

export interface MeterSample {
  timestamp: string;
  context: string;
  registerWh: number;
  energyUnit: 'Wh' | 'kWh';
  powerW: number;
  amps: PhaseAmps;
  phases: 1 | 3;
  voltage: number;
}

export function meterValue(m: MeterSample): Record<string, unknown> {
  const { context } = m;
  const energy =
    m.energyUnit === 'kWh'
      ? { value: (m.registerWh / 1000).toFixed(3), unit: 'kWh' }
      : { value: String(m.registerWh), unit: 'Wh' };
  const phases = m.phases === 3 ? ['L1', 'L2', 'L3'] : ['L1'];
  return {
    timestamp: m.timestamp,
    sampledValue: [
      { ...energy, context, measurand: 'Energy.Active.Import.Register', location: 'Outlet' },
      { value: String(m.powerW), unit: 'W', context, measurand: 'Power.Active.Import' },
      ...phases.map((phase, i) => ({
        value: (m.amps[i] ?? 0).toFixed(1),
        unit: 'A',
        context,
        measurand: 'Current.Import',
        phase,
      })),
      ...phases.map((phase) => ({
        value: m.voltage.toFixed(1),
        unit: 'V',
        context,
        measurand: 'Voltage',
        phase: `${phase}-N`,
      })),
    ],
  };
}
