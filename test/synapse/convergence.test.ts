import { describe, expect, it } from 'vitest';
import { chiSquare, logLogSlope, replicateStats, runScenario, scenario } from '../helpers/sim.js';
import { nrm2, relErr } from '../../src/linalg/blas1.js';
import { seedRegressionLimit } from '../../src/synapse/seed.js';

/**
 * Statistical contracts of the estimators against the exact oracle, on quadratics (third
 * derivatives vanish, so the only error is statistical or the estimator's own bias). Seeds are
 * fixed; tolerances come from the estimators' variances:
 *  - with per-synapse standard errors (wp, moment): χ² = Σ((x̂−x)/se)² has mean n and sd √(2n)
 *    for an unbiased estimator with honest se; we require χ² < n + 5√(2n).
 *  - otherwise (seed, joint-lms): R independent replicates of the same problem (perturbation
 *    streams differ); ‖mean − target‖ has expectation ≈ ‖se_mean‖, and we require < 3‖se_mean‖
 *    for the target it converges to, and > 10‖se_mean‖ for a target it must not reach.
 */
const N = 12;
const CHI2_BOUND = N + 5 * Math.sqrt(2 * N);
const near = { init: { gain: 0.02 } }; // w0 near the minimum: |g| small, so one-sided noise is σ²‖H‖-sized

async function replicates(over: Record<string, unknown>, R: number) {
  const sc = scenario({ ...near, trials: 100_000, probeEvery: 100_000, ...over });
  const runs = [];
  for (let r = 1; r <= R; r++) runs.push(await runScenario(sc, 1000 + r));
  const exact = runs[0].exact;
  return { stats: replicateStats(runs.map((x) => x.z)), exact, v: runs[0].v };
}

describe('moment estimator', () => {
  for (const law of ['gaussian', 'uniform'] as const) {
    it(`with ${law} ξ converges to exact Hv (and H_ii, g) within its standard errors`, async () => {
      const r = await runScenario(scenario({ ...near, perturbation: { distribution: law, sigma: 0.05 }, trials: 200_000, probeEvery: 200_000 }));
      const ex = r.exact;
      expect(chiSquare(r.z, ex.z, r.zSe as Float64Array)).toBeLessThan(CHI2_BOUND);
      expect(chiSquare(r.g, ex.g, r.gSe as Float64Array)).toBeLessThan(CHI2_BOUND);
      // The test has power: the standard errors are small against |Hv|.
      expect(nrm2(N, r.zSe as Float64Array) / nrm2(N, ex.z)).toBeLessThan(0.06);
      expect(relErr(r.z, ex.z)).toBeLessThan(0.1);
      expect(relErr(r.hDiag as Float64Array, ex.hDiag as Float64Array)).toBeLessThan(0.05);
    });
  }

  it('has error falling like 1/sqrt(trials): log-log slope −0.5 ± 0.1', async () => {
    // RMS over 4 replicates of z_rel_err at T = 1000·2^k, k = 0 … 8.
    const checkpoints = Array.from({ length: 9 }, (_, k) => 1000 * 2 ** k);
    const sumSq = new Array<number>(checkpoints.length).fill(0);
    const sc = scenario({ ...near, perturbation: { distribution: 'gaussian', sigma: 0.05 }, trials: checkpoints[8], probeEvery: 1000 });
    for (let r = 1; r <= 4; r++) {
      const run = await runScenario(sc, 50 + r);
      const col = run.header.indexOf('z_rel_err');
      for (const row of run.rows) {
        const k = checkpoints.indexOf(row[0] as number);
        if (k >= 0) sumSq[k] += (row[col] as number) ** 2;
      }
    }
    const rms = sumSq.map((s) => Math.sqrt(s / 4));
    const slope = logLogSlope(checkpoints, rms);
    expect(slope).toBeGreaterThan(-0.6);
    expect(slope).toBeLessThan(-0.4);
  });

  it('with rademacher ξ converges to the off-diagonal part z − diag(H)v, not to Hv', async () => {
    const r = await runScenario(scenario({ ...near, perturbation: { distribution: 'rademacher', sigma: 0.05, antithetic: true }, trials: 200_000, probeEvery: 200_000 }));
    const ex = r.exact;
    const offDiagonal = ex.zOffDiagonal as Float64Array;
    expect(chiSquare(r.z, offDiagonal, r.zSe as Float64Array)).toBeLessThan(CHI2_BOUND);
    expect(chiSquare(r.z, ex.z, r.zSe as Float64Array)).toBeGreaterThan(100 * CHI2_BOUND);
    expect(r.hDiag).toBeNull();
    expect(r.warnings.join(' ')).toMatch(/cannot see the Hessian diagonal/);
  });
});

describe('wp estimator', () => {
  it('converges to the exact gradient within its standard errors', async () => {
    const r = await runScenario(scenario({ estimator: { name: 'wp' }, trials: 100_000, probeEvery: 100_000 }));
    const ex = r.exact;
    expect(chiSquare(r.g, ex.g, r.gSe as Float64Array)).toBeLessThan(CHI2_BOUND);
    expect(relErr(r.g, ex.g)).toBeLessThan(0.05);
  });
});

describe('seed estimator (per-synapse regression)', () => {
  // Four weights, so that u_i² = v_i²/|v|² is large and the limit's (1 − u_i²/2) or
  // (1 − u_i²/4) denominators matter well beyond the sampling error.
  const small = { problem: { kind: 'quadratic', eigenvalues: [2, 1.2, 0.7, 0.4] } };
  for (const intercept of [true, false]) {
    it(`${intercept ? 'with' : 'without'} intercept converges to the THEORY.md limit and not to Hv`, async () => {
      const { stats, exact, v } = await replicates({ ...small, estimator: { name: 'seed', intercept } }, 8);
      const n = v.length;
      const limit = seedRegressionLimit(exact.z, v, exact.traceH, intercept, new Float64Array(n));
      const se = nrm2(n, stats.se);
      const toLimit = nrm2(n, stats.mean.map((x, i) => x - limit[i]));
      const toHv = nrm2(n, stats.mean.map((x, i) => x - exact.z[i]));
      expect(toLimit).toBeLessThan(3 * se);
      expect(toHv).toBeGreaterThan(10 * se);
    });
  }
});

describe('joint-lms estimator', () => {
  it('with gaussian ξ converges to Hv', async () => {
    const { stats, exact } = await replicates({ estimator: { name: 'joint-lms' } }, 8);
    const se = nrm2(N, stats.se);
    expect(nrm2(N, stats.mean.map((x, i) => x - exact.z[i]))).toBeLessThan(3 * se);
    expect(se / nrm2(N, exact.z)).toBeLessThan(0.03);
  });

  it('with rademacher ξ reaches neither Hv nor its off-diagonal part', async () => {
    const { stats, exact } = await replicates({ estimator: { name: 'joint-lms' }, perturbation: { distribution: 'rademacher', sigma: 0.05 } }, 4);
    const se = nrm2(N, stats.se);
    const off = exact.zOffDiagonal as Float64Array;
    expect(nrm2(N, stats.mean.map((x, i) => x - exact.z[i]))).toBeGreaterThan(10 * se);
    expect(nrm2(N, stats.mean.map((x, i) => x - off[i]))).toBeGreaterThan(10 * se);
  });
});

describe('antithetic pairs', () => {
  it('lower the z error at an equal number of E evaluations where |g| ≫ σ‖H‖', async () => {
    // gain 1: |g| ~ 1 while σ‖H‖ = 0.05·2 = 0.1. One-sided T trials and antithetic T/2 trials
    // both cost T + 1 evaluations of E.
    const T = 100_000;
    const one = await runScenario(scenario({ perturbation: { sigma: 0.05 }, trials: T, probeEvery: T }));
    const anti = await runScenario(scenario({ perturbation: { sigma: 0.05, antithetic: true }, trials: T / 2, probeEvery: T / 2 }));
    const evals = (r: typeof one): number => r.rows[r.rows.length - 1][1] as number;
    expect(evals(one)).toBe(evals(anti));
    const ex = one.exact;
    expect(nrm2(N, ex.g)).toBeGreaterThan(10 * 0.05 * 2);
    const errOne = relErr(one.z, ex.z);
    const errAnti = relErr(anti.z, ex.z);
    // The one-sided variance carries the (g·Δw)² term that antithetic pairs cancel: its
    // standard error is several times larger, and so is its error.
    const seRatio = nrm2(N, anti.zSe as Float64Array) / nrm2(N, one.zSe as Float64Array);
    expect(seRatio).toBeLessThan(0.3);
    expect(errAnti).toBeLessThan(0.5 * errOne);
  });
});
