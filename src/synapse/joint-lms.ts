import { evenPart, oddPart, type Broadcast } from './broadcast.js';
import type { SynapseConstants, SynapsePopulation } from './estimator.js';

export interface JointLmsOptions {
  /** Normalised step μ₀ in (0, 1]. */
  step: number;
  /** Trials τ over which the step decays as μ_t = μ₀ (1 + t/τ)^−0.6; also the averaging burn-in. */
  decay: number;
}

/**
 * Joint least-mean-squares fit of the seed's model (docs/theory.md, "Weight perturbation"). Three extra sums from the
 * summing wire, S_g = Δw·ĝ, S_z = Δw·ẑ, S_v = v·ẑ, let every synapse form the model's
 * prediction ½ΔwᵀĤΔw = (p S_z − ½ S_v p²/|v|²)/|v|² and the residual
 *
 *   r = ΔE − c − S_g − ½ΔwᵀĤΔw,
 *
 * then take a local LMS step on its own coefficients:
 *   ĝ_i += η_g r Δw_i,   ẑ_i += η_z r b_i,   c += η_c r,   b_i = (p/|v|²)(Δw_i − p v_i/(2|v|²)).
 * This fits the model jointly, so its least-squares fixed point is Hv for Gaussian ξ; the
 * intercept c (the same in every synapse: it is updated from broadcast quantities only) absorbs
 * E ΔE = ½σ² tr H, which the model alone cannot. Antithetic trials split the residual into an
 * odd part (ΔE_odd − S_g, for ĝ) and an even part (ΔE_even − c − ½ΔwᵀĤΔw, for ẑ and c).
 *
 * Steps are normalised in whitened coordinates (Δw_i/σ and b_i|v|/σ² have unit scale):
 * η_g = μ_t/(σ² N), η_z = μ_t |v|²/(σ⁴ N), η_c = μ_t/N with N = 2n + 1, and μ_t decays as
 * (1 + t/τ)^−0.6. The estimates read out are Polyak–Ruppert averages of the iterates after
 * τ trials, which converge at the 1/√T rate.
 */
export class JointLmsPopulation implements SynapsePopulation {
  readonly name = 'joint-lms' as const;
  readonly wireSums = 3;
  readonly size: number;
  readonly state: { v: Float64Array; g: Float64Array; z: Float64Array; gAvg: Float64Array; zAvg: Float64Array };
  /** The intercept, identical in every synapse (a function of broadcasts only); kept once. */
  private c = 0;
  private trials = 0;
  private averaged = 0;
  private readonly v2: number;

  constructor(readonly constants: SynapseConstants, v: Float64Array, readonly options: JointLmsOptions) {
    const n = v.length;
    this.size = n;
    this.v2 = constants.vNorm2;
    const arr = (): Float64Array => new Float64Array(n);
    this.state = { v: Float64Array.from(v), g: arr(), z: arr(), gAvg: arr(), zAvg: arr() };
  }

  /** S_g = Δw·ĝ, S_z = Δw·ẑ, S_v = v·ẑ: each a sum of one local product per synapse. */
  wireTerms(dw: Float64Array, terms: readonly Float64Array[]): void {
    const { v, g, z } = this.state;
    const [tg, tz, tv] = terms;
    for (let i = 0; i < this.size; i++) {
      tg[i] = dw[i] * g[i];
      tz[i] = dw[i] * z[i];
      tv[i] = v[i] * z[i];
    }
  }

  update(b: Broadcast, dw: Float64Array): void {
    const t = ++this.trials;
    const { sigma } = this.constants;
    const n = this.size;
    const N = 2 * this.constants.size + 1;
    const mu = this.options.step * Math.pow(1 + t / this.options.decay, -0.6);
    const etaG = mu / (sigma * sigma * N);
    const etaZ = (mu * this.v2) / (sigma ** 4 * N);
    const etaC = mu / N;
    const p = b.p;
    const [sg, sz, sv] = b.sums;
    const model2 = (p * sz - (0.5 * sv * p * p) / this.v2) / this.v2;
    const rOdd = oddPart(b) - sg - (this.constants.antithetic ? 0 : this.c + model2);
    const rEven = this.constants.antithetic ? evenPart(b) - this.c - model2 : rOdd;
    this.c += etaC * rEven;
    const pv = p / this.v2;
    const half = p / (2 * this.v2);
    const { v, g, z, gAvg, zAvg } = this.state;
    const averaging = t > this.options.decay;
    const k = averaging ? 1 / ++this.averaged : 0;
    // Stryker disable next-line EqualityOperator: i <= n is equivalent: the extra pass reads past the held slots (undefined) and its writes to the length-n arrays are dropped.
    for (let i = 0; i < n; i++) {
      const dwi = dw[i];
      const bi = pv * (dwi - half * v[i]);
      const gi = g[i] + etaG * rOdd * dwi;
      const zi = z[i] + etaZ * rEven * bi;
      g[i] = gi;
      z[i] = zi;
      // Stryker disable next-line ConditionalExpression: equivalent: before averaging k = 0, so the averages gain (iterate − average)·0 = 0 while the iterates are finite.
      if (averaging) {
        gAvg[i] += (gi - gAvg[i]) * k;
        zAvg[i] += (zi - zAvg[i]) * k;
      }
    }
  }

  readonly gradient = (out: Float64Array): Float64Array => {
    out.set(this.averaged > 0 ? this.state.gAvg : this.state.g);
    return out;
  };

  readonly hv = (out: Float64Array): Float64Array => {
    out.set(this.averaged > 0 ? this.state.zAvg : this.state.z);
    return out;
  };
}
