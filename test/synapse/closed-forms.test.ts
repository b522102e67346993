import { describe, expect, it } from 'vitest';
import { WpPopulation } from '../../src/synapse/wp.js';
import { MomentPopulation } from '../../src/synapse/moment.js';
import { SeedPopulation, seedRegressionLimit } from '../../src/synapse/seed.js';
import { JointLmsPopulation } from '../../src/synapse/joint-lms.js';
import { READOUTS, squaredNorm, type SynapseConstants, type SynapsePopulation } from '../../src/synapse/estimator.js';
import { createPopulation, synapseConstants, type EstimatorSpec } from '../../src/synapse/index.js';
import { drawPerturbation, KURTOSIS } from '../../src/synapse/perturbation.js';
import { Rng } from '../../src/random/rng.js';
import { quadraticEnvironment } from '../helpers/error-bars.js';

/**
 * The readouts of wp, moment, seed and joint LMS after a few trials, against their defining formulas written
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

/**
 * The seed's per-synapse regression (src/synapse/seed.ts) is ordinary least squares on synapse
 * i's own features x1 = Δw_i, x2 = b_i = (p/|v|²)(Δw_i − p v_i/(2|v|²)): one-sided jointly
 * ([ĝ_i, ẑ_i] = C⁻¹ c with C the features' 2×2 (co)variance and c their (co)variance with ΔE),
 * antithetic separately (ĝ_i = c_1/C_11 on the odd part, ẑ_i = c_2/C_22 on the even part);
 * with an intercept the (co)variances are centred by the sample means, without it they are raw
 * second moments. Here written as two-pass sums over the stored trials.
 */
describe('seed regression equals least squares on the trials', () => {
  for (const intercept of [true, false]) {
    for (const antithetic of [false, true]) {
      it(`${intercept ? 'with' : 'without'} intercept, ${antithetic ? 'antithetic' : 'one-sided'}, T = 7`, () => {
        const T = 7;
        const tr = trials(T, antithetic, 970 + (intercept ? 1 : 0) + (antithetic ? 2 : 0));
        const v = Float64Array.from([0.4, -1.1, 0.7, 0.2, -0.5]);
        const v2 = v.reduce((s, x) => s + x * x, 0);
        const c: SynapseConstants = { ...constants(antithetic), vNorm2: v2 };
        const pop = new SeedPopulation(c, v, intercept);
        const p = tr.dw.map((dw) => dw.reduce((s, x, i) => s + x * v[i], 0));
        tr.dw.forEach((dw, t) => pop.update({ trial: t + 1, dEPlus: tr.plus[t], dEMinus: tr.minus[t], p: p[t], sums: new Float64Array(0) }, dw));
        const g = pop.gradient(new Float64Array(N));
        const z = pop.hv!(new Float64Array(N));
        const odd = tr.plus.map((x, t) => (antithetic ? 0.5 * (x - tr.minus[t]) : x));
        const even = tr.plus.map((x, t) => (antithetic ? 0.5 * (x + tr.minus[t]) : x));
        const mean = (xs: number[]): number => (intercept ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
        const cov = (xs: number[], ys: number[]): number => {
          const mx = mean(xs);
          const my = mean(ys);
          return xs.reduce((s, x, t) => s + (x - mx) * (ys[t] - my), 0);
        };
        for (let i = 0; i < N; i++) {
          const x1 = tr.dw.map((dw) => dw[i]);
          const x2 = tr.dw.map((dw, t) => (p[t] / v2) * (dw[i] - (p[t] * v[i]) / (2 * v2)));
          let gi: number;
          let zi: number;
          if (antithetic) {
            gi = cov(x1, odd) / cov(x1, x1);
            zi = cov(x2, even) / cov(x2, x2);
          } else {
            const [c11, c12, c22] = [cov(x1, x1), cov(x1, x2), cov(x2, x2)];
            const [a1, a2] = [cov(x1, odd), cov(x2, odd)];
            const det = c11 * c22 - c12 * c12;
            gi = (c22 * a1 - c12 * a2) / det;
            zi = (c11 * a2 - c12 * a1) / det;
          }
          expect(Math.abs(g[i] - gi), `ĝ_${i}: ${g[i]} vs ${gi}`).toBeLessThanOrEqual(1e-9 * Math.abs(gi));
          expect(Math.abs(z[i] - zi), `ẑ_${i}: ${z[i]} vs ${zi}`).toBeLessThanOrEqual(1e-9 * Math.abs(zi));
        }
      });
    }
  }
});

/**
 * Joint LMS (src/synapse/joint-lms.ts) step by step: with the model prediction
 * m = (p S_z − ½ S_v p²/|v|²)/|v|² from the wire sums, the residuals r_odd = odd − S_g − [c + m
 * one-sided], r_even = even − c − m (antithetic; r_odd one-sided), and μ_t = μ₀(1 + t/τ)^−0.6,
 *   ĝ_i += μ_t/(σ² N) r_odd Δw_i,   ẑ_i += μ_t |v|²/(σ⁴ N) r_even b_i,   c += μ_t/N r_even,
 * N = 2n + 1; after τ trials the readouts are the running means of the iterates.
 */
describe('joint LMS equals its update equations', () => {
  for (const antithetic of [false, true]) {
    it(`${antithetic ? 'antithetic' : 'one-sided'}, τ = 2, T = 6: iterates, intercept and Polyak averages`, () => {
      const T = 6;
      const tau = 2;
      const mu0 = 0.7;
      const tr = trials(T, antithetic, 990 + (antithetic ? 1 : 0));
      const v = Float64Array.from([0.4, -1.1, 0.7, 0.2, -0.5]);
      const v2 = v.reduce((s, x) => s + x * x, 0);
      const pop = new JointLmsPopulation({ ...constants(antithetic), vNorm2: v2 }, v, { step: mu0, decay: tau });
      expect(pop.wireSums).toBe(3);
      const g = new Float64Array(N);
      const z = new Float64Array(N);
      const gAvg = new Float64Array(N);
      const zAvg = new Float64Array(N);
      let c = 0;
      let averaged = 0;
      const terms = [new Float64Array(N), new Float64Array(N), new Float64Array(N)];
      const Nn = 2 * N + 1;
      for (let t = 1; t <= T; t++) {
        const dw = tr.dw[t - 1];
        const p = dw.reduce((s, x, i) => s + x * v[i], 0);
        pop.wireTerms(dw, terms);
        const sums = Float64Array.from(terms, (term) => term.reduce((s, x) => s + x, 0));
        // The wire sums from the test's own iterates: S_g = Δw·ĝ, S_z = Δw·ẑ, S_v = v·ẑ.
        const sg = dw.reduce((s, x, i) => s + x * g[i], 0);
        const sz = dw.reduce((s, x, i) => s + x * z[i], 0);
        const sv = v.reduce((s, x, i) => s + x * z[i], 0);
        expect(Math.abs(sums[0] - sg) + Math.abs(sums[1] - sz) + Math.abs(sums[2] - sv)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(sg) + Math.abs(sz) + Math.abs(sv)));
        pop.update({ trial: t, dEPlus: tr.plus[t - 1], dEMinus: tr.minus[t - 1], p, sums }, dw);
        const mu = mu0 * (1 + t / tau) ** -0.6;
        const model = (p * sz - (0.5 * sv * p * p) / v2) / v2;
        const odd = antithetic ? 0.5 * (tr.plus[t - 1] - tr.minus[t - 1]) : tr.plus[t - 1];
        const even = antithetic ? 0.5 * (tr.plus[t - 1] + tr.minus[t - 1]) : tr.plus[t - 1];
        const rOdd = antithetic ? odd - sg : odd - sg - c - model;
        const rEven = antithetic ? even - c - model : rOdd;
        c += (mu / Nn) * rEven;
        for (let i = 0; i < N; i++) {
          const b = (p / v2) * (dw[i] - (p * v[i]) / (2 * v2));
          g[i] += (mu / (SIGMA ** 2 * Nn)) * rOdd * dw[i];
          z[i] += ((mu * v2) / (SIGMA ** 4 * Nn)) * rEven * b;
        }
        if (t > tau) {
          averaged++;
          for (let i = 0; i < N; i++) {
            gAvg[i] += (g[i] - gAvg[i]) / averaged;
            zAvg[i] += (z[i] - zAvg[i]) / averaged;
          }
        }
        const readG = pop.gradient(new Float64Array(N));
        const readZ = pop.hv!(new Float64Array(N));
        for (let i = 0; i < N; i++) {
          const eg = t > tau ? gAvg[i] : g[i];
          const ez = t > tau ? zAvg[i] : z[i];
          expect(Math.abs(readG[i] - eg), `t ${t}, ĝ_${i}: ${readG[i]} vs ${eg}`).toBeLessThanOrEqual(1e-10 * Math.max(Math.abs(eg), 1e-12));
          expect(Math.abs(readZ[i] - ez), `t ${t}, ẑ_${i}: ${readZ[i]} vs ${ez}`).toBeLessThanOrEqual(1e-10 * Math.max(Math.abs(ez), 1e-12));
        }
      }
    });
  }
});

describe('populations write only the slots they hold, and are built with the chip constants', () => {
  const SPECS: EstimatorSpec[] = [
    { name: 'wp' }, { name: 'moment' }, { name: 'seed', intercept: true }, { name: 'seed', intercept: false },
    { name: 'joint-lms', step: 0.5, decay: 2 }, { name: 'node' },
  ];
  const v = Float64Array.from([0.4, -1.1, 0.7, 0.2, -0.5]);

  it('createPopulation builds the named estimator with its options', () => {
    const c = synapseConstants('gaussian', SIGMA, true, v);
    const made = SPECS.map((spec) => createPopulation(spec, c, v));
    expect(made.map((p) => [p.name, p.constructor.name])).toEqual([
      ['wp', 'WpPopulation'], ['moment', 'MomentPopulation'], ['seed', 'SeedPopulation'], ['seed', 'SeedPopulation'],
      ['joint-lms', 'JointLmsPopulation'], ['node', 'WpPopulation'],
    ]);
    expect([(made[2] as SeedPopulation).intercept, (made[3] as SeedPopulation).intercept]).toEqual([true, false]);
    expect((made[4] as JointLmsPopulation).options).toEqual({ step: 0.5, decay: 2 });
  });

  it('read before any trial, every estimate is 0 (not NaN) and every standard error infinite', () => {
    for (const spec of SPECS) {
      const pop = createPopulation(spec, synapseConstants('gaussian', SIGMA, false, v), v);
      for (const name of READOUTS) {
        const read = pop[name];
        if (read === undefined) continue;
        const expected = name.endsWith('StdErr') ? Infinity : 0;
        expect(Array.from(read(new Float64Array(N))), `${spec.name}.${name}`).toEqual(new Array(N).fill(expected));
      }
    }
  });

  it('every readout and wire term of every estimator leaves slots n … untouched when the arrays are longer than the population', () => {
    for (const antithetic of [false, true]) {
      const tr = trials(4, antithetic, 999);
      for (const spec of SPECS) {
        const pop = createPopulation(spec, synapseConstants('gaussian', SIGMA, antithetic, v), v);
        const terms = Array.from({ length: pop.wireSums }, () => new Float64Array(N + 2).fill(7));
        tr.dw.forEach((dw, t) => {
          pop.wireTerms(dw, terms);
          for (const term of terms) expect([term[N], term[N + 1]], `${spec.name} wire term`).toEqual([7, 7]);
          const sums = Float64Array.from(terms, (term) => term.subarray(0, N).reduce((a, x) => a + x, 0));
          pop.update({ trial: t + 1, dEPlus: tr.plus[t], dEMinus: tr.minus[t], p: tr.p[t], sums }, dw);
        });
        for (const name of READOUTS) {
          const read = pop[name];
          if (read === undefined) continue;
          const out = read(new Float64Array(N + 2).fill(7));
          expect([out[N], out[N + 1]], `${spec.name}.${name}`).toEqual([7, 7]);
          for (let i = 0; i < N; i++) expect(Number.isFinite(out[i]), `${spec.name}.${name}[${i}]`).toBe(true);
        }
      }
    }
    const limit = seedRegressionLimit(Float64Array.from([1, 2, 3, 4, 5]), v, 2, true, new Float64Array(N + 1).fill(7));
    expect(limit[N]).toBe(7);
  });

  it('synapseConstants: n, the law\'s κ, σ, antithetic and |v|² = Σ v_i²', () => {
    const v = Float64Array.from([0.5, -2, 1.5]);
    expect(squaredNorm(v)).toBe(0.25 + 4 + 2.25);
    expect(synapseConstants('uniform', 0.3, true, v)).toEqual({ size: 3, law: 'uniform', sigma: 0.3, kappa: 9 / 5, antithetic: true, vNorm2: 6.5 });
  });
});
