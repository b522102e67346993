import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { teacherStudentSampleLoss } from '../../src/exact/teacher-student.js';
import {
  curvatureFactor, decayFactor, decayRate, expectedError, floorIncrement, optimalEta, type LearningRule,
} from '../../src/analysis/learning-curves.js';
import { InputError } from '../../src/errors.js';

interface Setup {
  N: number;
  M: number;
  eta: number;
  sigma: number;
  antithetic: boolean;
  alpha: number;
}

/**
 * Simulates `runs` independent learners of one rule on linear teacher–student regression with a
 * fresh input x ~ N(0, α² I) per trial, from W_0 = W* + D_0, and returns the mean and standard
 * error over runs of ‖W_t − W*‖²_F at each checkpoint t. Plain loops, no Simulation class:
 *   sgd   W −= η (W−W*)x xᵀ
 *   wp    W −= η (ΔE/σ) Ξ, Ξ ~ N(0, I_MN), ΔE from E(W ± σΞ) on this x
 *   node  W −= η (ΔE/σ) ξ xᵀ, ξ ~ N(0, I_M) added to the outputs' summed inputs
 */
function simulate(rule: LearningRule, s: Setup, d0: Float64Array, runs: number, checkpoints: number[], seed: number) {
  const { N, M, eta, sigma, antithetic, alpha } = s;
  const rng = new Rng(seed);
  const teacher = rng.fillGaussian(new Float64Array(M * N));
  const w = new Float64Array(M * N);
  const wp = new Float64Array(M * N);
  const xi = new Float64Array(M * N);
  const x = new Float64Array(N);
  const r = new Float64Array(M);
  const last = checkpoints[checkpoints.length - 1];
  const sum = new Float64Array(checkpoints.length);
  const sum2 = new Float64Array(checkpoints.length);
  const outputLoss = (sign: number): number => {
    let e = 0;
    for (let m = 0; m < M; m++) e += 0.5 * (r[m] + sign * sigma * xi[m]) ** 2;
    return e;
  };
  for (let run = 0; run < runs; run++) {
    for (let k = 0; k < M * N; k++) w[k] = teacher[k] + d0[k];
    let next = 0;
    for (let t = 0; t <= last; t++) {
      if (t === checkpoints[next]) {
        let s2 = 0;
        for (let k = 0; k < M * N; k++) s2 += (w[k] - teacher[k]) ** 2;
        sum[next] += s2;
        sum2[next] += s2 * s2;
        next++;
        if (t === last) break;
      }
      rng.fillGaussian(x, alpha);
      if (rule === 'wp') {
        rng.fillGaussian(xi);
        for (let k = 0; k < M * N; k++) wp[k] = w[k] + sigma * xi[k];
        const ePlus = teacherStudentSampleLoss(wp, teacher, x, M, N);
        let dE: number;
        if (antithetic) {
          for (let k = 0; k < M * N; k++) wp[k] = w[k] - sigma * xi[k];
          dE = 0.5 * (ePlus - teacherStudentSampleLoss(wp, teacher, x, M, N));
        } else {
          dE = ePlus - teacherStudentSampleLoss(w, teacher, x, M, N);
        }
        for (let k = 0; k < M * N; k++) w[k] -= eta * (dE / sigma) * xi[k];
        continue;
      }
      // r = (W − W*) x, the output error without perturbation.
      for (let m = 0; m < M; m++) {
        let a = 0;
        for (let n = 0; n < N; n++) a += (w[m * N + n] - teacher[m * N + n]) * x[n];
        r[m] = a;
      }
      if (rule === 'node') {
        for (let m = 0; m < M; m++) xi[m] = rng.gaussian();
        const ePlus = outputLoss(1);
        const dE = antithetic ? 0.5 * (ePlus - outputLoss(-1)) : ePlus - outputLoss(0);
        for (let m = 0; m < M; m++) r[m] = (dE / sigma) * xi[m];
      }
      for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) w[m * N + n] -= eta * r[m] * x[n];
    }
  }
  const mean = Array.from(sum, (v) => v / runs);
  const se = Array.from(sum2, (v, i) => Math.sqrt((v / runs - mean[i] ** 2) / (runs - 1)));
  return { mean, se };
}

const N = 10;
const M = 3;

describe('learning curves on linear teacher–student (Werfel, Xie & Seung 2005)', () => {
  it('K, γ, optimal η and stability follow the closed forms', () => {
    const p = { eta: 0.01, inputs: N, outputs: M };
    expect(curvatureFactor('sgd', p)).toBe(12);
    expect(curvatureFactor('wp', p)).toBe(32 * 12);
    expect(curvatureFactor('node', p)).toBe(5 * 12);
    expect(curvatureFactor('wp', { ...p, kappa: 1 })).toBe(30 * 12);
    expect(decayFactor('sgd', p)).toBeCloseTo(1 - 0.02 + 1e-4 * 12, 15);
    expect(optimalEta('node', { inputs: N, outputs: M, inputVariance: 4 })).toBeCloseTo(1 / 240, 15);
    expect(decayFactor('node', { ...p, eta: 1 / 60 })).toBeCloseTo(1 - 1 / 60, 15);
    expect(decayFactor('sgd', { ...p, eta: 2 / 12 })).toBeCloseTo(1, 15);
    expect(floorIncrement('wp', { ...p, sigma: 0.1 })).toBe(0);
    expect(expectedError('sgd', p, 8, 0)).toBe(4);
  });

  // η at half the optimal rate for each rule: γ = 1 − 0.75/K.
  const cases: [LearningRule, boolean, number][] = [
    ['sgd', true, 2000],
    ['wp', true, 200],
    ['wp', false, 200],
    ['node', true, 2000],
    ['node', false, 2000],
  ];
  for (const [rule, antithetic, runs] of cases) {
    it(`${rule}${rule === 'sgd' ? '' : antithetic ? ', antithetic' : ', one-sided σ = 1e-3'}: the measured per-trial decay rate is within 20% of −ln γ`, () => {
      const eta = 0.5 * optimalEta(rule, { inputs: N, outputs: M });
      const p = { eta, inputs: N, outputs: M, sigma: 1e-3, antithetic };
      const gamma = decayFactor(rule, p);
      const T = Math.round(3 / -Math.log(gamma)); // three e-folds
      const d0 = new Rng(99).fillGaussian(new Float64Array(M * N));
      let s0 = 0;
      for (const d of d0) s0 += d * d;
      const { mean, se } = simulate(rule, { N, M, eta, sigma: 1e-3, antithetic, alpha: 1 }, d0, runs, [0, T], 7);
      expect(Math.abs(mean[0] / s0 - 1)).toBeLessThan(1e-12);
      const measured = -Math.log(mean[1] / s0) / T;
      const predicted = decayRate(rule, p);
      expect(Math.abs(measured / predicted - 1)).toBeLessThan(0.2);
      // And within 4 standard errors of the predicted S_T (the floor is negligible at σ = 1e-3).
      const predictedS = 2 * expectedError(rule, p, s0, T);
      expect(Math.abs(mean[1] - predictedS)).toBeLessThan(4 * se[1]);
    });
  }

  it('a wrong rule is caught: sgd with WP\'s K would predict a decay 3× too slow', () => {
    const eta = 0.5 * optimalEta('sgd', { inputs: N, outputs: M });
    const wrong = -Math.log(1 - 2 * eta + eta * eta * curvatureFactor('node', { eta, inputs: N, outputs: M }));
    expect(Math.abs(wrong / decayRate('sgd', { eta, inputs: N, outputs: M }) - 1)).toBeGreaterThan(0.2);
  });

  for (const rule of ['wp', 'node'] as const) {
    it(`${rule}, one-sided, Gaussian: from W = W* the error rises to the noise floor c/(1−γ) as predicted`, () => {
      const eta = 0.5 * optimalEta(rule, { inputs: N, outputs: M });
      const sigma = 0.3;
      const p = { eta, inputs: N, outputs: M, sigma, antithetic: false, inputVariance: 1.5 ** 2 };
      const relax = 1 / (1 - decayFactor(rule, p));
      const checkpoints = [Math.round(relax), Math.round(3 * relax)];
      const { mean, se } = simulate(rule, { N, M, eta, sigma, antithetic: false, alpha: 1.5 }, new Float64Array(M * N), rule === 'wp' ? 300 : 2000, checkpoints, 8);
      for (let k = 0; k < checkpoints.length; k++) {
        const predicted = (2 * expectedError(rule, p, 0, checkpoints[k])) / 1.5 ** 2;
        expect(predicted).toBeGreaterThan(0);
        expect(Math.abs(mean[k] - predicted)).toBeLessThan(4 * se[k]);
      }
    });
  }

  it('rejects bad parameters naming them', () => {
    expect(() => decayFactor('sgd', { eta: 0, inputs: 3, outputs: 1 })).toThrow(/eta: must be a finite number > 0; got 0/);
    expect(() => decayFactor('wp', { eta: 0.1, inputs: 2.5, outputs: 1 })).toThrow(/inputs/);
    expect(() => floorIncrement('node', { eta: 0.1, inputs: 3, outputs: 1, sigma: 0.1, antithetic: false, kappa: 1 })).toThrow(InputError);
    expect(() => decayFactor('adam' as LearningRule, { eta: 0.1, inputs: 3, outputs: 1 })).toThrow(/rule: must be one of sgd, wp, node/);
  });
});
