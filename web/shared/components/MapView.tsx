import 'leaflet/dist/leaflet.css';
import { useQuery } from '@tanstack/react-query';
import gcoord from 'gcoord';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { get } from '../api.ts';

export type MapConfig = { map: { tileUrl: string; tileCrs: 'wgs84' | 'gcj02'; attribution: string } };

/** A point on the map, WGS-84. */
export type MapMarker = { id: string; lng: number; lat: number; name: string; isKey?: boolean; typeName?: string; address?: string };
/** A polygon on the map: rings of [lng, lat] in WGS-84 (GeoJSON order). */
export type MapPolygon = { id: string; name: string; rings: number[][][]; color?: string };

type Props = {
  markers?: MapMarker[];
  polygons?: MapPolygon[];
  /** a location being chosen (point form): shown as a distinct marker */
  picked?: { lng: number; lat: number } | null;
  /** called with WGS-84 coordinates when the user clicks the map */
  onPick?: (lng: number, lat: number) => void;
  onMarkerClick?: (id: string) => void;
  height?: number | string;
  'data-testid'?: string;
};

const DEFAULT_CENTER: L.LatLngExpression = [34.7579, 113.6654];

export function useMapConfig() {
  return useQuery({ queryKey: ['config'], queryFn: () => get<MapConfig>('/api/config'), staleTime: Number.POSITIVE_INFINITY });
}

/**
 * Leaflet map that works with or without a tile server: markers are SVG circle markers
 * (class `cw-point-marker`, no image assets), polygons have class `cw-grid-polygon`.
 * Data is WGS-84; when the tiles are GCJ-02 (高德/腾讯) it is shifted for display and clicks
 * are shifted back.
 */
export function MapView({ markers = [], polygons = [], picked, onPick, onMarkerClick, height = 560, ...rest }: Props) {
  const { data: config } = useMapConfig();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const dataLayer = useRef<L.FeatureGroup | null>(null);
  const pickLayer = useRef<L.LayerGroup | null>(null);
  const fitted = useRef('');
  const handlers = useRef({ onPick, onMarkerClick });
  handlers.current = { onPick, onMarkerClick };
  const gcj = config?.map.tileCrs === 'gcj02';

  const toDisplay = (lng: number, lat: number): L.LatLngTuple => {
    if (!gcj) return [lat, lng];
    const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    return [y, x];
  };

  // the map itself, once the configuration is known
  useEffect(() => {
    if (!config || !el.current) return;
    const m = L.map(el.current, { renderer: L.svg(), zoomControl: true, zoomSnap: 0.25, attributionControl: !!config.map.tileUrl }).setView(DEFAULT_CENTER, 12);
    if (config.map.tileUrl) L.tileLayer(config.map.tileUrl, { attribution: config.map.attribution, maxZoom: 19 }).addTo(m);
    dataLayer.current = L.featureGroup().addTo(m);
    pickLayer.current = L.layerGroup().addTo(m);
    m.on('click', (e: L.LeafletMouseEvent) => {
      const pick = handlers.current.onPick;
      if (!pick) return;
      let { lng, lat } = e.latlng;
      if (config.map.tileCrs === 'gcj02') [lng, lat] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
      pick(Number(lng.toFixed(6)), Number(lat.toFixed(6)));
    });
    map.current = m;
    fitted.current = '';
    // Tabs, drawers and cards lay the map out after it was created: when its size changes
    // (shown from a hidden tab, first layout, rotation), fit the data again to the real size.
    let lastSize = '';
    const ro = new ResizeObserver(() => {
      const node = el.current;
      if (!node) return;
      m.invalidateSize();
      const size = `${node.clientWidth}x${node.clientHeight}`;
      if (size === lastSize || node.clientWidth === 0 || node.clientHeight === 0) return;
      lastSize = size;
      const b = dataLayer.current?.getBounds();
      if (b?.isValid()) m.fitBounds(b.pad(0.08), { maxZoom: 16 });
    });
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      m.remove();
      map.current = null;
    };
  }, [config]);

  // markers and polygons
  // biome-ignore lint/correctness/useExhaustiveDependencies: toDisplay depends only on config
  useEffect(() => {
    const m = map.current;
    const layer = dataLayer.current;
    if (!m || !layer) return;
    layer.clearLayers();
    for (const p of polygons) {
      const poly = L.polygon(
        p.rings.map((ring) => ring.map(([lng, lat]) => toDisplay(lng, lat))),
        { color: p.color ?? '#1677ff', weight: 1.5, fillOpacity: 0.08, className: 'cw-grid-polygon' },
      );
      poly.bindTooltip(p.name, { sticky: true });
      layer.addLayer(poly);
    }
    for (const mk of markers) {
      const c = L.circleMarker(toDisplay(mk.lng, mk.lat), {
        radius: mk.isKey ? 8 : 6,
        color: '#fff',
        weight: 1.5,
        fillColor: mk.isKey ? '#c8102e' : '#1677ff',
        fillOpacity: 0.9,
        className: mk.isKey ? 'cw-point-marker cw-point-marker-key' : 'cw-point-marker',
      });
      c.bindPopup(popupOf(mk));
      if (handlers.current.onMarkerClick) c.on('click', () => handlers.current.onMarkerClick?.(mk.id));
      layer.addLayer(c);
    }
    const key = `${markers.length}:${polygons.length}:${markers[0]?.id ?? ''}:${polygons[0]?.id ?? ''}`;
    if (key !== fitted.current && (markers.length || polygons.length)) {
      fitted.current = key;
      const b = layer.getBounds();
      if (b.isValid()) m.fitBounds(b.pad(0.08), { maxZoom: 16 });
    }
  }, [markers, polygons, config]);

  // the location being picked
  // biome-ignore lint/correctness/useExhaustiveDependencies: toDisplay depends only on config
  useEffect(() => {
    const m = map.current;
    const layer = pickLayer.current;
    if (!m || !layer) return;
    layer.clearLayers();
    if (picked && Number.isFinite(picked.lng) && Number.isFinite(picked.lat)) {
      const ll = toDisplay(picked.lng, picked.lat);
      L.circleMarker(ll, { radius: 9, color: '#fff', weight: 2, fillColor: '#fa8c16', fillOpacity: 1, className: 'cw-picked-marker' }).addTo(layer);
      if (!markers.length && !polygons.length && !m.getBounds().contains(ll)) m.setView(ll, Math.max(m.getZoom(), 15));
    }
  }, [picked, config]);

  return (
    <div className="cw-map" style={{ height }} data-testid={rest['data-testid']}>
      <div ref={el} style={{ height: '100%', width: '100%', background: '#eef1f5' }} />
    </div>
  );
}

function popupOf(m: MapMarker): HTMLElement {
  const div = document.createElement('div');
  div.className = 'cw-map-popup';
  const title = document.createElement('strong');
  title.textContent = m.name;
  div.append(title);
  for (const line of [m.typeName, m.address]) {
    if (!line) continue;
    const p = document.createElement('div');
    p.textContent = line;
    div.append(p);
  }
  return div;
}
