import { evenPart, oddPart, type Broadcast } from './broadcast.js';
import { noWireTerms, type Readout, type SynapseConstants, type SynapsePopulation } from './estimator.js';
import { addArrays, copyArrays, mergedMean, restoreArrays, type Mergeable, type SufficientStatistics } from './statistics.js';
import { synapseArrays, type SynapseArrays } from './wasm-state.js';

const SUMS = ['cG', 'qG', 'cZ', 'qZ', 'cH'] as const;
const SLOTS = ['v', ...SUMS] as const;

/**
 * The local unbiased moment estimator (docs/theory.md, "Weight perturbation"). For Δw = σξ with κ = E ξ⁴ and the
 * quadratic model ΔE = g·Δw + ½ΔwᵀHΔw:
 *
 *   Cov(ΔE, Δw_i)     = σ² g_i
 *   Cov(ΔE, Δw_i p)   = σ⁴ (z_i + ½(κ−3) H_ii v_i)        p = Δw·v, z = Hv
 *   Cov(ΔE, Δw_i²)    = ½ σ⁴ (κ−1) H_ii
 *
 * so, for κ ≠ 1, with the single local feature y_i = Δw_i (p − ((κ−3)/(κ−1)) v_i Δw_i),
 *
 *   ĝ_i = Cov(ΔE, Δw_i)/σ²,   ẑ_i = Cov(ΔE, y_i)/σ⁴ → z_i,   Ĥ_ii = 2 Cov(ΔE, Δw_i²)/(σ⁴(κ−1)).
 *
 * For κ = 1 (Rademacher) Δw_i² ≡ σ²: H_ii is invisible, y_i = Δw_i p and ẑ_i → z_i − H_ii v_i
 * (the off-diagonal part); Ĥ is not estimated. On antithetic trials ĝ uses the odd part of ΔE
 * and ẑ, Ĥ the even part, which removes the other's noise.
 *
 * Covariances are accumulated against known feature means, which every synapse has from its
 * constants: E Δw_i = 0, E Δw_i² = σ², E y_i = σ² v_i (1 − (κ−3)/(κ−1)) (E Δw_i p = σ² v_i for any
 * law). ΔE is centred by its running mean over the PREVIOUS trials, ā_{t−1}, which every synapse
 * can keep since ΔE is broadcast. Because ā_{t−1} is independent of trial t,
 *   E[(a_t − ā_{t−1})(y_t − E y)] = Cov(a, y)   exactly, for every t,
 * so C_i = Σ_t (a_t − ā_{t−1})(y_{i,t} − E y_i) gives Cov = C_i/T without bias, with one array
 * per feature (no per-synapse means). The increments d are also squared into Q_i for the standard
 * error se(Cov) ≈ sqrt((Q_i/T − (C_i/T)²)/T).
 *
 * Merging (an estimate run in blocks): C_i, Q_i, the diagonal's sums and T are sums over trials
 * and add. A block starts afresh and centres its trials by its own running mean (ā = 0 before
 * its first trial), still independent of each trial it centres, so every increment keeps
 * E d = Cov(a, y) and the merged C/T is unbiased. Its price is extra variance per block: the
 * first trial is not centred ((E a)²/Var a trials' worth) and the short means after it add
 * about ln B trials' worth; Q sums the same increments, so the standard errors count it
 * (docs/formats.md, "Estimate runs in blocks").
 */
export class MomentPopulation implements SynapsePopulation, Mergeable {
  readonly name = 'moment' as const;
  readonly wireSums = 0;
  readonly size: number;
  readonly state: {
    v: Float64Array;
    cG: Float64Array; qG: Float64Array;
    cZ: Float64Array; qZ: Float64Array;
    cH: Float64Array;
  };
  /** Running means of the broadcast odd and even parts (identical in every synapse; kept once). */
  private meanOdd = 0;
  private meanEven = 0;
  private trials = 0;
  /** (κ−3)/(κ−1), or 0 for κ = 1 where no diagonal correction is possible. */
  private readonly diagRatio: number;
  readonly diagonalVisible: boolean;
  /** The slots in a kernels instance's memory (one f64x2 sweep per trial), or plain arrays. */
  private readonly slots: SynapseArrays<(typeof SLOTS)[number]>;

  constructor(readonly constants: SynapseConstants, v: Float64Array) {
    const n = v.length;
    this.size = n;
    this.diagonalVisible = constants.kappa !== 1;
    this.diagRatio = this.diagonalVisible ? (constants.kappa - 3) / (constants.kappa - 1) : 0;
    this.slots = synapseArrays(SLOTS, n);
    const { v: vSlot, cG, qG, cZ, qZ, cH } = this.slots.arrays;
    vSlot.set(v);
    this.state = { v: vSlot, cG, qG, cZ, qZ, cH };
    if (this.diagonalVisible) {
      this.hessianDiagonal = (out) => this.scaled(this.state.cH, 2 / (constants.sigma ** 4 * (constants.kappa - 1)), out);
    }
  }

  readonly wireTerms = noWireTerms;

  statistics(): SufficientStatistics {
    return { estimator: this.name, scalars: { trials: this.trials, meanOdd: this.meanOdd, meanEven: this.meanEven }, arrays: copyArrays(this.state, SUMS) };
  }

  restore(s: SufficientStatistics): void {
    restoreArrays(this.state, s, SUMS);
    this.trials = s.scalars.trials;
    this.meanOdd = s.scalars.meanOdd;
    this.meanEven = s.scalars.meanEven;
  }

  absorb(s: SufficientStatistics): void {
    addArrays(this.state, s, SUMS);
    const { trials, meanOdd, meanEven } = s.scalars;
    this.meanOdd = mergedMean(this.meanOdd, this.trials, meanOdd, trials);
    this.meanEven = mergedMean(this.meanEven, this.trials, meanEven, trials);
    this.trials += trials;
  }

  /** Ĥ_ii: absent for κ = 1, where the diagonal is invisible. */
  readonly hessianDiagonal?: Readout;

  update(b: Broadcast, dw: Float64Array): void {
    const T = ++this.trials;
    const odd = oddPart(b);
    const even = evenPart(b);
    // Centre by the means of the previous trials, then fold this trial in.
    const dOdd = odd - this.meanOdd;
    const dEven = even - this.meanEven;
    this.meanOdd += dOdd / T;
    this.meanEven += dEven / T;
    const p = b.p;
    const ratio = this.diagRatio;
    const s2 = this.constants.sigma * this.constants.sigma;
    const meanYFactor = s2 * (1 - ratio); // E y_i = σ²(1 − ratio) v_i
    const { kernels, arrays, at } = this.slots;
    if (kernels !== null) {
      // The same update on the kernels, two synapses per step (the same bits).
      arrays.dw.set(dw.length === this.size ? dw : dw.subarray(0, this.size));
      kernels.moment_update(this.size, dOdd, dEven, p, ratio, s2, meanYFactor, at.dw, at.v, at.cG, at.qG, at.cZ, at.qZ, at.cH);
      return;
    }
    const { v, cG, qG, cZ, qZ, cH } = this.state;
    momentKernel(cG.length, dOdd, dEven, p, ratio, s2, meanYFactor, dw, v, cG, qG, cZ, qZ, cH);
  }

  private scaled(c: Float64Array, scale: number, out: Float64Array): Float64Array {
    const T = this.trials;
    const k = T > 0 ? scale / T : 0;
    for (let i = 0; i < this.size; i++) out[i] = c[i] * k;
    return out;
  }

  private stdErr(c: Float64Array, q: Float64Array, scale: number, out: Float64Array): Float64Array {
    const T = this.trials;
    for (let i = 0; i < this.size; i++) {
      if (T < 2) {
        out[i] = Infinity;
        continue;
      }
      const mean = c[i] / T;
      out[i] = scale * Math.sqrt(Math.max(0, q[i] / T - mean * mean) / T);
    }
    return out;
  }

  readonly gradient = (out: Float64Array): Float64Array => this.scaled(this.state.cG, 1 / this.constants.sigma ** 2, out);

  readonly hv = (out: Float64Array): Float64Array => this.scaled(this.state.cZ, 1 / this.constants.sigma ** 4, out);

  readonly gradientStdErr = (out: Float64Array): Float64Array =>
    this.stdErr(this.state.cG, this.state.qG, 1 / this.constants.sigma ** 2, out);

  readonly hvStdErr = (out: Float64Array): Float64Array =>
    this.stdErr(this.state.cZ, this.state.qZ, 1 / this.constants.sigma ** 4, out);
}

/**
 * The per-synapse update of the moment estimator, for i in [0, n): slot i of each array and the
 * broadcast scalars only (the locality the simulator is about, in one loop).
 */
function momentKernel(
  n: number, dOdd: number, dEven: number, p: number, ratio: number, s2: number, meanYFactor: number,
  dw: Float64Array, v: Float64Array,
  cG: Float64Array, qG: Float64Array, cZ: Float64Array, qZ: Float64Array, cH: Float64Array,
): void {
  // Stryker disable next-line EqualityOperator: i <= n is equivalent: the extra pass reads dw[n], v[n] as undefined and its writes to the length-n state arrays are dropped.
  for (let i = 0; i < n; i++) {
    const dwi = dw[i];
    const vi = v[i];
    // gradient: Cov(odd, Δw_i), E Δw_i = 0
    const incG = dOdd * dwi;
    cG[i] += incG;
    qG[i] += incG * incG;
    // Hv: Cov(even, y_i), y_i = Δw_i (p − ratio v_i Δw_i), E y_i = σ²(1 − ratio) v_i
    const incZ = dEven * (dwi * (p - ratio * vi * dwi) - meanYFactor * vi);
    cZ[i] += incZ;
    qZ[i] += incZ * incZ;
    // diagonal: Cov(even, Δw_i²), E Δw_i² = σ²
    cH[i] += dEven * (dwi * dwi - s2);
  }
}
