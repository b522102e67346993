import { describe, expect, it } from 'vitest';
import { MomentPopulation } from '../../src/synapse/moment.js';
import type { SynapseConstants } from '../../src/synapse/estimator.js';
import { drawPerturbation, KURTOSIS, type PerturbationName } from '../../src/synapse/perturbation.js';
import { Rng } from '../../src/random/rng.js';
import { quadraticEnvironment } from '../helpers/error-bars.js';

/**
 * The moment estimator centres ΔE by the running mean of the previous trials, ā_{t−1}, and its
 * features by their known means (src/synapse/moment.ts). Any other centring (a wrong sign, a
 * wrong known mean E y_i, E Δw_i² ≠ σ²) is still unbiased, because ā_{t−1} is independent of
 * trial t, so tests of the mean and of the honesty of se cannot see it: it costs variance only.
 * This test sees it. On the same draws it forms, independently, the covariances against the TRUE
 * means (known on the exact quadratic: with a constant offset c added to ΔE, E ΔE = c + ½σ² tr H
 * one-sided; E odd = 0 and E even = ½σ² tr H antithetic) and checks that the population's ĝ,
 * ẑ, Ĥ_ii and se(ĝ), se(ẑ) equal them up to what the running mean changes:
 *
 *   ĝ_i − ĝ_i^true = Σ_t (μ − ā_{t−1}) Δw_{i,t} / (σ² T),
 *
 * a martingale with variance Σ_t E(μ − ā_{t−1})² σ² / (σ⁴T²) ≈ Var(ĝ) · r², where
 * r² = (μ²/Var a + H_{T−1})/T (ā_0 = 0 at t = 1, Var ā_{t−1} = Var a/(t−1) after; H the harmonic
 * number), computed for the odd part (ĝ) and the even part (ẑ, Ĥ); likewise for ẑ and Ĥ with
 * their features. We accept |difference| ≤ 4.5 r · se_true (measured: at most 1.8 r over every
 * synapse, law and mode), and |se/se_true − 1| ≤ r (the squared increments differ by O(r²);
 * measured ≤ 0.42 r). One-sided, with c = 2 sd(ΔE) and T = 3000, r ≈ 0.065.
 *
 * What it catches: centring ΔE by +ā (or updating ā with the wrong sign or step) makes the
 * increments ≈ (a + μ), se several times too large; a wrong E y_i (uniform ξ: E y_i = 2.5σ² v_i)
 * adds (a − ā) δ v_i to every increment of ẑ; Δw_i² + σ² for Δw_i² − σ² in Ĥ_ii adds
 * 2σ² Σ_t (a_t − ā_{t−1}) to every synapse, ≈ 1.4 se(Ĥ_ii) times a standard normal: it escapes
 * one replicate with probability ≈ 0.16, so each case runs 4 seeds.
 */
const N = 6;
const SIGMA = 0.1;
const TRIALS = 3000;
const SEEDS = 4;
/** Standard deviations of allowance on the differences, which are ≈ N(0, r²) in units of se. */
const ALLOW = 4.5;

function harmonic(m: number): number {
  let h = 0;
  for (let k = 1; k <= m; k++) h += 1 / k;
  return h;
}

/** r = √((μ²/Var a + H_{T−1})/T) for the broadcast part a with true mean μ (see above). */
function centringRatio(a: Moments, mu: number): number {
  const mean = a.sum[0] / TRIALS;
  const variance = a.sum2[0] / TRIALS - mean * mean;
  return Math.sqrt(((mu * mu) / variance + harmonic(TRIALS - 1)) / TRIALS);
}

interface Moments { sum: Float64Array; sum2: Float64Array }

function moments(): Moments {
  return { sum: new Float64Array(N), sum2: new Float64Array(N) };
}

function add(m: Moments, i: number, x: number): void {
  m.sum[i] += x;
  m.sum2[i] += x * x;
}

/** Mean/scale and its standard error sqrt((Q/T − mean²)/T)/scale. */
function readout(m: Moments, i: number, scale: number): { est: number; se: number } {
  const mean = m.sum[i] / TRIALS;
  return { est: mean * scale, se: scale * Math.sqrt((m.sum2[i] / TRIALS - mean * mean) / TRIALS) };
}

function check(law: PerturbationName, antithetic: boolean, seed: number): void {
  const env = quadraticEnvironment(N, 31);
  let vNorm2 = 0;
  for (let i = 0; i < N; i++) vNorm2 += env.v[i] ** 2;
  let traceH = 0;
  for (let i = 0; i < N; i++) traceH += env.H[i * N + i];
  const kappa = KURTOSIS[law];
  const constants: SynapseConstants = { size: N, law, sigma: SIGMA, kappa, antithetic, vNorm2 };
  const pop = new MomentPopulation(constants, env.v);
  const s2 = SIGMA * SIGMA;
  // sd(ΔE) on this environment is ≈ σ‖g‖; the offset puts the mean 5 of them away from 0.
  let g2 = 0;
  for (let i = 0; i < N; i++) g2 += env.g[i] ** 2;
  const offset = 2 * SIGMA * Math.sqrt(g2);
  const meanEven = offset + 0.5 * s2 * traceH;
  const meanOdd = antithetic ? 0 : meanEven;
  const ratio = kappa === 1 ? 0 : (kappa - 3) / (kappa - 1);

  const rng = Rng.derive(seed, 'perturbation');
  const dw = new Float64Array(N);
  const minus = new Float64Array(N);
  const G = moments();
  const Z = moments();
  const Hd = moments();
  const odds = moments();
  const evens = moments();
  for (let t = 1; t <= TRIALS; t++) {
    drawPerturbation(law, SIGMA, rng, dw);
    let p = 0;
    for (let i = 0; i < N; i++) p += dw[i] * env.v[i];
    const plus = offset + env.dE(dw);
    let dEMinus = Number.NaN;
    if (antithetic) {
      for (let i = 0; i < N; i++) minus[i] = -dw[i];
      dEMinus = offset + env.dE(minus);
    }
    pop.update({ trial: t, dEPlus: plus, dEMinus, p, sums: new Float64Array(0) }, dw);
    const odd = antithetic ? 0.5 * (plus - dEMinus) : plus;
    const even = antithetic ? 0.5 * (plus + dEMinus) : plus;
    add(odds, 0, odd);
    add(evens, 0, even);
    for (let i = 0; i < N; i++) {
      add(G, i, (odd - meanOdd) * dw[i]);
      add(Z, i, (even - meanEven) * (dw[i] * (p - ratio * env.v[i] * dw[i]) - s2 * (1 - ratio) * env.v[i]));
      add(Hd, i, (even - meanEven) * (dw[i] * dw[i] - s2));
    }
  }
  const rOdd = centringRatio(odds, meanOdd);
  const rEven = centringRatio(evens, meanEven);

  const est = { g: pop.gradient(new Float64Array(N)), z: pop.hv!(new Float64Array(N)) };
  const se = { g: pop.gradientStdErr!(new Float64Array(N)), z: pop.hvStdErr!(new Float64Array(N)) };
  const hDiag = kappa === 1 ? null : pop.hessianDiagonal!(new Float64Array(N));
  for (let i = 0; i < N; i++) {
    const g = readout(G, i, 1 / s2);
    const z = readout(Z, i, 1 / s2 ** 2);
    expect(Math.abs(est.g[i] - g.est) / g.se, `ĝ_${i}: ${est.g[i]} vs ${g.est} (se ${g.se}, r ${rOdd})`).toBeLessThanOrEqual(ALLOW * rOdd);
    expect(Math.abs(est.z[i] - z.est) / z.se, `ẑ_${i}: ${est.z[i]} vs ${z.est} (se ${z.se}, r ${rEven})`).toBeLessThanOrEqual(ALLOW * rEven);
    expect(Math.abs(se.g[i] / g.se - 1), `se(ĝ_${i}): ${se.g[i]} vs ${g.se}`).toBeLessThanOrEqual(rOdd);
    expect(Math.abs(se.z[i] / z.se - 1), `se(ẑ_${i}): ${se.z[i]} vs ${z.se}`).toBeLessThanOrEqual(rEven);
    if (hDiag !== null) {
      const h = readout(Hd, i, 2 / (s2 * s2 * (kappa - 1)));
      expect(Math.abs(hDiag[i] - h.est) / h.se, `Ĥ_${i}${i}: ${hDiag[i]} vs ${h.est} (se ${h.se}, r ${rEven})`).toBeLessThanOrEqual(ALLOW * rEven);
    }
  }
}

describe('moment estimator: centred by the running mean of ΔE, it is as precise as centring by the true mean', () => {
  for (const law of ['gaussian', 'uniform', 'rademacher'] as const) {
    for (const antithetic of [false, true]) {
      it(`${law} ξ, ${antithetic ? 'antithetic' : 'one-sided'}, ${SEEDS} seeds: ĝ, ẑ, Ĥ_ii and se within O(√(ln T/T)) se of the true-mean covariances`, () => {
        for (let k = 0; k < SEEDS; k++) check(law, antithetic, 410_000 + 100 * k + (antithetic ? 1 : 0) + 10 * ['gaussian', 'uniform', 'rademacher'].indexOf(law));
      });
    }
  }
});
