import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { SweepDefinition } from '../../sweep/grid.js';
import type { SweepRow } from '../../sweep/runner.js';
import { runDirOf } from '../sweep-csv.js';
import { csvHeader, estimatesZ, finite, isErrorMetric, isZMetric, readCsv, readJson, sharedEntries, shortValue, spread, type Row } from './data.js';
import { renderSvg } from './render.js';
import { bandFigure, dotFigure, errorBarFigure, type Band, type Interval } from './specs.js';
import { checkX, checkY, X_TITLES, type Figure, type FigureOptions } from './types.js';

/**
 * Figures of a sweep directory, for any kind of axis, from rows.json and the runs' probes.csv:
 *   curves-M:       learning curves of metric M per grid point, a band for the spread over seeds
 *   final-M-vs-A:   M's final value against a numeric axis A, error bars over seeds, a line per
 *                   combination of the other axes
 *   final-M-by-A:   a dot plot of M per value of a categorical axis A (estimators, codes), the
 *                   interval over seeds and every seed's value
 *   final-M:        a seeds-only sweep: M's final values over the seeds
 * Spread over seeds: on log axes (errors) the geometric mean ×/÷ the geometric sd, elsewhere the
 * mean ± sd (figures/data.ts).
 */
const HEADLINE = ['z_rel_err', 'g_rel_err', 'test_accuracy', 'accuracy', 'gen_error', 'train_error', 'lambda_rel_err'];

interface SweepRecord {
  definition: SweepDefinition;
  rows: SweepRow[];
}

const lastSegment = (path: string): string => path.split('.').pop() ?? path;

/** A grid point's label: the value alone for one axis, `sigma=0.01, estimator=moment` for several. */
function conditionLabel(row: SweepRow, paths: string[], shared: ReadonlyMap<string, ReadonlySet<string>>): string {
  const value = (p: string): string => shortValue(row.assignments.find((a) => a.path === p)?.value, shared.get(p));
  return paths.length === 1 ? value(paths[0]) : paths.map((p) => `${lastSegment(p)}=${value(p)}`).join(', ');
}

/** A final metric of a run already filtered to have it (an estimator without the metric has null). */
const metric = (r: SweepRow, m: string): number => r.metrics[m] as number;

function spreadNote(log: boolean): string {
  return log ? 'geometric mean ×/÷ sd over seeds' : 'mean ± sd over seeds';
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const t of items) groups.set(key(t), [...(groups.get(key(t)) ?? []), t]);
  return groups;
}

export async function sweepFigures(dir: string, options: FigureOptions = {}): Promise<Figure[]> {
  const record = readJson<SweepRecord>(join(dir, 'rows.json'));
  if (record === null) return [];
  const complete = record.rows.filter((r) => r.status === 'complete');
  if (complete.length === 0) return [];
  // Runs whose estimator does not estimate z have no z metrics to show (not a flat line at 1).
  const noZ = new Set(complete.filter((r) => !estimatesZ(join(dir, runDirOf(r)))).map((r) => r.index));
  const has = (r: SweepRow, m: string): boolean => !(noZ.has(r.index) && isZMetric(m));
  const axes = record.definition.grid.filter((a) => new Set(a.values.map((v) => JSON.stringify(v))).size > 1);
  const allPaths = axes.map((a) => a.path);
  const shared = new Map(axes.map((a) => [a.path, sharedEntries(a.values)]));
  const metricNames = [...new Set(complete.flatMap((r) => Object.keys(r.metrics)))];
  if (options.y !== undefined && options.y.length > 0) checkY(options.y, metricNames, join(dir, 'rows.json'));
  const metrics = options.y !== undefined && options.y.length > 0 ? options.y : HEADLINE.filter((m) => complete.some((r) => finite(r.metrics[m])));
  const figures: Figure[] = [];
  const add = async (name: string, title: string, spec: TopLevelSpec | null): Promise<void> => {
    if (spec !== null) figures.push({ name, title, svg: await renderSvg(spec) });
  };
  const seedsLabel = `${record.definition.seeds.length} seed${record.definition.seeds.length === 1 ? '' : 's'}`;

  // Learning curves from the runs' own probes.csv (a merged sweep keeps them in its shards).
  const probes = new Map<number, Row[]>();
  for (const r of complete) {
    const path = join(dir, runDirOf(r), 'probes.csv');
    if (existsSync(path)) probes.set(r.index, readCsv(path));
  }
  const x = options.x ?? 'trial';
  if (probes.size > 0) {
    const first = complete.find((r) => probes.has(r.index)) as SweepRow;
    checkX(x, csvHeader(join(dir, runDirOf(first), 'probes.csv')), join(dir, runDirOf(first), 'probes.csv'));
    for (const m of metrics) {
      const log = isErrorMetric(m);
      const bands: Band[] = [];
      for (const [label, runs] of groupBy(complete.filter((r) => probes.has(r.index) && has(r, m)), (r) => conditionLabel(r, allPaths, shared))) {
        const byX = new Map<number, number[]>();
        for (const r of runs) {
          for (const p of probes.get(r.index) as Row[]) {
            const xv = p[x];
            const y = p[m];
            if (finite(xv) && finite(y) && (!log || y > 0)) byX.set(xv, [...(byX.get(xv) ?? []), y]);
          }
        }
        for (const [xv, ys] of byX) bands.push({ x: xv, condition: label || `all runs (${seedsLabel})`, ...spread(ys, log) });
      }
      if (bands.length === 0) continue;
      bands.sort((a, b) => a.x - b.x);
      await add(`curves-${m}`, `${m} against ${X_TITLES[x]} per grid point; band: ${spreadNote(log)}`,
        bandFigure(`${m}: learning curves, ${seedsLabel} each`, bands, allPaths.length === 1 ? allPaths[0] : null, { title: X_TITLES[x], log: false }, { title: m, log }, spreadNote(log)));
    }
  }

  for (const m of metrics) {
    const log = isErrorMetric(m);
    const valued = complete.filter((r) => has(r, m) && finite(r.metrics[m]) && (!log || metric(r, m) > 0));
    if (valued.length === 0) continue;
    for (const axis of axes) {
      const others = allPaths.filter((p) => p !== axis.path);
      const numeric = axis.values.every((v) => typeof v === 'number');
      const value = (r: SweepRow): unknown => r.assignments.find((a) => a.path === axis.path)?.value;
      const intervals: Interval[] = [];
      const points: { x: string; series: string; value: number }[] = [];
      for (const runs of groupBy(valued, (r) => `${JSON.stringify(value(r))}|${conditionLabel(r, others, shared)}`).values()) {
        const series = conditionLabel(runs[0], others, shared) || m;
        const at = numeric ? (value(runs[0]) as number) : shortValue(value(runs[0]), shared.get(axis.path));
        intervals.push({ x: at, series, ...spread(runs.map((r) => metric(r, m)), log) });
        if (!numeric) for (const r of runs) points.push({ x: at as string, series, value: metric(r, m) });
      }
      const slug = axis.path.replace(/[^a-z0-9]+/gi, '_');
      if (numeric) {
        const xs = intervals.map((i) => i.x as number);
        const logX = xs.every((v) => v > 0) && Math.max(...xs) / Math.min(...xs) >= 10;
        intervals.sort((a, b) => (a.x as number) - (b.x as number));
        await add(`final-${m}-vs-${slug}`, `final ${m} against ${axis.path}; error bars: ${spreadNote(log)}`,
          errorBarFigure(`final ${m} against ${lastSegment(axis.path)}, ${seedsLabel}`, intervals, others.length === 1 ? others[0] : null, { title: axis.path, log: logX }, { title: `final ${m}`, log }, spreadNote(log)));
      } else {
        await add(`final-${m}-by-${slug}`, `final ${m} per ${axis.path}: dot and interval (${spreadNote(log)}), circles: single seeds`,
          dotFigure(`final ${m} by ${lastSegment(axis.path)}, ${seedsLabel}`, intervals, points, others.length === 1 ? others[0] : null, axis.path, { title: `final ${m}`, log }, spreadNote(log)));
      }
    }
    if (axes.length === 0) {
      const label = `all runs (${seedsLabel})`;
      await add(`final-${m}`, `final ${m} over the seeds: dot and interval (${spreadNote(log)}), circles: single seeds`,
        dotFigure(`${m} over ${seedsLabel}`, [{ x: label, series: m, ...spread(valued.map((r) => metric(r, m)), log) }],
          valued.map((r) => ({ x: label, series: m, value: metric(r, m) })), null, '', { title: `final ${m}`, log }, spreadNote(log)));
    }
  }
  return figures;
}
