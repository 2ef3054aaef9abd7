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
