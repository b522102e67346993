import { describe, expect, it } from 'vitest';
import { DenseOperator } from '../../src/analysis/operator.js';
import { lanczos } from '../../src/analysis/lanczos.js';
import { Rng } from '../../src/random/rng.js';
import { bestPlainTrials, meanErrorCurve, stepsToTarget } from '../../src/analysis/curvature-curves.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { buildSimulationSpec, geometricSpectrum } from '../../src/scenario/problems.js';
import { SCENARIO_DIR } from '../../src/scenario/load.js';
import { Chip } from '../../src/sim/chip.js';
import type { Row } from '../../src/sim/probe.js';
import { simulate } from '../../src/sim/simulate.js';

/** The train-error column of a run, with E(w0) in front. */
async function errors(raw: Record<string, unknown>): Promise<{ e: number[]; rows: Row[]; header: readonly string[] }> {
  const spec = buildSimulationSpec(scenarioSchema.parse(raw), SCENARIO_DIR);
  const rows: Row[] = [];
  const result = await simulate(spec, { chunkMs: 1e9, onRow: (r) => rows.push(r) }, new Chip(spec));
  expect(result.status).toBe('complete');
  const k = result.header.indexOf('train_error');
  return { e: [spec.problem.oracle.loss(spec.problem.w0), ...rows.map((r) => r[k] as number)], rows, header: result.header };
}

const LAMBDAS = geometricSpectrum(12, { min: 1e-3, max: 1 });
const M0 = LAMBDAS.map(() => 1); // w0 ~ N(0, 1) per seed: E d_i² = 1
const E0 = 0.5 * LAMBDAS.reduce((a, b) => a + b, 0);
const TARGET = 1e-4 * E0;
const ETAS = Array.from({ length: 80 }, (_, k) => 0.025 * (k + 1));

function quadratic(basis: 'axes' | 'rotated', seed: number, train: Record<string, unknown>, trials: number, probeEvery: number): Record<string, unknown> {
  return {
    name: 'precondition', problem: { kind: 'quadratic', size: 12, spectrum: { min: 1e-3, max: 1 }, basis }, init: { gain: 1 },
    perturbation: { distribution: 'gaussian', sigma: 0.02, antithetic: true }, estimator: { name: 'moment' }, mode: 'train',
    train: { rule: 'estimator', ...train }, trials, probeEvery, seed,
  };
}

describe('diagonal preconditioning (train.curvature.precondition), axis-aligned quadratic of condition number 10³', () => {
  it('the closed form of the mean error holds for plain WP (per trial, and windows of 20) within 4 standard errors', async () => {
    const ones = LAMBDAS.map(() => 1);
    for (const [window, eta, steps] of [[1, 0.4, 3000], [20, 1.5, 300]] as const) {
      const predicted = meanErrorCurve(LAMBDAS, M0, eta, window, ones, steps);
      const runs = 40;
      const sums = new Float64Array(4);
      const squares = new Float64Array(4);
      const at = [steps / 4, steps / 2, (3 * steps) / 4, steps].map(Math.round);
      for (let seed = 1; seed <= runs; seed++) {
        const { e } = await errors(quadratic('axes', seed, { learningRate: eta, every: window }, window * steps, window));
        at.forEach((k, j) => {
          sums[j] += e[k];
          squares[j] += e[k] * e[k];
        });
      }
      at.forEach((k, j) => {
        const mean = sums[j] / runs;
        const se = Math.sqrt((squares[j] / runs - mean * mean) / (runs - 1));
        expect(Math.abs(mean - predicted[k])).toBeLessThan(4 * se);
      });
    }
  });

  it('reaches 10⁻⁴ E0 in ≤ 1/10 of the trials of plain WP at its best constant η with the same window; plain WP per trial needs fewer', async () => {
    const window = 2000;
    const delta = 0.01;
    const plainSameWindow = bestPlainTrials(LAMBDAS, M0, TARGET, ETAS, [window], 5_000_000);
    const h = LAMBDAS.map((l) => Math.max(l, delta));
    const predictedSteps = stepsToTarget(LAMBDAS, M0, 0.5, window, h, TARGET, 10_000);
    expect(predictedSteps).toBe(29);
    expect(plainSameWindow.trials / window).toBe(484);
    const measured: number[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const { e } = await errors(quadratic('axes', seed, { learningRate: 0.5, every: window, curvature: { precondition: { delta, window: 20 } } }, 60 * window, window));
      const k = e.findIndex((x) => x <= 1e-4 * e[0]);
      expect(k).toBeGreaterThan(0);
      measured.push(k * window);
    }
    const worst = Math.max(...measured);
    expect(worst).toBeLessThanOrEqual(plainSameWindow.trials / 10);
    // Against plain WP free to choose its window (the classic per-trial rule, K = 1, at its best η)
    // the preconditioned chip loses: its gradient noise, amplified by 1/h_i² in the flat directions,
    // needs long windows (docs/theory.md, "Curvature in the loop").
    const plainBest = bestPlainTrials(LAMBDAS, M0, TARGET, ETAS, [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000], 5_000_000);
    expect(plainBest.window).toBe(1);
    expect(Math.min(...measured)).toBeGreaterThan(5 * plainBest.trials);
  });

  it('closed form: a known diagonal would beat plain WP per trial by > 10×, but a diagonal the synapses measure within 1/10 of plain WP\'s trials is too coarse to', () => {
    const windows = [1, 3, 10, 30, 100];
    const fineEtas = Array.from({ length: 100 }, (_, k) => 10 ** (-3 + (3.5 * k) / 99));
    const bestPreconditioned = (delta: number): number => {
      const h = LAMBDAS.map((l) => Math.max(l, delta));
      let best = Infinity;
      for (const K of windows) for (const eta of fineEtas) best = Math.min(best, K * stepsToTarget(LAMBDAS, M0, eta, K, h, TARGET, Math.floor(Math.min(best, 40_000) / K)));
      return best;
    };
    const plainBest = bestPlainTrials(LAMBDAS, M0, TARGET, fineEtas, windows, 40_000).trials;
    expect(plainBest).toBeGreaterThan(3000);
    // The oracle's diagonal (δ = λ_min): the steps' promise holds.
    expect(bestPreconditioned(1e-3)).toBeLessThan(plainBest / 10);
    // Measured over B trials, Ĥ_ii has a standard error of at least √(tr H²/B) (the even part's
    // fluctuation times that of ξ_i², docs/theory.md "Preconditioned and plain WP on an
    // axis-aligned quadratic"), so within B = plainBest/10 trials no synapse can trust a diagonal
    // below δ_B; with an exact diagonal clamped at δ_B the rule still needs more than B trials.
    const budget = Math.floor(plainBest / 10);
    const deltaB = Math.sqrt(LAMBDAS.reduce((a, l) => a + l * l, 0) / budget);
    expect(bestPreconditioned(deltaB)).toBeGreaterThan(2 * budget);
    // …and a coarser clamp only slows it (monotone in δ on a grid through δ_B).
    const grid = [1e-3, 3e-3, 1e-2, 3e-2, deltaB, 0.1, 0.3, 1].sort((a, b) => a - b);
    const trials = grid.map(bestPreconditioned);
    for (let k = 1; k < grid.length; k++) expect(trials[k]).toBeGreaterThanOrEqual(trials[k - 1]);
  });

  it('on the rotated spectrum the diagonal is ≈ tr H/n on every axis: η = 0.5 makes I − ηD⁻¹H expanding, and the error grows', async () => {
    const window = 2000;
    const raw = quadratic('rotated', 1, { learningRate: 0.5, every: window, curvature: { precondition: { delta: 0.01, window: 20 } } }, 20 * window, window);
    const spec = buildSimulationSpec(scenarioSchema.parse(raw), SCENARIO_DIR);
    const rows: Row[] = [];
    const result = await simulate(spec, { chunkMs: 1e9, onRow: (r) => rows.push(r) }, new Chip(spec));
    const k = result.header.indexOf('train_error');
    const e0 = spec.problem.oracle.loss(spec.problem.w0);
    // The exact diagonal D and the spectrum of D^{-1/2} H D^{-1/2} (the preconditioned step's).
    const n = 12;
    const H = new Float64Array(n * n);
    const e = new Float64Array(n);
    const he = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      e.fill(0);
      e[i] = 1;
      spec.problem.oracle.hv(spec.problem.w0, e, he);
      for (let j = 0; j < n; j++) H[j * n + i] = he[j];
    }
    const diag = Array.from({ length: n }, (_, i) => H[i * n + i]);
    const traceOverN = LAMBDAS.reduce((x, y) => x + y, 0) / n;
    expect(Math.abs(diag.reduce((x, y) => x + y, 0) / n - traceOverN)).toBeLessThan(1e-12);
    for (const d of diag) expect(d).toBeGreaterThan(0.01); // never clamped at δ: D is the exact diagonal
    const scaled = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled[i * n + j] = H[i * n + j] / Math.sqrt(diag[i] * diag[j]);
    const mu = lanczos(new DenseOperator(scaled, n), n, new Rng(1)).values;
    const muMax = mu[mu.length - 1];
    // η μ_max > 2: the top mode of the preconditioned step overshoots, |1 − η μ_max| > 1.
    expect(0.5 * muMax).toBeGreaterThan(2);
    expect(0.1 * muMax).toBeLessThan(2);
    expect(rows[rows.length - 1][k] as number).toBeGreaterThan(10 * e0);
  });
});
