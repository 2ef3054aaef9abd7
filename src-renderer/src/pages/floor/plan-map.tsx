// Leaflet in a small React wrapper (react-leaflet's releases lag React 19): the floor plan as an
// image overlay in a flat coordinate system (L.CRS.Simple), one map unit = one image pixel, so
// positions are stored in the image's own pixels and survive any zoom or window size.
// Leaflet's lat/lng here is (-y, x): y grows downwards in the image, latitude upwards.
import { useEffect, useRef } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import './plan.css';

export interface PlanMarker {
  stationId: number;
  identity: string;
  x: number;
  y: number;
  /** A Mantine colour name (the navigator's colour for the station's state). */
  color: string;
  state: string;
  name: string;
  bayLabel: string | null;
  /** Its active alarms: how many and the worst severity's colour (null: none). */
  alarm: { count: number; severity: string; color: string } | null;
}

export interface PlanMapProps {
  imageUrl: string;
  width: number;
  height: number;
  markers: PlanMarker[];
  editable: boolean;
  selected: number | null;
  onMove(stationId: number, x: number, y: number): void;
  onSelect(stationId: number): void;
  /** Something dragged from outside (a station not yet placed) dropped at image pixels x/y. */
  onDropStation(stationId: number, x: number, y: number): void;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function icon(m: PlanMarker, selected: boolean): L.DivIcon {
  const label = m.bayLabel ? `${m.bayLabel} · ${m.name}` : m.name;
  const alarm = m.alarm
    ? `<div class="plan-alarm" data-testid="plan-alarm-${escapeHtml(m.identity)}" data-severity="${m.alarm.severity}" title="${m.alarm.count} active alarm${m.alarm.count === 1 ? '' : 's'} (${m.alarm.severity})" style="--alarm: var(--mantine-color-${m.alarm.color}-7)">${m.alarm.count}</div>`
    : '';
  return L.divIcon({
    className: 'plan-marker',
    iconSize: [0, 0],
    html: `<div class="plan-pin" data-testid="plan-station-${escapeHtml(m.identity)}" data-state="${m.state}" title="${escapeHtml(`${m.name}: ${m.state}`)}" style="--pin: var(--mantine-color-${m.color}-6)${selected ? ';outline:3px solid var(--mantine-color-dark-4)' : ''}"></div>${alarm}<div class="plan-label">${escapeHtml(label)}</div>`,
  });
}

export const STATION_DRAG_TYPE = 'application/x-stratacharge-station';

export function PlanMap(props: PlanMapProps) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });
  const { imageUrl, width, height } = props;

  useEffect(() => {
    if (!el.current) return;
    const bounds = L.latLngBounds([-height, 0], [0, width]);
    const m = L.map(el.current, {
      crs: L.CRS.Simple,
      minZoom: -5,
      maxZoom: 4,
      zoomSnap: 0.25,
      attributionControl: false,
      maxBounds: bounds.pad(0.5),
    });
    L.imageOverlay(imageUrl, bounds).addTo(m);
    m.fitBounds(bounds);
    layer.current = L.layerGroup().addTo(m);
    map.current = m;
    // The container may change size with the page (side list, window): keep tiles aligned.
    const observer = new ResizeObserver(() => m.invalidateSize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      m.remove();
      map.current = null;
      layer.current = null;
    };
  }, [imageUrl, width, height]);

  const { markers, editable, selected } = props;
  useEffect(() => {
    const group = layer.current;
    if (!group) return;
    group.clearLayers();
    for (const m of markers) {
      const marker = L.marker([-m.y, m.x], {
        icon: icon(m, m.stationId === selected),
        draggable: editable,
        keyboard: false,
      });
      marker.on('click', () => latest.current.onSelect(m.stationId));
      marker.on('dragend', () => {
        const at = marker.getLatLng();
        latest.current.onMove(m.stationId, at.lng, -at.lat);
      });
      group.addLayer(marker);
    }
  }, [markers, editable, selected, imageUrl]);

  return (
    <div
      ref={el}
      role="application"
      aria-label="Floor plan"
      style={{ height: '100%', minHeight: 420, background: 'var(--mantine-color-gray-1)' }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(STATION_DRAG_TYPE)) e.preventDefault();
      }}
      onDrop={(e) => {
        const id = Number(e.dataTransfer.getData(STATION_DRAG_TYPE));
        if (!map.current || !id) return;
        e.preventDefault();
        const at = map.current.mouseEventToLatLng(e.nativeEvent);
        latest.current.onDropStation(id, at.lng, -at.lat);
      }}
    />
  );
}
