import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { csvHeader, drawable, estimatesZ, finite, fold, isErrorMetric, isZMetric, readCsv, readJson, type Row } from './data.js';
import { renderSvg } from './render.js';
import { lineFigure } from './specs.js';
import { checkX, checkY, X_TITLES, type Figure, type FigureOptions } from './types.js';

/**
 * Figures of a run directory, from its files alone (probes.csv, synapses.csv, summary.json):
 *   estimate: relative errors against trials on log-log axes with the 1/√N guide (the rate of an
 *             unbiased estimator's error), _live variants when synapses are dead; ẑ and ĝ against
 *             their exact values per synapse
 *   train:    learning curves of weight perturbation and of exact gradient descent, and their
 *             accuracies on classification problems
 *   eigen:    λ̂ against λ_max, and the angle to the top eigenvector
 * With --y, one figure of the chosen probes.csv columns instead. Columns without a value (an
 * estimator that does not provide the metric) are skipped, not drawn.
 */
export async function runFigures(dir: string, options: FigureOptions = {}): Promise<Figure[]> {
  const summary = readJson<{ mode?: string; scenario: string }>(join(dir, 'summary.json'));
  if (summary === null) return [];
  const probesPath = join(dir, 'probes.csv');
  const probes = existsSync(probesPath) ? readCsv(probesPath) : [];
  if (probes.length === 0) return [];
  const header = csvHeader(probesPath);
  const x = options.x ?? 'trial';
  checkX(x, header, probesPath);
  const name = summary.scenario;
  const figures: Figure[] = [];
  const add = async (file: string, title: string, spec: TopLevelSpec | null): Promise<void> => {
    if (spec !== null) figures.push({ name: file, title, svg: await renderSvg(spec) });
  };

  if (options.y !== undefined && options.y.length > 0) {
    checkY(options.y, header, probesPath);
    const log = options.y.every(isErrorMetric);
    await add(`probes-${options.y.join('-').replace(/[^a-z0-9_-]+/gi, '_')}`, `${options.y.join(', ')} against ${X_TITLES[x]}`,
      curves(`${name}: ${options.y.join(', ')}`, probes, x, options.y, log, log && x !== 'chip_time'));
    return figures;
  }

  const mode = summary.mode ?? 'estimate';
  if (mode === 'estimate') {
    const syn = existsSync(join(dir, 'synapses.csv')) ? readCsv(join(dir, 'synapses.csv')) : [];
    // An estimator that does not estimate z (wp): no z series and no z scatter of zeros.
    const zEstimated = estimatesZ(dir);
    const columns = header
      .filter((c) => /_rel_err(_live)?$/.test(c) || c === 'z_se_rel')
      .filter((c) => zEstimated || !isZMetric(c));
    const series = drawable(probes, columns, true);
    await add('errors', 'Relative errors against trials, with the 1/√N rate of an unbiased estimate',
      errorsSpec(`${name}: relative errors`, probes, x, series));
    if (zEstimated) await add('scatter-z', 'ẑ against the exact (Hv)_i, one point per synapse', scatter(`${name}: estimates of (Hv)_i`, syn, 'z_exact', 'z_est'));
    await add('scatter-g', 'ĝ against the exact ∂E/∂w_i, one point per synapse', scatter(`${name}: estimates of ∂E/∂w_i`, syn, 'g_exact', 'g_est'));
  } else if (mode === 'train') {
    const series = drawable(probes, header.filter((c) => c.endsWith('_error')), true);
    await add('learning', 'Learning curves: weight perturbation (solid) and exact gradient descent (dashed)',
      curves(`${name}: learning curves`, probes, x, series, true, false, series.filter((s) => s.startsWith('gd_')), 'error E'));
    // Classification problems also report accuracies (on the data set, or on the test split).
    const accuracy = drawable(probes, header.filter((c) => c.endsWith('accuracy')), false);
    await add('accuracy', 'Accuracy: weight perturbation (solid) and exact gradient descent (dashed)',
      curves(`${name}: accuracy`, probes, x, accuracy, false, false, accuracy.filter((s) => s.startsWith('gd_')), 'accuracy'));
  } else if (mode === 'eigen') {
    await add('eigenvalue', 'On-chip power iteration: λ̂ against the exact λ_max (dashed)',
      curves(`${name}: top eigenvalue`, probes, x, drawable(probes, ['lambda_est', 'lambda_avg', 'lambda_exact'], false), false, false, ['lambda_exact'], 'eigenvalue'));
    await add('angle', 'Angle between the on-chip direction and the top eigenvector',
      curves(`${name}: angle to the top eigenvector`, probes, x, drawable(probes, ['angle_deg'], true), true, false, [], 'angle (degrees)'));
  }
  return figures;
}

function curves(title: string, rows: Row[], x: string, series: string[], logY: boolean, logX: boolean, dashed: string[] = [], yTitle?: string): TopLevelSpec | null {
  const values = fold(rows, x, series, logY || logX);
  if (values.length === 0) return null;
  return lineFigure(title, values, { title: X_TITLES[x as keyof typeof X_TITLES] ?? x, log: logX }, { title: yTitle ?? (series.length === 1 ? series[0] : 'value'), log: logY }, dashed);
}

const GUIDE = '1/√N guide';

function errorsSpec(title: string, probes: Row[], x: string, series: string[]): TopLevelSpec | null {
  const values = fold(probes, x, series, true);
  if (values.length === 0) return null;
  // The 1/√N guide through the first point of the z error (else the g error): an unbiased
  // estimate's error falls as N^(−1/2), so a curve that flattens above the guide shows bias.
  const anchor = series.includes('z_rel_err') ? 'z_rel_err' : series.includes('g_rel_err') ? 'g_rel_err' : null;
  const first = anchor === null ? undefined : probes.find((r) => finite(r[anchor]) && (r[anchor] as number) > 0 && finite(r.trial) && finite(r[x]));
  if (anchor !== null && first !== undefined) {
    const t0 = first.trial as number;
    for (const r of probes) {
      if (finite(r.trial) && finite(r[x]) && (r.trial as number) >= t0) values.push({ x: r[x] as number, series: GUIDE, value: (first[anchor] as number) * Math.sqrt(t0 / (r.trial as number)) });
    }
  }
  return lineFigure(title, values, { title: X_TITLES[x as keyof typeof X_TITLES] ?? x, log: x !== 'chip_time' }, { title: 'relative L2 error', log: true }, [GUIDE, 'z_se_rel']);
}

function scatter(title: string, rows: Row[], xField: string, yField: string): TopLevelSpec | null {
  const values = rows.filter((r) => finite(r[xField]) && finite(r[yField])).map((r) => ({ exact: r[xField] as number, estimate: r[yField] as number, index: r.index }));
  if (values.length === 0) return null;
  const all = values.flatMap((r) => [r.exact, r.estimate]);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  const axis = { domain: [lo, hi], nice: false, zero: false };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 200,
    height: 200,
    layer: [
      {
        data: { values: [{ exact: lo, estimate: lo, series: 'estimate = exact' }, { exact: hi, estimate: hi, series: 'estimate = exact' }] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 3] },
        encoding: { x: { field: 'exact', type: 'quantitative', scale: axis }, y: { field: 'estimate', type: 'quantitative', scale: axis } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 20 },
        encoding: {
          x: { field: 'exact', type: 'quantitative', title: `${xField} (exact)`, scale: axis, axis: { format: '~g' } },
          y: { field: 'estimate', type: 'quantitative', title: `${yField} (synapse estimate)`, scale: axis, axis: { format: '~g' } },
          tooltip: [{ field: 'index' }],
        },
      },
    ],
  } as TopLevelSpec;
}
