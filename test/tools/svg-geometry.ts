import { instance } from '@viz-js/viz';

/*
 * The geometry of a Graphviz SVG, read as a reviewer's eye would: boxes, texts with a conservative extent, and the
 * drawn arrows as polylines. Used by the diagram's geometry tests.
 */

/** An axis-aligned rectangle in the SVG's user units. */
export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** A line of text as drawn: where, how big, and what. */
export interface SvgText {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'middle' | 'end';
  readonly size: number;
  readonly bold: boolean;
}

/** A node, edge or cluster group of the SVG. */
export interface SvgGroup {
  readonly kind: 'node' | 'edge' | 'cluster';
  /** The extra classes the DOT gave it (`replication`, `subnet-header`, …). */
  readonly classes: readonly string[];
  readonly title: string;
  /** Bounding boxes of its filled or stroked shapes (paths and polygons). */
  readonly boxes: readonly Rect[];
  /** Its drawn lines: each path as a polyline (Bézier curves sampled), each polygon closed. */
  readonly lines: readonly (readonly [number, number][])[];
  readonly texts: readonly SvgText[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#\d+|\w+);/g, (_, e: string) => (e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : (ENTITIES[e] ?? `&${e};`)));
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const numbers = (s: string) => (s.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? []).map(Number);
const pairs = (ns: number[]): [number, number][] => ns.flatMap((n, i) => (i % 2 === 0 ? [[n, ns[i + 1]] as [number, number]] : []));

/** The polyline of a Graphviz path (`M x,y C x,y x,y x,y …`): each cubic Bézier sampled at 16 points. */
function polyline(d: string): [number, number][] {
  const points = pairs(numbers(d));
  if (!/C/.test(d)) return points;
  const out: [number, number][] = [points[0]];
  for (let i = 1; i + 2 < points.length; i += 3) {
    const [p0, p1, p2, p3] = [points[i - 1], points[i], points[i + 1], points[i + 2]];
    for (let k = 1; k <= 16; k++) {
      const t = k / 16;
      const u = 1 - t;
      out.push([0, 1].map((c) => u * u * u * p0[c] + 3 * u * u * t * p1[c] + 3 * u * t * t * p2[c] + t * t * t * p3[c]) as [number, number]);
    }
  }
  return out;
}

const bounds = (points: readonly [number, number][]): Rect => ({
  left: Math.min(...points.map((p) => p[0])),
  right: Math.max(...points.map((p) => p[0])),
  top: Math.min(...points.map((p) => p[1])),
  bottom: Math.max(...points.map((p) => p[1])),
});

/** The node, edge and cluster groups of a Graphviz SVG, in document order. */
export function svgGroups(svg: string): SvgGroup[] {
  return [...svg.matchAll(/<g id="[^"]*" class="(node|edge|cluster)([^"]*)">([\s\S]*?)<\/g>/g)].map(([, kind, extra, body]) => {
    const shapes = [...body.matchAll(/<(path|polygon)\b[^>]*>/g)].map(([tag, name]) => {
      const points = name === 'path' ? polyline(attr(tag, 'd')!) : pairs(numbers(attr(tag, 'points')!));
      const visible = (attr(tag, 'fill') ?? 'none') !== 'none' || !['none', 'transparent', undefined].includes(attr(tag, 'stroke'));
      return { points, visible };
    });
    return {
      kind: kind as SvgGroup['kind'],
      classes: decode(extra).trim().split(/\s+/).filter(Boolean),
      title: decode(/<title>([^<]*)<\/title>/.exec(body)?.[1] ?? ''),
      boxes: shapes.filter((s) => s.visible && s.points.length > 2).map((s) => bounds(s.points)),
      lines: shapes.filter((s) => s.visible).map((s) => s.points),
      texts: [...body.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)].map(([, a, content]) => ({
        text: decode(content),
        x: Number(attr(a, 'x')),
        y: Number(attr(a, 'y')),
        anchor: (attr(a, 'text-anchor') ?? 'start') as SvgText['anchor'],
        size: Number(attr(a, 'font-size') ?? 14),
        bold: attr(a, 'font-weight') === 'bold',
      })),
    };
  });
}

/**
 * A conservative width of each text: the widest of Graphviz's metrics for the faces the SVG names (Verdana,
 * DejaVu Sans, Arial, Helvetica), plus 5 %. Measured by Graphviz in one run, as plain-text nodes without margins.
 */
export async function textWidths(texts: readonly SvgText[]): Promise<Map<SvgText, number>> {
  const viz = await instance();
  const key = (t: SvgText) => `${t.bold ? 'B' : 'R'}${t.size}:${t.text}`;
  const distinct = [...new Map(texts.map((t) => [key(t), t])).values()];
  const widest = new Map<string, number>();
  for (const font of ['Verdana', 'DejaVu Sans', 'Arial', 'Helvetica']) {
    const nodes = distinct.map((t, i) => {
      const escaped = t.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return `n${i} [label=<${t.bold ? `<B>${escaped}</B>` : escaped}>, fontsize=${t.size}];`;
    });
    const dot = `digraph { node [shape=plaintext, margin=0, width=0, height=0, fontname="${font}"]; ${nodes.join(' ')} }`;
    const layout = JSON.parse(viz.render(dot, { format: 'json', engine: 'dot' }).output!);
    for (const o of layout.objects) {
      const t = distinct[Number(o.name.slice(1))];
      widest.set(key(t), Math.max(widest.get(key(t)) ?? 0, Number(o.width) * 72));
    }
  }
  return new Map(texts.map((t) => [t, widest.get(key(t))! * 1.05]));
}

/** The extent of a text's glyphs: its measured width, ascent 0.8 em above the baseline, descent 0.25 em below. */
export function textRect(t: SvgText, width: number): Rect {
  const left = t.anchor === 'start' ? t.x : t.anchor === 'middle' ? t.x - width / 2 : t.x - width;
  return { left, right: left + width, top: t.y - 0.8 * t.size, bottom: t.y + 0.25 * t.size };
}

/** `inner` lies within `outer`. */
export const inside = (inner: Rect, outer: Rect) =>
  inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top && inner.bottom <= outer.bottom;

/** The two rectangles share area. */
export const overlaps = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The point lies within the rectangle. */
const contains = (r: Rect, [x, y]: readonly [number, number]) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;

/** A segment meets the rectangle: an end inside it, or a crossing of one of its sides. */
export function segmentMeets(a: readonly [number, number], b: readonly [number, number], r: Rect): boolean {
  if (contains(r, a) || contains(r, b)) return true;
  const corners: [number, number][] = [
    [r.left, r.top],
    [r.right, r.top],
    [r.right, r.bottom],
    [r.left, r.bottom],
  ];
  const cross = (o: readonly number[], p: readonly number[], q: readonly number[]) => (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0]);
  const intersects = (p1: readonly number[], p2: readonly number[], p3: readonly number[], p4: readonly number[]) =>
    cross(p3, p4, p1) * cross(p3, p4, p2) < 0 && cross(p1, p2, p3) * cross(p1, p2, p4) < 0;
  return corners.some((c, i) => intersects(a, b, c, corners[(i + 1) % 4]));
}

/** The first segment of a polyline that meets the rectangle, if any. */
export function lineMeets(line: readonly (readonly [number, number])[], r: Rect): [number, number][] | undefined {
  for (let i = 1; i < line.length; i++)
    if (segmentMeets(line[i - 1], line[i], r)) return [[...line[i - 1]] as [number, number], [...line[i]] as [number, number]];
  return undefined;
}
