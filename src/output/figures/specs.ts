import type { TopLevelSpec } from 'vega-lite';
import { VIEW_HEIGHT, VIEW_WIDTH } from './render.js';

/**
 * Vega-Lite specifications of the figure kinds. Every axis spans its data exactly (no "nice"
 * rounding past the last probe); log axes label every tick in one format (1e-3, 2e-3, …); on a
 * log axis, values more than LOG_DECADES decades below the largest are clipped at the bottom
 * (exact gradient descent runs down to 1e-30), and the axis title says so.
 */
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const LOG_DECADES = 6;

/** Long labels get a legend of one column, short ones two. */
function legendColumns(labels: string[]): { columns: number; labelLimit: number } {
  return labels.some((l) => l.length > 24) ? { columns: 1, labelLimit: 320 } : { columns: 2, labelLimit: 160 };
}

export interface Axis {
  title: string;
  log: boolean;
}

function extent(xs: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo === hi ? [lo - (lo === 0 ? 1 : Math.abs(lo) * 0.05), hi + (hi === 0 ? 1 : Math.abs(hi) * 0.05)] : [lo, hi];
}

/**
 * One tick format per axis: small values on log axes in exponent form (1e-3; 2.5e-1 within a
 * decade), counts (trials, evaluations) in SI form (200, 2k, 10k), the rest as plain numbers.
 */
function tickFormat(log: boolean, lo: number, hi: number): string {
  if (log && lo < 1) return hi / lo < 10 ? '.2~e' : '.0e';
  if (log || Math.max(Math.abs(lo), Math.abs(hi)) >= 1e4) return '~s';
  // Vega sets the precision of fixed notation from the tick step: 100, 0.05, never 1e+2.
  return '~f';
}

/** A positional scale and axis over the given values. */
function scale(axis: Axis, values: number[]): { scale: object; axis: object; title: string } {
  let [lo, hi] = extent(values);
  let title = axis.title;
  if (axis.log) {
    const floor = hi * 10 ** -LOG_DECADES;
    if (lo < floor) {
      lo = floor;
      title += ` (below ${floor.toExponential(0)} clipped)`;
    }
    if (lo === hi) [lo, hi] = [lo / 2, hi * 2];
  }
  return {
    scale: axis.log ? { type: 'log', domain: [lo, hi], nice: false } : { type: 'linear', domain: [lo, hi], nice: false, zero: false },
    axis: { format: tickFormat(axis.log, lo, hi), labelOverlap: 'greedy', ...(axis.log && hi / lo < 10 ? { tickCount: 5 } : {}) },
    title,
  };
}

/**
 * Values below a log axis' clipped floor are drawn at the floor, on the plot's edge, rather than
 * far outside it: a seed that ran down to 1e-37 still shows, at the "below … clipped" edge.
 */
function atFloor<T extends object>(rows: T[], fields: (keyof T)[], s: ReturnType<typeof scale>): T[] {
  const floor = (s.scale as { domain: number[] }).domain[0];
  return rows.map((row) => {
    const out = { ...row };
    for (const f of fields) if ((out[f] as number) < floor) (out[f] as number) = floor;
    return out;
  });
}

const encodeScale = (field: string, s: ReturnType<typeof scale>, extra: object = {}): object => ({
  field, type: 'quantitative', title: s.title, scale: s.scale, axis: s.axis, ...extra,
});

/**
 * Lines, one per series, told apart by colour and dash pattern in one legend: the dashed series
 * (guides, standard errors, exact references) show their dash in the legend too.
 */
export function lineFigure(title: string, values: { x: number; series: string; value: number }[], x: Axis, y: Axis, dashed: string[] = []): TopLevelSpec {
  const series = [...new Set(values.map((v) => v.series))];
  const xs = [...new Set(values.map((v) => v.x))];
  return {
    $schema: SCHEMA,
    title,
    width: VIEW_WIDTH,
    height: VIEW_HEIGHT,
    data: { values },
    mark: { type: 'line', clip: true, point: xs.length <= 30 ? { size: 14, filled: true } : false },
    encoding: {
      x: encodeScale('x', scale(x, xs)),
      y: encodeScale('value', scale(y, values.map((v) => v.value))),
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: series }, legend: { symbolType: 'stroke', symbolStrokeWidth: 2 } },
      strokeDash: {
        field: 'series', type: 'nominal', title: null,
        scale: { domain: series, range: series.map((s) => (dashed.includes(s) ? [5, 3] : [])) },
      },
    },
  } as TopLevelSpec;
}

export interface Band {
  x: number;
  condition: string;
  centre: number;
  lo: number;
  hi: number;
}

/** A line per condition over a shaded band (its spread over seeds). */
export function bandFigure(title: string, values: Band[], legendTitle: string | null, x: Axis, y: Axis, spreadNote: string): TopLevelSpec {
  const conditions = [...new Set(values.map((v) => v.condition))];
  const ys = scale(y, values.flatMap((v) => [v.lo, v.hi, v.centre]));
  const xs = scale(x, values.map((v) => v.x));
  const color = { field: 'condition', type: 'nominal', title: legendTitle, scale: { domain: conditions }, legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolOpacity: 1, ...legendColumns(conditions) } };
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: spreadNote },
    width: VIEW_WIDTH,
    height: VIEW_HEIGHT,
    data: { values },
    layer: [
      { mark: { type: 'area', opacity: 0.22, clip: true }, encoding: { x: encodeScale('x', xs), y: encodeScale('lo', ys), y2: { field: 'hi' }, color } },
      { mark: { type: 'line', clip: true }, encoding: { x: encodeScale('x', xs), y: encodeScale('centre', ys), color } },
    ],
  } as TopLevelSpec;
}

export interface Interval {
  /** Position on the numeric axis, or a category label. */
  x: number | string;
  series: string;
  centre: number;
  lo: number;
  hi: number;
}

/** Final values against a numeric axis: centre with error bars, a line per series. */
export function errorBarFigure(title: string, values: Interval[], legendTitle: string | null, x: Axis, y: Axis, spreadNote: string): TopLevelSpec {
  const series = [...new Set(values.map((v) => v.series))];
  const xs = scale(x, values.map((v) => v.x as number));
  const ys = scale(y, values.flatMap((v) => [v.lo, v.hi]));
  const color = { field: 'series', type: 'nominal', title: legendTitle, scale: { domain: series }, legend: series.length > 1 ? legendColumns(series) : null };
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: spreadNote },
    width: VIEW_WIDTH,
    height: VIEW_HEIGHT,
    data: { values: atFloor(values, ['lo', 'hi', 'centre'], ys) },
    layer: [
      { mark: { type: 'rule', clip: true }, encoding: { x: encodeScale('x', xs), y: encodeScale('lo', ys), y2: { field: 'hi' }, color } },
      { mark: { type: 'line', point: { size: 18, filled: true }, clip: true }, encoding: { x: encodeScale('x', xs), y: encodeScale('centre', ys), color } },
    ],
  } as TopLevelSpec;
}

/**
 * A dot plot for a categorical axis: one row per category, the centre as a dot with its
 * interval, every seed's value as a small open circle; series (other axes) side by side.
 */
export function dotFigure(
  title: string, values: Interval[], points: { x: string; series: string; value: number }[], legendTitle: string | null, categoryTitle: string, y: Axis, spreadNote: string,
): TopLevelSpec {
  const series = [...new Set(values.map((v) => v.series))];
  const categories = [...new Set(values.map((v) => v.x as string))];
  const vs = scale(y, [...values.flatMap((v) => [v.lo, v.hi]), ...points.map((p) => p.value)]);
  values = atFloor(values, ['lo', 'hi', 'centre'], vs);
  points = atFloor(points, ['value'], vs);
  const cat = { field: 'x', type: 'nominal', title: categoryTitle || null, sort: categories, axis: { labelLimit: 170 } };
  const color = { field: 'series', type: 'nominal', title: legendTitle, scale: { domain: series }, legend: series.length > 1 ? legendColumns(series) : null };
  const offset = series.length > 1 ? { yOffset: { field: 'series', type: 'nominal', scale: { domain: series } } } : {};
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: spreadNote },
    // Narrower than the other figures: the category labels stand on its left.
    width: VIEW_WIDTH - 60,
    // With several series the step is that of one series' row within a category (the yOffset band).
    height: { step: series.length > 1 ? 9 : 22 },
    layer: [
      { data: { values }, mark: { type: 'rule', strokeWidth: 1.2, clip: true }, encoding: { y: cat, x: encodeScale('lo', vs), x2: { field: 'hi' }, color, ...offset } },
      { data: { values: points }, mark: { type: 'point', shape: 'circle', filled: false, size: 22, strokeWidth: 1, opacity: 0.8, clip: true }, encoding: { y: cat, x: encodeScale('value', vs), color, ...offset } },
      { data: { values }, mark: { type: 'point', shape: 'diamond', filled: true, size: 60, clip: true }, encoding: { y: cat, x: encodeScale('centre', vs), color, ...offset } },
    ],
  } as TopLevelSpec;
}
