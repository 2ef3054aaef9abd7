// Connector status → colour and label. Colours follow what chargeport users know (CTEK manual,
// "Navigation"): available = green, charging = blue, fault = red, offline/unknown = grey.
import type { MantineColor } from '@mantine/core';

export type StatusTone = 'available' | 'busy' | 'charging' | 'fault' | 'unavailable' | 'offline';

export function statusTone(status: string, connected = true): StatusTone {
  if (!connected) return 'offline';
  switch (status) {
    case 'Available':
      return 'available';
    case 'Charging':
      return 'charging';
    case 'Preparing':
    case 'SuspendedEV':
    case 'SuspendedEVSE':
    case 'Finishing':
    case 'Reserved':
    case 'Occupied':
      return 'busy';
    case 'Faulted':
      return 'fault';
    case 'Unavailable':
      return 'unavailable';
    default:
      return 'offline';
  }
}

export const TONE_COLOR: Record<StatusTone, MantineColor> = {
  available: 'green',
  charging: 'blue',
  busy: 'cyan',
  fault: 'red',
  unavailable: 'orange',
  offline: 'gray',
};

export function statusLabel(status: string, connected = true): string {
  if (!connected) return status && status !== 'Unknown' ? `Offline (last: ${status})` : 'Offline';
  return status || 'Unknown';
}

/** The states a floor plan (and its legend) tells apart. Each takes its colour from the tone the
 *  navigator uses for it, so the plan, its legend and the navigator always agree. */
export const PLAN_STATES = [
  { key: 'available', label: 'Available', status: 'Available' },
  { key: 'preparing', label: 'Preparing', status: 'Preparing' },
  { key: 'charging', label: 'Charging', status: 'Charging' },
  { key: 'suspended', label: 'Suspended (EV or charger)', status: 'SuspendedEV' },
  { key: 'finishing', label: 'Finishing', status: 'Finishing' },
  { key: 'reserved', label: 'Reserved', status: 'Reserved' },
  { key: 'unavailable', label: 'Unavailable', status: 'Unavailable' },
  { key: 'faulted', label: 'Faulted', status: 'Faulted' },
  { key: 'offline', label: 'Offline', status: 'Unknown' },
] as const;
export type PlanState = (typeof PLAN_STATES)[number]['key'];

export function planState(status: string, connected: boolean): PlanState {
  if (!connected) return 'offline';
  switch (status) {
    case 'Available':
      return 'available';
    case 'Preparing':
      return 'preparing';
    case 'Charging':
      return 'charging';
    case 'SuspendedEV':
    case 'SuspendedEVSE':
      return 'suspended';
    case 'Finishing':
      return 'finishing';
    case 'Reserved':
      return 'reserved';
    case 'Unavailable':
      return 'unavailable';
    case 'Faulted':
      return 'faulted';
    default:
      return 'offline';
  }
}

export const planStateColor = (state: PlanState): MantineColor => {
  const entry = PLAN_STATES.find((s) => s.key === state);
  return TONE_COLOR[statusTone(entry?.status ?? 'Unknown', state !== 'offline')];
};

/** A station's state on the plan: its most urgent connector's (as the navigator's icon). */
const URGENCY: PlanState[] = [
  'faulted',
  'unavailable',
  'charging',
  'suspended',
  'preparing',
  'finishing',
  'reserved',
  'available',
  'offline',
];
export function stationPlanState(connected: boolean, statuses: string[]): PlanState {
  if (!connected) return 'offline';
  const states = statuses.map((s) => planState(s, true));
  return URGENCY.find((s) => states.includes(s)) ?? 'offline';
}
