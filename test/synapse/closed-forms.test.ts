import { describe, expect, it } from 'vitest';
import { WpPopulation } from '../../src/synapse/wp.js';
import { MomentPopulation } from '../../src/synapse/moment.js';
import type { SynapseConstants } from '../../src/synapse/estimator.js';
import { drawPerturbation, KURTOSIS } from '../../src/synapse/perturbation.js';
import { Rng } from '../../src/random/rng.js';
import { quadraticEnvironment } from '../helpers/error-bars.js';

/**
 * The readouts of wp and moment after a few trials, against their defining formulas written
 * out here from the trials themselves (explicit residuals and deviations, not the populations'
 * running sums). At T = 2 … 6 a factor such as Bessel's T/(T − 1) changes se by tens of percent,
 * which the statistical tests at T = 300 cannot resolve (it is 1/T there). Agreement to 1e-10
 * relative (round-off of a few sums).
 *
 *  wp:      ĝ_i = Σ d / Σ s,   d = Δw_i a, s = Δw_i²,   a the odd part of ΔE,
 *           se(ĝ_i) = sqrt(Σ (d − ĝ_i s)²/(T − 1) / T) / (Σ s / T)     (src/synapse/wp.ts)
 *  moment:  ĝ_i = Σ_t (a_t − ā_{t−1}) Δw_i / (σ² T),   se = sqrt((⟨inc²⟩ − ⟨inc⟩²)/T)/σ²
 */
const N = 5;
const SIGMA = 0.2;

function relClose(actual: number, expected: number, label: string): void {
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-10 * Math.abs(expected));
}

function trials(T: number, antithetic: boolean, seed: number): { dw: Float64Array[]; plus: number[]; minus: number[]; p: number[] } {
  const env = quadraticEnvironment(N, 44);
  const rng = Rng.derive(seed, 'perturbation');
  const out = { dw: [] as Float64Array[], plus: [] as number[], minus: [] as number[], p: [] as number[] };
  for (let t = 0; t < T; t++) {
    const dw = drawPerturbation('gaussian', SIGMA, rng, new Float64Array(N));
    out.dw.push(dw);
    out.plus.push(0.3 + env.dE(dw));
    out.minus.push(antithetic ? 0.3 + env.dE(dw.map((x) => -x)) : Number.NaN);
    out.p.push(dw.reduce((s, x, i) => s + x * env.v[i], 0));
  }
  return out;
}

function constants(antithetic: boolean): SynapseConstants {
  return { size: N, law: 'gaussian', sigma: SIGMA, kappa: KURTOSIS.gaussian, antithetic, vNorm2: 1 };
}

describe('wp and moment readouts after a few trials equal their formulas', () => {
  for (const antithetic of [false, true]) {
    for (const T of [2, 3, 6]) {
      it(`wp, ${antithetic ? 'antithetic' : 'one-sided'}, T = ${T}: ĝ a ratio of sums, se from its residuals with Bessel's correction`, () => {
        const tr = trials(T, antithetic, 900 + T);
        const pop = new WpPopulation(constants(antithetic), new Float64Array(N).fill(1));
        tr.dw.forEach((dw, t) => pop.update({ trial: t + 1, dEPlus: tr.plus[t], dEMinus: tr.minus[t], p: tr.p[t], sums: new Float64Array(0) }, dw));
        const g = pop.gradient(new Float64Array(N));
        const se = pop.gradientStdErr!(new Float64Array(N));
        for (let i = 0; i < N; i++) {
          const a = tr.plus.map((x, t) => (antithetic ? 0.5 * (x - tr.minus[t]) : x));
          const d = a.map((at, t) => at * tr.dw[t][i]);
          const s = tr.dw.map((dw) => dw[i] * dw[i]);
          const sumS = s.reduce((x, y) => x + y, 0);
          const gi = d.reduce((x, y) => x + y, 0) / sumS;
          const res2 = d.reduce((acc, dt, t) => acc + (dt - gi * s[t]) ** 2, 0);
          relClose(g[i], gi, `ĝ_${i}`);
          relClose(se[i], Math.sqrt(res2 / (T - 1) / T) / (sumS / T), `se(ĝ_${i})`);
        }
      });

      it(`moment, ${antithetic ? 'antithetic' : 'one-sided'}, T = ${T}: ĝ the covariance against the previous trials' mean, se the spread of its increments`, () => {
        const tr = trials(T, antithetic, 950 + T);
        const pop = new MomentPopulation(constants(antithetic), new Float64Array(N).fill(1));
        tr.dw.forEach((dw, t) => pop.update({ trial: t + 1, dEPlus: tr.plus[t], dEMinus: tr.minus[t], p: tr.p[t], sums: new Float64Array(0) }, dw));
        const g = pop.gradient(new Float64Array(N));
        const se = pop.gradientStdErr!(new Float64Array(N));
        const a = tr.plus.map((x, t) => (antithetic ? 0.5 * (x - tr.minus[t]) : x));
        for (let i = 0; i < N; i++) {
          const inc = a.map((at, t) => {
            const previous = t === 0 ? 0 : a.slice(0, t).reduce((x, y) => x + y, 0) / t;
            return (at - previous) * tr.dw[t][i];
          });
          const mean = inc.reduce((x, y) => x + y, 0) / T;
          const mean2 = inc.reduce((x, y) => x + y * y, 0) / T;
          relClose(g[i], mean / SIGMA ** 2, `ĝ_${i}`);
          relClose(se[i], Math.sqrt((mean2 - mean * mean) / T) / SIGMA ** 2, `se(ĝ_${i})`);
        }
      });
    }
  }
});
