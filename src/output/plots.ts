import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { InputError } from '../errors.js';

/**
 * Figures for a run or a sweep directory, rendered headless to SVG from Vega-Lite specifications
 * (vega + vega-lite in Node, no browser): what fits the run's mode.
 *   estimate: errors against trials on log-log axes with the 1/√N guide; estimate against exact
 *             per synapse (ẑ and ĝ)
 *   train:    learning curves (WP and exact GD)
 *   eigen:    the λ̂ trace against λ_max, and the angle to the top eigenvector
 *   sweep:    each final error against each numeric grid axis (the σ U curves), one line per
 *             combination of the other axes, seeds averaged
 */
export interface Figure {
  name: string;
  title: string;
  svg: string;
}

type Row = Record<string, string | number>;

function readCsv(path: string): Row[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, cast: (v: string) => (v === '' ? '' : Number.isNaN(Number(v)) ? v : Number(v)) }) as Row[];
}

async function render(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const WIDTH = 520;
const HEIGHT = 320;

/** Long format: one row per (x, series, value), skipping empty and non-positive values when log. */
function fold(rows: Row[], x: string, series: string[], positive: boolean): Row[] {
  const out: Row[] = [];
  for (const r of rows) {
    for (const s of series) {
      const y = r[s];
      if (typeof y !== 'number' || !Number.isFinite(y) || (positive && y <= 0)) continue;
      out.push({ [x]: r[x], series: s, value: y });
    }
  }
  return out;
}

function lineChart(title: string, values: Row[], x: string, xTitle: string, yTitle: string, logX: boolean, logY: boolean, dashed: string[] = []): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: x, type: 'quantitative', title: xTitle, scale: { type: logX ? 'log' : 'linear' } },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { type: logY ? 'log' : 'linear' } },
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 480 } },
      strokeDash: { condition: { test: `indexof(${JSON.stringify(dashed)}, datum.series) >= 0`, value: [6, 4] }, value: [1, 0] },
    },
  } as TopLevelSpec;
}

function scatter(title: string, rows: Row[], xField: string, yField: string): TopLevelSpec {
  const values = rows.filter((r) => typeof r[xField] === 'number' && typeof r[yField] === 'number');
  const all = values.flatMap((r) => [r[xField] as number, r[yField] as number]);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: HEIGHT,
    height: HEIGHT,
    layer: [
      {
        data: { values: [{ a: lo, b: lo }, { a: hi, b: hi }] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 40 },
        encoding: {
          x: { field: xField, type: 'quantitative', title: `${xField} (exact)` },
          y: { field: yField, type: 'quantitative', title: `${yField} (synapse estimate)` },
          tooltip: [{ field: 'index' }],
        },
      },
    ],
  } as TopLevelSpec;
}

/** Figures for a run directory (holds summary.json). */
export async function runFigures(dir: string): Promise<Figure[]> {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { mode?: string; scenario: string };
  const probes = readCsv(join(dir, 'probes.csv'));
  const figures: Figure[] = [];
  const mode = summary.mode ?? 'estimate';
  if (probes.length === 0) return figures;
  const cols = Object.keys(probes[0]);
  if (mode === 'estimate') {
    const series = cols.filter((c) => c.endsWith('_rel_err') || c === 'z_se_rel');
    const values = fold(probes, 'trial', series, true);
    // The 1/√N guide through the first z (or g) error.
    const anchor = probes[0].z_rel_err !== undefined && Number(probes[0].z_rel_err) > 0 && Number(probes[0].z_rel_err) !== 1 ? 'z_rel_err' : 'g_rel_err';
    const t0 = Number(probes[0].trial);
    const y0 = Number(probes[0][anchor]);
    for (const r of probes) values.push({ trial: r.trial, series: '1/sqrt(N) guide', value: y0 * Math.sqrt(t0 / Number(r.trial)) });
    figures.push({ name: 'errors', title: 'Relative error against trials', svg: await render(lineChart(`${summary.scenario}: relative errors against trials`, values, 'trial', 'trials', 'relative L2 error', true, true, ['1/sqrt(N) guide', 'z_se_rel'])) });
    if (existsSync(join(dir, 'synapses.csv'))) {
      const syn = readCsv(join(dir, 'synapses.csv'));
      figures.push({ name: 'scatter-z', title: 'ẑ against exact Hv per synapse', svg: await render(scatter(`${summary.scenario}: synapse estimates of (Hv)_i`, syn, 'z_exact', 'z_est')) });
      figures.push({ name: 'scatter-g', title: 'ĝ against exact ∇E per synapse', svg: await render(scatter(`${summary.scenario}: synapse estimates of dE/dw_i`, syn, 'g_exact', 'g_est')) });
    }
  } else if (mode === 'train') {
    const series = cols.filter((c) => c.endsWith('_error'));
    figures.push({ name: 'learning', title: 'Learning curves', svg: await render(lineChart(`${summary.scenario}: learning curves (WP and exact GD)`, fold(probes, 'trial', series, true), 'trial', 'trials', 'error', false, true, ['gd_train_error', 'gd_gen_error'])) });
  } else if (mode === 'eigen') {
    figures.push({ name: 'eigenvalue', title: 'λ̂ against λ_max', svg: await render(lineChart(`${summary.scenario}: on-chip power iteration`, fold(probes, 'trial', ['lambda_est', 'lambda_avg', 'lambda_exact'], false), 'trial', 'trials', 'eigenvalue', false, false, ['lambda_exact'])) });
    figures.push({ name: 'angle', title: 'Angle to the top eigenvector', svg: await render(lineChart(`${summary.scenario}: angle between v and the top eigenvector`, fold(probes, 'trial', ['angle_deg'], true), 'trial', 'trials', 'degrees', false, true)) });
  }
  return figures;
}

/** A grid value for a legend: JSON objects like {"name":"seed","intercept":true} as seed(intercept=true). */
function shortValue(v: string | number): string {
  if (typeof v === 'number') return String(v);
  try {
    const o = JSON.parse(v) as unknown;
    if (o !== null && typeof o === 'object' && !Array.isArray(o)) {
      const { name, ...rest } = o as Record<string, unknown>;
      const args = Object.entries(rest).map(([k, x]) => `${k}=${JSON.stringify(x)}`).join(', ');
      return name !== undefined ? `${String(name)}${args ? `(${args})` : ''}` : args;
    }
  } catch {
    // not JSON: shown as it is
  }
  return v;
}

/** Figures for a sweep directory (holds sweep.csv): each error against each numeric axis. */
export async function sweepFigures(dir: string): Promise<Figure[]> {
  const record = JSON.parse(readFileSync(join(dir, 'rows.json'), 'utf8')) as { definition: { grid: { path: string; values: unknown[] }[] } };
  const rows = readCsv(join(dir, 'sweep.csv')).filter((r) => r.status === 'complete');
  const axes = record.definition.grid.map((g) => g.path);
  const figures: Figure[] = [];
  if (rows.length === 0) return figures;
  const metrics = Object.keys(rows[0]).filter((c) => c.endsWith('_rel_err'));
  for (const axis of axes) {
    if (!rows.every((r) => typeof r[axis] === 'number')) continue;
    const others = axes.filter((a) => a !== axis);
    const logX = rows.every((r) => (r[axis] as number) > 0);
    for (const metric of metrics.filter((m) => m === 'z_rel_err' || m === 'g_rel_err')) {
      // Mean over seeds per (axis value, other axes).
      const groups = new Map<string, { x: number; series: string; sum: number; count: number }>();
      for (const r of rows) {
        const y = r[metric];
        if (typeof y !== 'number' || !(y > 0)) continue;
        const series = others.length === 0 ? metric : others.map((o) => `${o}=${shortValue(r[o])}`).join(', ');
        const key = `${series}|${r[axis]}`;
        const g = groups.get(key) ?? { x: r[axis] as number, series, sum: 0, count: 0 };
        g.sum += y;
        g.count++;
        groups.set(key, g);
      }
      // Vega-Lite reads dots in field names as nesting: the axis value goes in a plain field "x".
      const values = [...groups.values()].map((g) => ({ x: g.x, series: g.series, value: g.sum / g.count }));
      figures.push({
        name: `sweep-${metric}-vs-${axis.replace(/[^a-z0-9]+/gi, '_')}`,
        title: `${metric} against ${axis}`,
        svg: await render(lineChart(`${metric} against ${axis} (mean over seeds)`, values, 'x', axis, metric, logX, true)),
      });
    }
  }
  return figures;
}

/** Renders a run's or sweep's figures into <dir>/plots/*.svg; returns the written paths. */
export async function writeFigures(dir: string): Promise<{ figures: Figure[]; paths: string[] }> {
  let figures: Figure[];
  if (existsSync(join(dir, 'summary.json'))) figures = await runFigures(dir);
  else if (existsSync(join(dir, 'rows.json'))) figures = await sweepFigures(dir);
  else throw new InputError('DIR', 'must be a run directory (summary.json) or a sweep directory (rows.json)', dir);
  mkdirSync(join(dir, 'plots'), { recursive: true });
  const paths = figures.map((f) => {
    const path = join(dir, 'plots', `${f.name}.svg`);
    writeFileSync(path, f.svg);
    return path;
  });
  return { figures, paths };
}
