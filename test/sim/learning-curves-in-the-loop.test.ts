import { describe, expect, it } from 'vitest';
import { buildSimulationSpec } from '../../src/scenario/problems.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { simulate } from '../../src/sim/simulate.js';
import { decayRate, optimalEta, type LearningRule } from '../../src/analysis/learning-curves.js';
import { ROOT } from '../helpers/cli.js';

/**
 * The simulator's train mode on linear teacher–student (fresh Gaussian input each trial, small σ,
 * antithetic pairs) against the closed-form learning curves (docs/theory.md, "Learning curves of
 * WP, node perturbation and SGD"): the mean generalization error over seeds decays at
 * −ln γ per trial, γ = 1 − 2u + u²K, u = ηα². Each rule runs at half its optimal η; the measured
 * rate (least squares of ln ε̄_t over about three e-folds) must be within 20% of the closed form.
 */
const N = 10;
const M = 3;
const SEEDS = 24;
const p = { inputs: N, outputs: M, inputVariance: 1, kappa: 3 };

/** Mean over seeds of a row column, per row; and the rows' trial numbers. */
async function meanCurve(estimator: 'wp' | 'node', eta: number, sgdEta: number, trials: number, column: string): Promise<{ t: number[]; e: number[] }> {
  const probeEvery = Math.max(1, Math.floor(trials / 30));
  const sums: number[] = [];
  let t: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const s = scenarioSchema.parse({
      name: 'curves', problem: { kind: 'teacher-student', inputs: N, outputs: M, alpha: 1 },
      perturbation: { sigma: 1e-3, antithetic: true }, estimator: { name: estimator },
      mode: 'train', train: { learningRate: eta, sgdLearningRate: sgdEta }, trials, probeEvery, seed,
    });
    const rows: (number | null)[][] = [];
    const r = await simulate(buildSimulationSpec(s, ROOT), { chunkMs: 1e9, onRow: (row) => rows.push(row) });
    expect(r.status).toBe('complete');
    const k = r.header.indexOf(column);
    rows.forEach((row, j) => (sums[j] = (sums[j] ?? 0) + (row[k] as number) / SEEDS));
    t = rows.map((row) => row[0] as number);
  }
  return { t, e: sums };
}

/** −slope of ln e against t (least squares). */
function measuredRate(t: number[], e: number[]): number {
  const y = e.map(Math.log);
  const mt = t.reduce((a, b) => a + b) / t.length;
  const my = y.reduce((a, b) => a + b) / y.length;
  let sty = 0;
  let stt = 0;
  t.forEach((ti, j) => {
    sty += (ti - mt) * (y[j] - my);
    stt += (ti - mt) ** 2;
  });
  return -sty / stt;
}

describe('learning curves of WP, node perturbation and SGD in the simulator', () => {
  const eta = (rule: LearningRule): number => 0.5 * optimalEta(rule, p);
  // Three e-folds of the slowest rule in each run (exact SGD runs alongside every WP/node run).
  const trialsFor = (rule: LearningRule): number => Math.ceil(3 / decayRate(rule, { ...p, eta: eta(rule) }));

  for (const rule of ['wp', 'node'] as const) {
    it(`${rule}: the mean generalization error decays within 20% of the closed-form rate`, { timeout: 120_000 }, async () => {
      const { t, e } = await meanCurve(rule, eta(rule), eta('sgd'), trialsFor(rule), 'gen_error');
      const predicted = decayRate(rule, { ...p, eta: eta(rule) });
      expect(Math.abs(measuredRate(t, e) / predicted - 1)).toBeLessThan(0.2);
    });
  }

  it('exact SGD on the same sample stream: the mean error decays within 20% of its closed-form rate', { timeout: 120_000 }, async () => {
    const { t, e } = await meanCurve('node', eta('node'), eta('sgd'), trialsFor('sgd'), 'gd_gen_error');
    const predicted = decayRate('sgd', { ...p, eta: eta('sgd') });
    expect(Math.abs(measuredRate(t, e) / predicted - 1)).toBeLessThan(0.2);
  });
});
