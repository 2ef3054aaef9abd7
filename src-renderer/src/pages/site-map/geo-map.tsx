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
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

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
  useEffect(() => {
    latest.current = props;
  });

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
      L.marker([s.lat, s.lng], {
        icon: L.divIcon({
          className: 'site-marker',
          iconSize: [0, 0],
          html: `<div class="site-pin" data-testid="site-pin-${s.id}"></div><div class="site-label">${escapeHtml(s.name)}<span>${escapeHtml(s.detail)}</span></div>`,
        }),
        title: s.name,
        keyboard: true,
      })
        .on('click', () => latest.current.onOpen(s.id))
        .addTo(map);
    }
    if (props.sites.length > 0) {
      map.fitBounds(L.latLngBounds(props.sites.map((s) => [s.lat, s.lng])), {
        padding: [60, 60],
        maxZoom: 15,
      });
    } else {
      map.setView([-25.3, 133.8], 4);
    }
    return () => {
      map.remove();
    };
    // The sites and tile server are fixed for the life of the map (the page remounts it on change).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <div ref={el} className="geo-map" role="application" aria-label="Site map" />;
}
