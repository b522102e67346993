import type { Rng } from '../random/rng.js';
import type { SimProblem } from './problem.js';

/**
 * The 2SPSA Hessian estimate (Spall 2000, "Adaptive stochastic approximation by the simultaneous
 * perturbation method", eq. 2.3–2.4), the baseline the local estimators are compared with at an
 * equal number of E evaluations. Per iteration, with independent Bernoulli ±1 vectors Δ, Δ̃ and
 * step sizes c, c̃, four evaluations give one-sided simultaneous-perturbation gradients at w ± cΔ,
 *   G(w ± cΔ) = [E(w ± cΔ + c̃Δ̃) − E(w ± cΔ)] / c̃ · Δ̃⁻¹,
 * and the per-iteration estimate
 *   Ĥ_k = ½ [ δG/(2c) Δ⁻ᵀ + (δG/(2c) Δ⁻ᵀ)ᵀ ],   δG = G(w + cΔ) − G(w − cΔ),
 * averaged over iterations. The Hv estimate is Ĥ v. Unlike the synapses' estimators it needs the
 * whole n × n matrix: a global, not a local, method.
 */
export class TwoSpsa {
  readonly hBar: Float64Array;
  iterations = 0;
  evaluations = 0;
  private readonly delta: Float64Array;
  private readonly deltaTilde: Float64Array;
  private readonly wp: Float64Array;
  private readonly gPlus: Float64Array;
  private readonly gMinus: Float64Array;

  constructor(
    private readonly problem: SimProblem,
    private readonly w: Float64Array,
    readonly c: number,
    readonly cTilde: number,
    private readonly rng: Rng,
  ) {
    const n = problem.size;
    this.hBar = new Float64Array(n * n);
    this.delta = new Float64Array(n);
    this.deltaTilde = new Float64Array(n);
    this.wp = new Float64Array(n);
    this.gPlus = new Float64Array(n);
    this.gMinus = new Float64Array(n);
  }

  /** One 2SPSA iteration (four evaluations of E). */
  step(): void {
    const n = this.problem.size;
    const { delta, deltaTilde, wp, gPlus, gMinus, c, cTilde, w } = this;
    for (let i = 0; i < n; i++) {
      delta[i] = this.rng.rademacher();
      deltaTilde[i] = this.rng.rademacher();
    }
    const sideGradient = (sign: number, out: Float64Array): void => {
      for (let i = 0; i < n; i++) wp[i] = w[i] + sign * c * delta[i];
      const e0 = this.problem.loss(wp);
      for (let i = 0; i < n; i++) wp[i] += cTilde * deltaTilde[i];
      const e1 = this.problem.loss(wp);
      this.evaluations += 2;
      const d = (e1 - e0) / cTilde;
      for (let i = 0; i < n; i++) out[i] = d / deltaTilde[i];
    };
    sideGradient(1, gPlus);
    sideGradient(-1, gMinus);
    const k = ++this.iterations;
    // Ĥ_k[i][j] = ½ (δG_i/(2c Δ_j) + δG_j/(2c Δ_i)); running mean.
    for (let i = 0; i < n; i++) {
      const dgi = (gPlus[i] - gMinus[i]) / (2 * c);
      for (let j = 0; j < n; j++) {
        const dgj = (gPlus[j] - gMinus[j]) / (2 * c);
        const hij = 0.5 * (dgi / delta[j] + dgj / delta[i]);
        this.hBar[i * n + j] += (hij - this.hBar[i * n + j]) / k;
      }
    }
  }

  /** Ĥ v. */
  hv(v: Float64Array, out: Float64Array): Float64Array {
    const n = this.problem.size;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += this.hBar[i * n + j] * v[j];
      out[i] = s;
    }
    return out;
  }
}
