import { describe, expect, it } from 'vitest';
import { SeedPopulation, seedRegressionLimit } from '../../src/synapse/seed.js';
import { JointLmsPopulation } from '../../src/synapse/joint-lms.js';
import { MomentPopulation } from '../../src/synapse/moment.js';
import { WpPopulation } from '../../src/synapse/wp.js';
import type { SynapseConstants, SynapsePopulation } from '../../src/synapse/estimator.js';
import { nrm2 } from '../../src/linalg/blas1.js';
import { normalQuantile, quadraticEnvironment, runReplicate, type QuadraticEnvironment } from '../helpers/error-bars.js';

/**
 * Each synapse population driven directly on the exact quadratic (test/helpers/error-bars.ts),
 * without the simulator: over R seeded replicates the mean estimate must match its predicted
 * limit. The tolerance is the replicates' own spread: |mean_i − limit_i| ≤ z·s_i/√R with s_i the
 * sample standard deviation over replicates and z the two-sided normal quantile at α = 1e-3,
 * Bonferroni-split over the n synapses (z ≈ 3.9 for n = 6). Each test also shows the limit it
 * rejects is rejected (e.g. the seed regression is not Hv), so a mutant that moves an estimate
 * to the wrong limit fails.
 */
const N = 6;
const R = 40;
const SIGMA = 0.1;

function replicateMeans(
  env: QuadraticEnvironment, make: (c: SynapseConstants, v: Float64Array) => SynapsePopulation, read: (p: SynapsePopulation, out: Float64Array) => void,
  law: 'gaussian' | 'uniform' | 'rademacher', antithetic: boolean, trials: number, seed: number,
): { mean: Float64Array; se: Float64Array } {
  const sum = new Float64Array(N);
  const sum2 = new Float64Array(N);
  const out = new Float64Array(N);
  for (let r = 0; r < R; r++) {
    read(runReplicate(env, make, { law, sigma: SIGMA, antithetic, trials, seed: seed + r }), out);
    for (let i = 0; i < N; i++) {
      sum[i] += out[i];
      sum2[i] += out[i] * out[i];
    }
  }
  const mean = sum.map((s) => s / R);
  const se = sum2.map((s2, i) => Math.sqrt(Math.max(0, (s2 - R * mean[i] ** 2) / (R - 1)) / R));
  return { mean, se };
}

const Z = -normalQuantile(1e-3 / (2 * N));

function expectLimit(m: { mean: Float64Array; se: Float64Array }, limit: Float64Array, label: string): void {
  // Precision first: an estimator whose spread swamps its target would pass any mean test. The
  // correct estimators reach ‖se‖/‖limit‖ ≤ 0.074 here (seed regression ẑ; Ĥ_ii 0.025); the bar
  // is 0.15, which a Ĥ_ii correlating with a constant instead of Δw_i² (‖se‖ ~ ‖H_ii‖) fails.
  expect(nrm2(N, m.se), `${label}: ‖se‖ ${nrm2(N, m.se)} vs ‖limit‖ ${nrm2(N, limit)}`).toBeLessThan(0.15 * nrm2(N, limit));
  for (let i = 0; i < N; i++) {
    // (+ a floor for estimates with no noise at all, e.g. the antithetic joint-LMS ĝ, whose odd
    // part g·Δw it fits exactly and converges to geometrically: measured 1.4e-9 relative after
    // 8000 trials; the floor is 1e-6.)
    const floor = 1e-6 * Math.abs(limit[i]);
    expect(Math.abs(m.mean[i] - limit[i]), `${label}, synapse ${i}: mean ${m.mean[i]} vs ${limit[i]} (se ${m.se[i]})`).toBeLessThanOrEqual(Z * m.se[i] + floor);
  }
}

function expectNotLimit(m: { mean: Float64Array; se: Float64Array }, wrong: Float64Array): void {
  let worst = 0;
  for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(m.mean[i] - wrong[i]) / m.se[i]);
  expect(worst).toBeGreaterThan(Z);
}

function traceOf(env: QuadraticEnvironment): number {
  let t = 0;
  for (let i = 0; i < N; i++) t += env.H[i * N + i];
  return t;
}

describe('synapse populations on the exact quadratic, without the simulator', () => {
  for (const intercept of [true, false]) {
    for (const antithetic of [true, false]) {
      it(`seed regression ${intercept ? 'with' : 'without'} intercept, ${antithetic ? 'antithetic' : 'one-sided'}: ẑ → its biased limit (not Hv), ĝ → g`, () => {
        const env = quadraticEnvironment(N, 21);
        const make = (c: SynapseConstants, v: Float64Array): SynapsePopulation => new SeedPopulation(c, v, intercept);
        const z = replicateMeans(env, make, (p, o) => p.hv!(o), 'gaussian', antithetic, 3000, 210_000);
        const limit = seedRegressionLimit(env.z, env.v, traceOf(env), intercept, new Float64Array(N));
        expectLimit(z, limit, 'ẑ');
        expectNotLimit(z, env.z);
        const g = replicateMeans(env, make, (p, o) => p.gradient(o), 'gaussian', antithetic, 3000, 220_000);
        expectLimit(g, env.g, 'ĝ');
      });
    }
  }

  for (const antithetic of [true, false]) {
    it(`joint LMS, ${antithetic ? 'antithetic' : 'one-sided'}: Polyak averages ẑ → Hv and ĝ → g`, () => {
      const env = quadraticEnvironment(N, 22);
      const make = (c: SynapseConstants, v: Float64Array): SynapsePopulation => new JointLmsPopulation(c, v, { step: 0.5, decay: 500 });
      const z = replicateMeans(env, make, (p, o) => p.hv!(o), 'gaussian', antithetic, 8000, 230_000);
      expectLimit(z, env.z, 'ẑ');
      const g = replicateMeans(env, make, (p, o) => p.gradient(o), 'gaussian', antithetic, 8000, 240_000);
      expectLimit(g, env.g, 'ĝ');
      expect(nrm2(N, z.se)).toBeLessThan(0.1 * nrm2(N, env.z));
    });
  }

  it('moment with κ correction: ẑ → Hv for Gaussian and uniform ξ, Ĥ_ii → H_ii; without it ẑ would be off by ½(κ−3)H_ii v_i', () => {
    const env = quadraticEnvironment(N, 23);
    for (const law of ['gaussian', 'uniform'] as const) {
      const make = (c: SynapseConstants, v: Float64Array): SynapsePopulation => new MomentPopulation(c, v);
      const z = replicateMeans(env, make, (p, o) => p.hv!(o), law, true, 3000, 250_000);
      expectLimit(z, env.z, `ẑ ${law}`);
      const diag = Float64Array.from({ length: N }, (_, i) => env.H[i * N + i]);
      const h = replicateMeans(env, make, (p, o) => { p.hessianDiagonal!(o); }, law, true, 3000, 260_000);
      expectLimit(h, diag, `Ĥ_ii ${law}`);
      // Cov(ΔE, Δw_i p)/σ⁴ = z_i + ½(κ−3) H_ii v_i: the uncorrected feature's limit, rejected.
      const kappa = law === 'gaussian' ? 3 : 9 / 5;
      if (kappa !== 3) expectNotLimit(z, env.z.map((zi, i) => zi + 0.5 * (kappa - 3) * diag[i] * env.v[i]));
    }
  });
});

describe('synapse populations before and at their first trials', () => {
  const env = quadraticEnvironment(N, 24);
  const constants = (law: 'gaussian' | 'rademacher'): SynapseConstants => ({
    size: N, law, sigma: SIGMA, kappa: law === 'gaussian' ? 3 : 1, antithetic: true, vNorm2: nrm2(N, env.v) ** 2,
  });

  it('read before any trial: estimates are 0 (not NaN), standard errors are infinite', () => {
    for (const pop of [new MomentPopulation(constants('gaussian'), env.v), new WpPopulation(constants('gaussian'), env.v)]) {
      const out = new Float64Array(N);
      expect(Array.from(pop.gradient(out))).toEqual(new Array(N).fill(0));
      expect(Array.from(pop.gradientStdErr!(out))).toEqual(new Array(N).fill(Infinity));
    }
    const moment = new MomentPopulation(constants('gaussian'), env.v);
    expect(Array.from(moment.hv(new Float64Array(N)))).toEqual(new Array(N).fill(0));
  });

  it('standard errors: infinite after one trial (no spread yet), finite from two trials on', () => {
    for (const make of [(c: SynapseConstants, v: Float64Array) => new MomentPopulation(c, v), (c: SynapseConstants, v: Float64Array) => new WpPopulation(c, v)]) {
      for (const trials of [1, 2]) {
        const pop = runReplicate(env, make, { law: 'gaussian', sigma: SIGMA, antithetic: true, trials, seed: 7 });
        const se = pop.gradientStdErr!(new Float64Array(N));
        for (const x of se) expect(Number.isFinite(x), `${pop.name} after ${trials} trial(s)`).toBe(trials >= 2);
      }
    }
  });

  it('moment under Rademacher ξ (κ = 1) provides no Ĥ_ii (the diagonal is invisible); wp is named wp', () => {
    expect(new MomentPopulation(constants('rademacher'), env.v).hessianDiagonal).toBeUndefined();
    expect(new MomentPopulation(constants('gaussian'), env.v).hessianDiagonal).toBeDefined();
    expect(new WpPopulation(constants('gaussian'), env.v).name).toBe('wp');
  });
});
