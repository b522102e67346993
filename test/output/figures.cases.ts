import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { runFigures, sweepFigures, writeFigures, type Figure } from '../../src/output/plots.js';
import { pngSize, svgSize } from '../../src/output/figures/render.js';
import { readCsv } from '../../src/output/figures/data.js';
import { wpsim } from '../helpers/cli.js';
import { fixtures } from './fixtures.js';
import { items, parseSvg, texts } from './svg.js';

const fx = fixtures();

const byName = (figures: Figure[], name: string): string => {
  const f = figures.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no figure ${name} among ${figures.map((x) => x.name).join(', ')}`);
  return f.svg;
};

/** Line figures: one legend entry per drawn line, and the dashed lines dashed in the legend too. */
function expectLineLegend(svg: string, dashed: string[] | ((label: string) => boolean)): string[] {
  const isDashed = typeof dashed === 'function' ? dashed : (label: string): boolean => dashed.includes(label);
  const lines = items(svg, 'line', 'mark');
  const labels = texts(svg, 'legend-label');
  const symbols = items(svg, 'symbol', 'legend-symbol');
  expect(labels.length).toBe(lines.length);
  expect(symbols.length).toBe(labels.length);
  labels.forEach((label, k) => {
    const dash = /stroke-dasharray="([^"]*)"/.exec(symbols[k])?.[1] ?? '';
    expect(dash !== '' && dash !== 'none', `legend symbol of ${label} ${isDashed(label) ? 'dashed' : 'solid'}`).toBe(isDashed(label));
  });
  return labels;
}

describe('run figures of every ready scenario', () => {
  it('are valid SVG with the marks their mode promises', async () => {
    expect(fx.runs.size).toBeGreaterThanOrEqual(18);
    for (const [name, dir] of fx.runs) {
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { mode: string; synapses: number };
      // The resolved scenario keeps no $schema pointer (it would point at nothing here).
      expect(JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')).$schema, name).toBeUndefined();
      const figures = await runFigures(dir);
      for (const f of figures) {
        const { width, height } = parseSvg(f.svg);
        expect(width, `${name}/${f.name} width`).toBeGreaterThan(200);
        expect(height, `${name}/${f.name} height`).toBeGreaterThan(100);
      }
      const names = figures.map((f) => f.name);
      if (summary.mode === 'estimate') {
        const zEstimated = readCsv(join(dir, 'synapses.csv')).some((r) => typeof r.z_est === 'number' && r.z_est !== 0);
        expect(names, name).toEqual(zEstimated ? ['errors', 'scatter-z', 'scatter-g'] : ['errors', 'scatter-g']);
        const labels = expectLineLegend(byName(figures, 'errors'), ['1/√N guide', 'z_se_rel']);
        expect(labels, name).toContain('1/√N guide');
        expect(labels, name).toContain('g_rel_err');
        expect(labels.includes('z_rel_err'), name).toBe(zEstimated);
        // One point per synapse in the scatter.
        expect(items(byName(figures, 'scatter-g'), 'symbol', 'mark').length, name).toBe(summary.synapses);
      } else if (summary.mode === 'train') {
        const probesHeader = readFileSync(join(dir, 'probes.csv'), 'utf8').split('\n', 1)[0].split(',');
        const accuracy = probesHeader.filter((c) => c.endsWith('accuracy'));
        expect(names, name).toEqual(accuracy.length > 0 ? ['learning', 'accuracy'] : ['learning']);
        if (accuracy.length > 0) expect(expectLineLegend(byName(figures, 'accuracy'), (label) => label.startsWith('gd_')).sort(), name).toEqual(accuracy.sort());
        // Exact gradient descent (gd_*) is dashed, weight perturbation solid.
        const labels = expectLineLegend(byName(figures, 'learning'), (label) => label.startsWith('gd_'));
        expect(labels, name).toEqual(expect.arrayContaining(['train_error', 'gd_train_error']));
      } else {
        expect(names, name).toEqual(['eigenvalue', 'angle']);
        expect(expectLineLegend(byName(figures, 'eigenvalue'), ['lambda_exact']).sort(), name).toEqual(['lambda_avg', 'lambda_est', 'lambda_exact']);
      }
    }
  });

  it('draw the _live columns of a chip with dead synapses, and no z of an estimator without z', async () => {
    const live = texts(byName(await runFigures(fx.runs.get('hardware-noise-adc') as string), 'errors'), 'legend-label');
    expect(live).toEqual(expect.arrayContaining(['g_rel_err_live', 'z_rel_err_live']));
    const wp = await runFigures(fx.runs.get('xor-wp-gradient') as string);
    expect(wp.map((f) => f.name)).toEqual(['errors', 'scatter-g']);
    expect(texts(byName(wp, 'errors'), 'legend-label').sort()).toEqual(['1/√N guide', 'g_rel_err']);
  });

  it('x axes end at the data: the first and last probe sit on the plot edges', async () => {
    const svg = byName(await runFigures(fx.runs.get('train-teacher-student') as string), 'learning');
    // The lines together start at x = 0 (the first row, trial 0) and end at the view width (the
    // last probe); a column without a value at trial 0 (the running sampled error) starts later.
    const paths = items(svg, 'line', 'mark').map((path) => [...(/d="([^"]*)"/.exec(path)?.[1] ?? '').matchAll(/[ML](-?[\d.]+),/g)].map((m) => Number(m[1])));
    expect(paths.length).toBeGreaterThan(0);
    expect(Math.min(...paths.map((xs) => xs[0]))).toBeCloseTo(0, 6);
    for (const xs of paths) expect(xs[xs.length - 1]).toBeCloseTo(250, 6);
  });
});

describe('sweep figures for numeric, categorical and seeds-only axes', () => {
  it('numeric axis: a band per grid point and error bars against the axis', async () => {
    const figures = await sweepFigures(fx.numeric);
    expect(figures.map((f) => f.name)).toEqual(['curves-z_rel_err', 'curves-g_rel_err', 'final-z_rel_err-vs-perturbation_sigma', 'final-g_rel_err-vs-perturbation_sigma']);
    for (const f of figures) parseSvg(f.svg);
    const curves = byName(figures, 'curves-z_rel_err');
    expect(items(curves, 'area', 'mark')).toHaveLength(3);
    expect(texts(curves, 'legend-label').sort()).toEqual(['0.01', '0.05', '0.2']);
    // Three error bars (rules) and three centres on one line.
    const final = byName(figures, 'final-z_rel_err-vs-perturbation_sigma');
    expect(items(final, 'rule', 'mark')).toHaveLength(3);
    expect(items(final, 'symbol', 'mark')).toHaveLength(3);
  });

  it('categorical axis: bands and a dot plot per estimator; the estimator without z has no z band', async () => {
    const figures = await sweepFigures(fx.categorical);
    expect(figures.map((f) => f.name)).toEqual(['curves-z_rel_err', 'curves-g_rel_err', 'final-z_rel_err-by-estimator', 'final-g_rel_err-by-estimator']);
    expect(items(byName(figures, 'curves-g_rel_err'), 'area', 'mark')).toHaveLength(3);
    expect(texts(byName(figures, 'curves-g_rel_err'), 'legend-label').sort()).toEqual(['moment', 'seed(intercept=false)', 'wp']);
    expect(items(byName(figures, 'curves-z_rel_err'), 'area', 'mark')).toHaveLength(2);
    const dots = byName(figures, 'final-g_rel_err-by-estimator');
    expect(texts(dots, 'axis-label')).toEqual(expect.arrayContaining(['moment', 'seed(intercept=false)', 'wp']));
    // An interval per estimator, a centre per estimator and a circle per run.
    expect(items(dots, 'rule', 'mark')).toHaveLength(3);
    expect(items(dots, 'symbol', 'mark')).toHaveLength(3 + 6);
  });

  it('seeds only: one band and the spread of the final values', async () => {
    const figures = await sweepFigures(fx.seedsOnly);
    expect(figures.map((f) => f.name)).toEqual(['curves-z_rel_err', 'curves-g_rel_err', 'final-z_rel_err', 'final-g_rel_err']);
    expect(items(byName(figures, 'curves-z_rel_err'), 'area', 'mark')).toHaveLength(1);
    expect(items(byName(figures, 'final-z_rel_err'), 'symbol', 'mark')).toHaveLength(1 + 3);
  });
});

describe('wpsim plot', () => {
  it('writes PNGs that decode at 300 dpi of the SVG size, and PDFs', async () => {
    // In-process: the CLI's --format goes straight to writeFigures (its parsing is tested below).
    const dir = fx.categorical;
    const svgs = (await writeFigures(dir)).paths;
    const pngs = (await writeFigures(dir, { format: 'png' })).paths;
    expect(pngs).toEqual(svgs.map((p) => p.replace(/\.svg$/, '.png')));
    pngs.forEach((p, k) => {
      const image = decode(readFileSync(p));
      const expected = pngSize(svgSize(readFileSync(svgs[k], 'utf8')));
      expect([image.width, image.height]).toEqual([expected.width, expected.height]);
      // About a paper column (3.5 in; up to 4 in with long category labels) at 300 dpi.
      expect(image.width).toBeGreaterThan(900);
      expect(image.width).toBeLessThanOrEqual(1200);
    });
    const pdfs = (await writeFigures(fx.runs.get('xor-wp-gradient') as string, { format: 'pdf' })).paths;
    expect(pdfs.map((p) => p.split('/').pop())).toEqual(['errors.pdf', 'scatter-g.pdf']);
    for (const p of pdfs) {
      const bytes = readFileSync(p);
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(bytes.subarray(-6).toString()).toMatch(/%%EOF/);
    }
  });

  it('draws chosen columns against evaluations, as PNG', async () => {
    const r = wpsim(['plot', fx.runs.get('spsa-baseline') as string, '--y', 'z_rel_err', '--y', 'spsa_z_rel_err', '--x', 'evaluations', '--format', 'png']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/plots\/probes-z_rel_err-spsa_z_rel_err\.png$/);
    expect(decode(readFileSync(r.stdout.trim())).width).toBeGreaterThan(900);
    const [figure] = await runFigures(fx.runs.get('spsa-baseline') as string, { y: ['z_rel_err', 'spsa_z_rel_err'], x: 'evaluations' });
    const svg = figure.svg;
    expect(texts(svg, 'legend-label')).toEqual(['z_rel_err', 'spsa_z_rel_err']);
    expect(texts(svg, 'axis-title')).toContain('E evaluations');
  });

  it('says so and exits 2 when there is nothing to draw or a column does not exist', () => {
    const cases: [string[], RegExp][] = [
      [['plot', fx.empty], /^wpsim: error: DIR: has nothing to draw \(needs a run with probe rows in probes\.csv\); got ".*"\n$/],
      [['plot', fx.numeric, '--y', 'nope'], /^wpsim: error: .*rows\.json: --y: must name a metric column of probes\.csv \(.*z_rel_err.*\); got "nope"\n$/],
      [['plot', fx.runs.get('xor-wp-gradient') as string, '--x', 'chip_time'], /^wpsim: error: .*probes\.csv: --x: must be a column of probes\.csv \(trial, evaluations\); got "chip_time"\n$/],
    ];
    for (const [args, message] of cases) {
      const r = wpsim(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });
});
