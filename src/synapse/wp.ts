import { oddPart, type Broadcast } from './broadcast.js';
import { noWireTerms, type SynapseConstants, type SynapsePopulation } from './estimator.js';
import { addArrays, copyArrays, restoreArrays, type Mergeable, type SufficientStatistics } from './statistics.js';
import { synapseArrays, type SynapseArrays } from './wasm-state.js';

const SUMS = ['sumDwDE', 'sumDw2', 'sumD2', 'sumDS', 'sumDw4'] as const;
const SLOTS = ['v', ...SUMS] as const;

/**
 * First-order weight perturbation (the seed's): ĝ_i = ⟨Δw_i ΔE⟩ / ⟨Δw_i²⟩, with ΔE replaced
 * by the odd part ½(ΔE⁺ − ΔE⁻) on antithetic trials. E[Δw_i ΔE] = σ² g_i + O(σ⁴) for any
 * symmetric law; the other synapses' Σ_{j≠i} g_j Δw_j is its noise. ĝ_i is a ratio of means
 * d̄/s̄ (d = Δw_i ΔE, s = Δw_i²), so its standard error is that of the residual d − ĝ_i s
 * (delta method), whose mean is 0 by construction:
 *   se(ĝ_i) = sqrt(⟨(d − ĝ_i s)²⟩ · T/(T−1) / T) / ⟨s⟩,
 *   ⟨(d − ĝ_i s)²⟩ = ⟨d²⟩ − 2 ĝ_i ⟨d s⟩ + ĝ_i² ⟨s²⟩.
 * (The variance of d alone would count the g_i Δw_i² part of d, which the denominator removes:
 * it overstates se by √(1 + (κ−1) g_i² / Σ_{j≠i} g_j²), e.g. 13% for Gaussian ξ on 8 synapses.)
 * Slots per synapse: sumDwDE (Σ d), sumDw2 (Σ s), sumD2 (Σ d²), sumDS (Σ d s), sumDw4 (Σ s²).
 * First-order WP has no curvature estimate: it provides ĝ and its standard error only.
 * Every slot is a plain sum over trials, so populations that ran disjoint trials merge by
 * adding slots and trial counts.
 */
export class WpPopulation implements SynapsePopulation, Mergeable {
  /** 'node': the same correlator over node perturbation's signals e_i = ξ_post(i) y_pre(i) in place of Δw_i. */
  readonly name: 'wp' | 'node';
  readonly wireSums = 0;
  readonly size: number;
  readonly state: {
    v: Float64Array; sumDwDE: Float64Array; sumDw2: Float64Array; sumD2: Float64Array; sumDS: Float64Array; sumDw4: Float64Array;
  };
  private trials = 0;
  /** The slots in a kernels instance's memory (one f64x2 sweep per trial), or plain arrays. */
  private readonly slots: SynapseArrays<(typeof SLOTS)[number]>;

  constructor(readonly constants: SynapseConstants, v: Float64Array, name: 'wp' | 'node' = 'wp') {
    this.name = name;
    const n = v.length;
    this.size = n;
    this.slots = synapseArrays(SLOTS, n);
    const { v: vSlot, sumDwDE, sumDw2, sumD2, sumDS, sumDw4 } = this.slots.arrays;
    vSlot.set(v);
    this.state = { v: vSlot, sumDwDE, sumDw2, sumD2, sumDS, sumDw4 };
  }

  readonly wireTerms = noWireTerms;

  statistics(): SufficientStatistics {
    return { estimator: this.name, scalars: { trials: this.trials }, arrays: copyArrays(this.state, SUMS) };
  }

  restore(s: SufficientStatistics): void {
    restoreArrays(this.state, s, SUMS);
    this.trials = s.scalars.trials;
  }

  absorb(s: SufficientStatistics): void {
    addArrays(this.state, s, SUMS);
    this.trials += s.scalars.trials;
  }

  update(b: Broadcast, dw: Float64Array): void {
    const a = oddPart(b);
    this.trials++;
    const { kernels, arrays, at } = this.slots;
    if (kernels !== null) {
      // The same sums on the kernels, two synapses per step (the same bits).
      arrays.dw.set(dw.length === this.size ? dw : dw.subarray(0, this.size));
      kernels.wp_update(this.size, a, at.dw, at.sumDwDE, at.sumDw2, at.sumD2, at.sumDS, at.sumDw4);
      return;
    }
    const { sumDwDE, sumDw2, sumD2, sumDS, sumDw4 } = this.state;
    // Stryker disable next-line EqualityOperator: i <= size is equivalent: the extra pass reads dw[n] as undefined and its writes to the length-n state arrays are dropped.
    for (let i = 0; i < this.size; i++) {
      const dwi = dw[i];
      const d = dwi * a;
      const s = dwi * dwi;
      sumDwDE[i] += d;
      sumDw2[i] += s;
      sumD2[i] += d * d;
      sumDS[i] += d * s;
      sumDw4[i] += s * s;
    }
  }

  readonly gradient = (out: Float64Array): Float64Array => {
    const { sumDwDE, sumDw2 } = this.state;
    for (let i = 0; i < this.size; i++) out[i] = sumDw2[i] > 0 ? sumDwDE[i] / sumDw2[i] : 0;
    return out;
  };

  readonly gradientStdErr = (out: Float64Array): Float64Array => {
    const T = this.trials;
    const { sumDwDE, sumDw2, sumD2, sumDS, sumDw4 } = this.state;
    for (let i = 0; i < this.size; i++) {
      if (T < 2) {
        out[i] = Infinity;
        continue;
      }
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the guard cannot change se: sumDw2[i] = 0 only for a synapse never perturbed, whose d = s = 0 make se = 0/0 = NaN with g = 0 or g = NaN alike.
      const g = sumDw2[i] > 0 ? sumDwDE[i] / sumDw2[i] : 0;
      const residual2 = (sumD2[i] - 2 * g * sumDS[i] + g * g * sumDw4[i]) / T;
      const variance = Math.max(0, residual2 * (T / (T - 1)));
      out[i] = Math.sqrt(variance / T) / (sumDw2[i] / T);
    }
    return out;
  };
}
