import { Rng } from '../../src/random/rng.js';
import { drawPerturbation, KURTOSIS, type PerturbationName } from '../../src/synapse/perturbation.js';
import type { SynapseConstants, SynapsePopulation } from '../../src/synapse/estimator.js';
import type { Broadcast } from '../../src/synapse/broadcast.js';

/**
 * Inverse of the standard normal CDF, Acklam's rational approximation (relative error < 1.2e-9
 * over (0, 1)), enough for test bounds.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * Quantile of the χ² distribution with k degrees of freedom by Wilson–Hilferty: (χ²/k)^{1/3} is
 * nearly normal with mean 1 − 2/(9k) and variance 2/(9k). For k ≥ 100 its quantiles are good
 * to ~0.1% of k far into the tails.
 */
export function chiSquareQuantile(p: number, k: number): number {
  const s = 2 / (9 * k);
  return k * (1 - s + normalQuantile(p) * Math.sqrt(s)) ** 3;
}

/** Two-sided acceptance interval for a χ²_k statistic at total false-alarm probability alpha. */
export function chiSquareInterval(k: number, alpha: number): [number, number] {
  return [chiSquareQuantile(alpha / 2, k), chiSquareQuantile(1 - alpha / 2, k)];
}

/**
 * A quadratic environment where everything is exact: ΔE(Δw) = g·Δw + ½ ΔwᵀHΔw, with seeded
 * random g, symmetric H and direction v; z = Hv.
 */
export interface QuadraticEnvironment {
  n: number;
  g: Float64Array;
  H: Float64Array;
  v: Float64Array;
  z: Float64Array;
  dE(dw: Float64Array): number;
}

export function quadraticEnvironment(n: number, seed: number): QuadraticEnvironment {
  const rng = new Rng(seed);
  const g = rng.fillGaussian(new Float64Array(n));
  const B = rng.fillGaussian(new Float64Array(n * n));
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H[i * n + j] = (B[i * n + j] + B[j * n + i]) / 2;
  const v = rng.fillGaussian(new Float64Array(n));
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) z[i] += H[i * n + j] * v[j];
  const dE = (dw: Float64Array): number => {
    let lin = 0;
    let quad = 0;
    for (let i = 0; i < n; i++) {
      lin += g[i] * dw[i];
      let row = 0;
      for (let j = 0; j < n; j++) row += H[i * n + j] * dw[j];
      quad += dw[i] * row;
    }
    return lin + 0.5 * quad;
  };
  return { n, g, H, v, z, dE };
}

export interface ReplicateOptions {
  law: PerturbationName;
  sigma: number;
  antithetic: boolean;
  trials: number;
  seed: number;
}

/**
 * Drives a synapse population through `trials` trials on the quadratic environment: Δw drawn
 * from the law with its own seeded stream, ΔE± measured exactly, p = Δw·v and the estimator's
 * wire sums formed as the hardware would. Returns the population for reading out.
 */
export function runReplicate(
  env: QuadraticEnvironment, make: (constants: SynapseConstants, v: Float64Array) => SynapsePopulation, o: ReplicateOptions,
): SynapsePopulation {
  let vNorm2 = 0;
  for (let i = 0; i < env.n; i++) vNorm2 += env.v[i] * env.v[i];
  const constants: SynapseConstants = { size: env.n, law: o.law, sigma: o.sigma, kappa: KURTOSIS[o.law], antithetic: o.antithetic, vNorm2 };
  const pop = make(constants, env.v);
  const rng = Rng.derive(o.seed, 'perturbation');
  const dw = new Float64Array(env.n);
  const minus = new Float64Array(env.n);
  const sums = new Float64Array(pop.wireSums);
  const terms = Array.from({ length: pop.wireSums }, () => new Float64Array(env.n));
  for (let t = 1; t <= o.trials; t++) {
    drawPerturbation(o.law, o.sigma, rng, dw);
    let p = 0;
    for (let i = 0; i < env.n; i++) p += dw[i] * env.v[i];
    // The summing wire: Σ_i of each local term the synapses put on it.
    pop.wireTerms(dw, terms);
    for (let k = 0; k < terms.length; k++) sums[k] = terms[k].reduce((a, x) => a + x, 0);
    let dEMinus = Number.NaN;
    if (o.antithetic) {
      for (let i = 0; i < env.n; i++) minus[i] = -dw[i];
      dEMinus = env.dE(minus);
    }
    const b: Broadcast = { trial: t, dEPlus: env.dE(dw), dEMinus, p, sums };
    pop.update(b, dw);
  }
  return pop;
}
