// A site's state on the map: the worst of its stations' states in the navigator's own tones and
// colours (stationTone, TONE_COLOR), so the map, its legend and the navigator agree. For a whole
// building an offline charger matters more than one charging, so offline ranks just after a
// fault here (the navigator's order is per station, where offline is simply "no news").
import type { Tree } from '../../../../src-shared/model';
import { stationTone } from '../../app/navigator';
import { TONE_COLOR, type StatusTone } from '../../lib/status';

type TreeSite = Tree['sites'][number];

export const SITE_TONES: { tone: StatusTone; label: string }[] = [
  { tone: 'fault', label: 'A charger faulted' },
  { tone: 'offline', label: 'A charger offline' },
  { tone: 'unavailable', label: 'A charger unavailable' },
  { tone: 'charging', label: 'Charging' },
  { tone: 'busy', label: 'In use (preparing, suspended, finishing, reserved)' },
  { tone: 'available', label: 'All available' },
];

/** The site's worst station tone; null for a site with no chargers yet. */
export function siteTone(site: TreeSite | undefined): StatusTone | null {
  const tones = (site?.stations ?? []).map(stationTone);
  if (tones.length === 0) return null;
  return SITE_TONES.find((t) => tones.includes(t.tone))?.tone ?? 'available';
}

export const toneColor = (tone: StatusTone | null) => (tone ? TONE_COLOR[tone] : null);
