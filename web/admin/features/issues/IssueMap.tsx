import 'leaflet/dist/leaflet.css';
import gcoord from 'gcoord';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { type IssueMarker, IssueStateLabels } from '../../../../contracts/issues.ts';
import { useMapConfig } from '../../../shared/components/MapView.tsx';
import { clusterByGrid } from './cluster.ts';
import { STATE_COLORS } from './kit.tsx';

const DEFAULT_CENTER: L.LatLngExpression = [34.7579, 113.6654];
/** Markers closer than this many screen pixels are drawn as one cluster. */
export const CLUSTER_CELL_PX = 56;

/** The state most needing attention inside a cluster colours its ring. */
const URGENCY: IssueMarker['state'][] = ['returned', 'reported', 'accepted', 'dispatched', 'rectifying', 'feedback', 'verified', 'closed', 'rejected', 'merged'];

/**
 * The issues of the list on a Leaflet map, clustered on a screen grid that is recomputed on
 * every zoom and pan (no plugin, no image assets, works without tiles). Single issues are circles
 * coloured by state (`cw-issue-marker`), clusters are numbered discs (`cw-issue-cluster`) that
 * zoom in when clicked.
 */
export function IssueMap({ markers, onOpen, height = 600 }: { markers: IssueMarker[]; onOpen: (id: string) => void; height?: number }) {
  const { data: config } = useMapConfig();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const data = useRef(markers);
  const open = useRef(onOpen);
  open.current = onOpen;
  const gcj = config?.map.tileCrs === 'gcj02';

  const toDisplay = (lng: number, lat: number): L.LatLngTuple => {
    if (!gcj) return [lat, lng];
    const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    return [y, x];
  };

  const draw = () => {
    const m = map.current;
    const g = layer.current;
    if (!m || !g) return;
    g.clearLayers();
    const projected = data.current.map((d) => {
      const ll = L.latLng(toDisplay(d.lng, d.lat));
      const p = m.latLngToLayerPoint(ll);
      return { d, ll, x: p.x, y: p.y };
    });
    const maxZoom = m.getZoom() >= 18;
    for (const c of clusterByGrid(projected, CLUSTER_CELL_PX)) {
      if (c.items.length === 1 || maxZoom) {
        for (const { d, ll } of c.items) {
          const mk = L.circleMarker(ll, {
            radius: 7,
            color: d.isOverdue ? '#c8102e' : '#fff',
            weight: d.isOverdue ? 2.5 : 1.5,
            fillColor: STATE_COLORS[d.state],
            fillOpacity: 0.95,
            className: `cw-issue-marker cw-issue-marker-${d.state}`,
          });
          mk.bindTooltip(`${d.number} ${d.title}（${IssueStateLabels[d.state]}${d.isOverdue ? '，已超期' : ''}）`);
          mk.on('click', () => open.current(d.id));
          g.addLayer(mk);
        }
        continue;
      }
      const worst = URGENCY.find((s) => c.items.some((i) => i.d.state === s)) ?? 'reported';
      const n = c.items.length;
      const size = n < 10 ? 30 : n < 100 ? 36 : 44;
      const icon = L.divIcon({
        className: 'cw-issue-cluster',
        html: `<div style="width:${size}px;height:${size}px;line-height:${size - 6}px;border:3px solid ${STATE_COLORS[worst]}">${n}</div>`,
        iconSize: [size, size],
      });
      const center = m.layerPointToLatLng(L.point(c.x, c.y));
      const bounds = L.latLngBounds(c.items.map((i) => i.ll));
      const cm = L.marker(center, { icon, keyboard: false, title: `${n} 个问题` });
      cm.on('click', () => {
        if (bounds.getNorthEast().equals(bounds.getSouthWest())) m.setView(center, Math.min(m.getZoom() + 3, 18));
        else m.fitBounds(bounds.pad(0.2), { maxZoom: 18 });
      });
      g.addLayer(cm);
    }
  };
  const drawRef = useRef(draw);
  drawRef.current = draw;
  const fitRef = useRef(() => {});
  fitRef.current = () => {
    const m = map.current;
    if (!m) return;
    const pts = data.current.map((d) => toDisplay(d.lng, d.lat));
    if (pts.length) m.fitBounds(L.latLngBounds(pts).pad(0.08), { maxZoom: 16 });
    drawRef.current();
  };

  useEffect(() => {
    if (!config || !el.current) return;
    const m = L.map(el.current, { renderer: L.svg(), zoomSnap: 0.5, maxZoom: 18, attributionControl: !!config.map.tileUrl }).setView(DEFAULT_CENTER, 12);
    if (config.map.tileUrl) L.tileLayer(config.map.tileUrl, { attribution: config.map.attribution, maxZoom: 19 }).addTo(m);
    layer.current = L.layerGroup().addTo(m);
    m.on('zoomend', () => drawRef.current());
    map.current = m;
    let lastSize = '';
    const ro = new ResizeObserver(() => {
      const node = el.current;
      if (!node || node.clientWidth === 0 || node.clientHeight === 0) return;
      m.invalidateSize();
      const size = `${node.clientWidth}x${node.clientHeight}`;
      if (size === lastSize) return;
      lastSize = size;
      fitRef.current();
    });
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      m.remove();
      map.current = null;
    };
  }, [config]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw when the data or the configuration changes
  useEffect(() => {
    data.current = markers;
    fitRef.current();
  }, [markers, config]);

  return (
    <div className="cw-map" style={{ height }} data-testid="issues-map">
      <div ref={el} style={{ height: '100%', width: '100%', background: '#eef1f5' }} />
    </div>
  );
}

/** The colours of the map, for under it. */
export function StateLegend({ states }: { states: IssueMarker['state'][] }) {
  return (
    <div style={{ marginTop: 6, color: '#666', fontSize: 12, display: 'flex', flexWrap: 'wrap', gap: '4px 12px' }}>
      {states.map((s) => (
        <span key={s}>
          <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: '50%', background: STATE_COLORS[s], marginRight: 4, verticalAlign: 'middle' }} />
          {IssueStateLabels[s]}
        </span>
      ))}
      <span>
        <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: '50%', border: '2px solid #c8102e', marginRight: 4, verticalAlign: 'middle' }} />
        红圈：已超期
      </span>
      <span>数字圆：聚合的多个问题，点击放大</span>
    </div>
  );
}
