import type { Rng } from '../random/rng.js';
import { shuffle, type PerturbationCode } from './codes.js';

/**
 * `fdma`: Δw_i(t) = σ√2 sin(2π f_i t·dt + φ_i) (docs/theory.md, "Perturbation codes"; the √2 makes
 * the mean square over a period σ²). The n frequencies are the evenly spaced band
 * f_k = fMin + k Δf, Δf = (fMax − fMin)/(n − 1), k = 0 … n−1, dealt to the synapses by a seeded
 * shuffle; each synapse then draws its phase φ_i uniform in [0, 2π) from the same stream.
 * Synapse i's value needs only i, its own (f_i, φ_i) and t.
 *
 * `period` is the number of steps after which every product of two codes has run through whole
 * periods of its difference and sum frequencies, T = 1/(Δf·dt), when that is an integer, 2fMin/Δf
 * is an integer and 2fMax < 1/dt (see commonPeriod); otherwise null.
 */
export class FdmaCode implements PerturbationCode {
  readonly name = 'fdma' as const;
  readonly period: number | null;
  readonly meanSquare: number;
  /** f_i in Hz, synapse i's own frequency. */
  readonly frequencies: Float64Array;
  /** φ_i in radians, synapse i's own phase. */
  readonly phases: Float64Array;
  /** 2π f_i dt, the phase advance per step. */
  private readonly omega: Float64Array;
  private readonly amplitude: number;

  constructor(
    readonly size: number, readonly sigma: number,
    readonly fMin: number, readonly fMax: number, readonly dt: number, rng: Rng,
  ) {
    const n = size;
    const band = new Float64Array(n);
    const spacing = n > 1 ? (fMax - fMin) / (n - 1) : 0;
    // Stryker disable next-line EqualityOperator: k <= n is equivalent: the extra pass writes past the end of a length-n array, a write that is dropped.
    for (let k = 0; k < n; k++) band[k] = fMin + k * spacing;
    shuffle(band, rng);
    this.frequencies = band;
    this.phases = new Float64Array(n);
    for (let i = 0; i < n; i++) this.phases[i] = 2 * Math.PI * rng.uniform();
    this.omega = new Float64Array(n);
    // Stryker disable next-line EqualityOperator: i <= n is equivalent: the extra pass writes past the end of a length-n array, a write that is dropped.
    for (let i = 0; i < n; i++) this.omega[i] = 2 * Math.PI * band[i] * dt;
    this.amplitude = sigma * Math.SQRT2;
    this.meanSquare = sigma * sigma;
    this.period = commonPeriod(n, fMin, spacing, dt);
  }

  value(i: number, t: number): number {
    return this.amplitude * Math.sin(this.omega[i] * t + this.phases[i]);
  }

  fill(t: number, out: Float64Array): Float64Array {
    const a = this.amplitude;
    const omega = this.omega;
    const phases = this.phases;
    // Stryker disable next-line EqualityOperator: i <= size is equivalent: out has length n (PerturbationCode.fill); the extra pass writes past the end of a length-n array, a write that is dropped.
    for (let i = 0; i < this.size; i++) out[i] = a * Math.sin(omega[i] * t + phases[i]);
    return out;
  }
}

/** Rounds x to an integer if it is one up to 1e-9 relative, else returns NaN. */
function nearInteger(x: number): number {
  const r = Math.round(x);
  return r > 0 && Math.abs(x - r) <= 1e-9 * r ? r : NaN;
}

/**
 * Σ_t c_i(t) c_j(t) = σ² Σ_t [cos(2π(f_i − f_j)t·dt + φ_i − φ_j) − cos(2π(f_i + f_j)t·dt + φ_i + φ_j)]
 * vanishes over T steps iff (f_i ± f_j)·T·dt are integers not ≡ 0 mod T. With T = 1/(Δf dt) the
 * difference terms give i − j, the sum terms 2fMin/Δf + i + j: integers when 2fMin/Δf is one, and
 * below T when f_i + f_j < 1/dt. One code is trivially orthogonal to nothing: period 1.
 */
function commonPeriod(n: number, fMin: number, spacing: number, dt: number): number | null {
  if (n === 1) return 1;
  const steps = nearInteger(1 / (spacing * dt));
  const twiceOffset = (2 * fMin) / spacing;
  const offsetInteger = Math.abs(twiceOffset - Math.round(twiceOffset)) <= 1e-9 * Math.max(1, twiceOffset);
  const belowRate = 2 * (fMin + (n - 1) * spacing) * dt < 1;
  return !Number.isNaN(steps) && offsetInteger && belowRate ? steps : null;
}

/** A second-order intermodulation product that lands on a code frequency. */
export interface Intermodulation {
  /** The two synapses whose product ½H_jk Δw_j Δw_k makes the term (j ≤ k). */
  j: number;
  k: number;
  /** The synapse whose frequency it hits. */
  i: number;
  /** 'sum' for f_j + f_k, 'difference' for |f_j − f_k|, as seen after sampling at 1/dt. */
  kind: 'sum' | 'difference';
}

/**
 * Every second-order product Δw_j Δw_k (j ≤ k) whose sum or difference frequency, folded by
 * sampling at rate 1/dt into [0, 1/(2dt)], equals a code frequency f_i (within tol Hz). On a
 * quadratic with one-sided ΔE these are the terms that bias synapse i's correlation estimate
 * (docs/theory.md, "Perturbation codes"). O(n³); for plans and tests, not for the step loop.
 */
export function secondOrderCollisions(code: FdmaCode, tol = 1e-9): Intermodulation[] {
  const f = code.frequencies;
  const rate = 1 / code.dt;
  const fold = (x: number): number => {
    const r = ((x % rate) + rate) % rate;
    return Math.min(r, rate - r);
  };
  const hits: Intermodulation[] = [];
  const n = code.size;
  // Stryker disable next-line EqualityOperator: j <= n is equivalent: f[n] is undefined, so every comparison of the extra pass is with NaN and false.
  for (let j = 0; j < n; j++) {
    // Stryker disable next-line EqualityOperator: k <= n is equivalent: f[n] is undefined, so every comparison of the extra pass is with NaN and false.
    for (let k = j; k < n; k++) {
      const sum = fold(f[j] + f[k]);
      const diff = fold(Math.abs(f[j] - f[k]));
      // Stryker disable next-line EqualityOperator: i <= n is equivalent: f[n] is undefined, so every comparison of the extra pass is with NaN and false.
      for (let i = 0; i < n; i++) {
        const fi = fold(f[i]);
        if (Math.abs(sum - fi) <= tol * Math.max(1, fi)) hits.push({ j, k, i, kind: 'sum' });
        if (j !== k && Math.abs(diff - fi) <= tol * Math.max(1, fi)) hits.push({ j, k, i, kind: 'difference' });
      }
    }
  }
  return hits;
}

/**
 * Why a band [fMin, fMax] sampled every dt seconds lets second-order products land on code
 * frequencies, or null if it cannot (docs/theory.md, "Perturbation codes"): sums f_j + f_k lie in
 * [2fMin, 2fMax] and differences in (0, fMax − fMin], so both miss the band iff fMax < 2 fMin (less
 * than an octave); aliases of sums (1/dt − f_j − f_k) and of the band itself miss it iff 3 fMax < 1/dt.
 */
export function fdmaPlanProblem(n: number, fMin: number, fMax: number, dt: number): string | null {
  if (n < 2) return null;
  if (!(fMax < 2 * fMin)) return `fMax (${fMax} Hz) is not below 2·fMin (${2 * fMin} Hz): sum or difference frequencies land in the band`;
  if (!(3 * fMax * dt < 1)) return `3·fMax (${3 * fMax} Hz) is not below the step rate 1/dt (${1 / dt} Hz): aliased sum frequencies land in the band`;
  return null;
}
