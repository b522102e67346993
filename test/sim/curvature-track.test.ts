import { describe, expect, it } from 'vitest';
import { EvaluatingOracle } from '../../src/exact/oracle.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { buildSimulationSpec } from '../../src/scenario/problems.js';
import { SCENARIO_DIR } from '../../src/scenario/load.js';
import { Chip } from '../../src/sim/chip.js';
import type { Row } from '../../src/sim/probe.js';
import { simulate, type SimulationSpec } from '../../src/sim/simulate.js';

async function runSpec(spec: SimulationSpec): Promise<{ rows: Row[]; header: readonly string[]; status: string }> {
  const rows: Row[] = [];
  const result = await simulate(spec, { chunkMs: 1e9, onRow: (r) => rows.push(r) }, new Chip(spec));
  return { rows, header: result.header, status: result.status };
}

function col(run: { rows: Row[]; header: readonly string[] }, name: string): number[] {
  const k = run.header.indexOf(name);
  if (k < 0) throw new Error(`no column ${name}`);
  return run.rows.map((r) => r[k] as number);
}

const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
const sd = (x: number[]): number => Math.sqrt(x.reduce((a, b) => a + (b - mean(x)) ** 2, 0) / (x.length - 1));

/**
 * E = ½Σ λ_i w_i² + ¼ b w_0⁴: an axis-aligned bowl whose top curvature λ_0 + 3b w_0² falls to λ_0
 * as w_0 is learned (a curvature that changes while the chip learns, in closed form).
 */
class QuarticOracle extends EvaluatingOracle {
  constructor(readonly lambdas: number[], readonly b: number) {
    super();
  }
  get size(): number {
    return this.lambdas.length;
  }
  evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number {
    let e = 0.25 * this.b * w[0] ** 4;
    for (let i = 0; i < w.length; i++) {
      e += 0.5 * this.lambdas[i] * w[i] * w[i];
      if (g !== null) g[i] = this.lambdas[i] * w[i] + (i === 0 ? this.b * w[0] ** 3 : 0);
      if (v !== null && hv !== null) hv[i] = (this.lambdas[i] + (i === 0 ? 3 * this.b * w[0] ** 2 : 0)) * v[i];
    }
    return e;
  }
  topCurvature(w0: number): number {
    return this.lambdas[0] + 3 * this.b * w0 * w0;
  }
}

const SPECTRUM = [4, 2, 1.5, 1.2, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3];

describe('tracking λ_max while learning (train.curvature.track)', () => {
  it('on a quadratic with λ_max = 4, λ̂ settles within 10% of the exact λ_max on every row', async () => {
    const s = scenarioSchema.parse({
      name: 'track', problem: { kind: 'quadratic', eigenvalues: SPECTRUM }, init: { gain: 1 },
      perturbation: { distribution: 'gaussian', sigma: 0.02, antithetic: true }, estimator: { name: 'moment' }, mode: 'train',
      train: { learningRate: 'auto', rule: 'estimator', every: 4000, curvature: { track: { every: 4000, safety: 0.5, average: 16 } } },
      eigen: { every: 5000, updates: 6 }, trials: 140_000, probeEvery: 4000, seed: 1,
    });
    const run = await runSpec(buildSimulationSpec(s, SCENARIO_DIR));
    expect(run.status).toBe('complete');
    const exact = col(run, 'lambda_exact');
    for (const x of exact) expect(x).toBeCloseTo(4, 10);
    // Settled: after the first `average` refreshes the pre-phase's λ̂ has left the average.
    const rows = run.rows.map((_, k) => k).filter((k) => col(run, 'trial')[k] > 64_000);
    const rq = rows.map((k) => col(run, 'lambda_rayleigh')[k]);
    const est = rows.map((k) => col(run, 'lambda_est')[k]);
    // The tolerance from the variance: one Rayleigh quotient's spread over 16 windows, ×3.
    const spread = (3 * sd(rq)) / Math.sqrt(16) / 4;
    expect(spread).toBeLessThan(0.1 - 0.03);
    // Bias of λ̂ (the Rayleigh quotient of a noisy v is biased low): small against the spread.
    expect(Math.abs(mean(est) - 4) / 4).toBeLessThan(0.03);
    for (const x of est) expect(Math.abs(x - 4) / 4).toBeLessThan(0.1);
    // η follows safety/λ̂.
    const eta = rows.map((k) => col(run, 'learning_rate')[k]);
    est.forEach((l, k) => expect(eta[k]).toBeCloseTo(0.5 / l, 12));
  });

  it('follows a changing λ_max (a quartic leaving its steep start) with a lag of (average − 1)/2 windows', async () => {
    const lambdas = [2, 1, 0.8, 0.6, 0.5, 0.4];
    const oracle = new QuarticOracle(lambdas, 1);
    const w0 = new Float64Array([2, 0.5, -0.5, 0.5, -0.5, 0.5]);
    const problem = {
      name: 'quartic', size: 6, w0, freshData: false, nextSample: () => {}, loss: (w: Float64Array) => oracle.loss(w),
      sampleGradient: (w: Float64Array, g: Float64Array) => void oracle.gradient(w, g), oracle, description: 'quartic',
    };
    const average = 3;
    const window = 4000;
    const spec: SimulationSpec = {
      problem, v: new Float64Array([0.6, 0.8, 0, 0, 0, 0]),
      perturbation: { law: 'gaussian', sigma: 0.01, antithetic: true }, estimator: { name: 'moment' },
      trials: 80_000, probeEvery: window, seed: 5,
      mode: {
        kind: 'train', learningRate: 'auto', eigen: { every: 4000, updates: 4 }, rule: { kind: 'estimator', every: window },
        curvature: { track: { every: window, safety: 0.25, average } },
      },
    };
    const run = await runSpec(spec);
    expect(run.status).toBe('complete');
    const exact = col(run, 'lambda_exact');
    // The exact λ_max at each refresh is the closed form λ_0 + 3b w_0² (checked via Lanczos here).
    expect(exact[0]).toBeGreaterThan(6);
    expect(exact[exact.length - 1]).toBeLessThan(2.05);
    const rq = col(run, 'lambda_rayleigh');
    const est = col(run, 'lambda_est');
    // Each Rayleigh quotient measures the curvature at its own window's w (no lag) ...
    const k0 = average;
    const rel = rq.slice(k0).map((x, k) => x / exact[k + k0] - 1);
    const rqSd = sd(rel);
    expect(Math.abs(mean(rel))).toBeLessThan(3 * rqSd / Math.sqrt(rel.length) + 0.01);
    // ... and λ̂, their mean over `average` windows, equals the mean exact λ_max over those windows:
    // it lags the current λ_max by (average − 1)/2 windows, within the noise of that mean.
    for (let k = k0; k < est.length; k++) {
      const lagged = mean(exact.slice(k - average + 1, k + 1));
      expect(Math.abs(est[k] / lagged - 1)).toBeLessThan((4 * rqSd) / Math.sqrt(average) + 0.01);
    }
    // While λ_max falls fast the lag is visible: λ̂ sits above the current λ_max.
    const falling = Array.from({ length: 3 }, (_, j) => k0 + j);
    for (const k of falling) expect(est[k]).toBeGreaterThan(exact[k]);
  });
});
