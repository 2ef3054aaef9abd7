// Leaflet in a small React wrapper (as plan-map.tsx): the sites placed by latitude/longitude over
// a tile layer from the configured server. Tiles that fail to load (no network, server down) are
// reported once through onTilesFailed; the map itself, its markers and links keep working on the
// plain background.
import { useEffect, useRef } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import './site-map.css';

export interface SiteMarker {
  id: number;
  name: string;
  lat: number;
  lng: number;
  detail: string;
  /** The site's worst state (site-state.ts); null: no chargers yet. */
  tone: string | null;
  /** Mantine colour of the tone. */
  color: string | null;
  /** Active alarms: the count in the worst severity's colour. */
  alarm: { count: number; severity: string; color: string } | null;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function iconFor(s: SiteMarker) {
  const pin = s.color
    ? `style="--pin: var(--mantine-color-${s.color}-6)"`
    : 'style="--pin: white" data-empty="true"';
  const alarm = s.alarm
    ? `<div class="site-alarm" data-testid="site-alarm-${s.id}" data-severity="${s.alarm.severity}" title="${s.alarm.count} active alarm${s.alarm.count === 1 ? '' : 's'} (${s.alarm.severity})" style="--alarm: var(--mantine-color-${s.alarm.color}-7)">${s.alarm.count}</div>`
    : '';
  return L.divIcon({
    className: 'site-marker',
    iconSize: [0, 0],
    html: `<div class="site-pin" data-testid="site-pin-${s.id}" data-tone="${s.tone ?? 'none'}" ${pin}></div>${alarm}<div class="site-label">${escapeHtml(s.name)}<span>${escapeHtml(s.detail)}</span></div>`,
  });
}

export function GeoMap(props: {
  tileUrl: string;
  /** OpenStreetMap's tiles require its credit; another server's is its owner's business. */
  isDefault: boolean;
  sites: SiteMarker[];
  onOpen(siteId: number): void;
  onTilesFailed(): void;
  onTilesLoaded(): void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  const markers = useRef(new Map<number, L.Marker>());
  useEffect(() => {
    latest.current = props;
  });
  // States and alarms change live (the core's events): new icons, the view left as it is.
  useEffect(() => {
    for (const s of props.sites) markers.current.get(s.id)?.setIcon(iconFor(s));
  }, [props.sites]);

  useEffect(() => {
    if (!el.current) return;
    const map = L.map(el.current, { worldCopyJump: true });
    const tiles = L.tileLayer(props.tileUrl, {
      maxZoom: 19,
      attribution: props.isDefault
        ? '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
        : 'Map tiles from your tile server',
    });
    tiles.on('tileerror', () => latest.current.onTilesFailed());
    tiles.on('tileload', () => latest.current.onTilesLoaded());
    tiles.addTo(map);
    for (const s of props.sites) {
      const marker = L.marker([s.lat, s.lng], { icon: iconFor(s), title: s.name, keyboard: true })
        .on('click', () => latest.current.onOpen(s.id))
        .addTo(map);
      markers.current.set(s.id, marker);
    }
    if (props.sites.length > 0) {
      map.fitBounds(L.latLngBounds(props.sites.map((s) => [s.lat, s.lng])), {
        padding: [60, 60],
        maxZoom: 15,
      });
    } else {
      map.setView([-25.3, 133.8], 4);
    }
    const placed = markers.current;
    return () => {
      placed.clear();
      map.remove();
    };
    // The sites and tile server are fixed for the life of the map (the page remounts it on change).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <div ref={el} className="geo-map" role="application" aria-label="Site map" />;
}
