import { oddPart, type Broadcast } from './broadcast.js';
import { noWireTerms, type SynapseConstants, type SynapsePopulation } from './estimator.js';

/**
 * First-order weight perturbation (the seed's): ĝ_i = ⟨Δw_i ΔE⟩ / ⟨Δw_i²⟩, with ΔE replaced
 * by the odd part ½(ΔE⁺ − ΔE⁻) on antithetic trials. E[Δw_i ΔE] = σ² g_i + O(σ⁴) for any
 * symmetric law; the other synapses' Σ_{j≠i} g_j Δw_j is its noise. The standard error comes
 * from the sample variance of the per-trial products d = Δw_i ΔE:
 * se(ĝ_i) = sqrt(Var(d)/T) / ⟨Δw_i²⟩.
 * Slots per synapse: sumDwDE (Σ d), sumDw2 (Σ Δw_i²), sumD2 (Σ d²). First-order WP has no
 * curvature estimate: it provides ĝ and its standard error only.
 */
export class WpPopulation implements SynapsePopulation {
  readonly name = 'wp' as const;
  readonly wireSums = 0;
  readonly size: number;
  readonly state: { v: Float64Array; sumDwDE: Float64Array; sumDw2: Float64Array; sumD2: Float64Array };
  private trials = 0;

  constructor(readonly constants: SynapseConstants, v: Float64Array) {
    const n = v.length;
    this.size = n;
    this.state = {
      v: Float64Array.from(v),
      sumDwDE: new Float64Array(n),
      sumDw2: new Float64Array(n),
      sumD2: new Float64Array(n),
    };
  }

  readonly wireTerms = noWireTerms;

  update(b: Broadcast, dw: Float64Array): void {
    const a = oddPart(b);
    const { sumDwDE, sumDw2, sumD2 } = this.state;
    this.trials++;
    for (let i = 0; i < this.size; i++) {
      const dwi = dw[i];
      const d = dwi * a;
      sumDwDE[i] += d;
      sumDw2[i] += dwi * dwi;
      sumD2[i] += d * d;
    }
  }

  readonly gradient = (out: Float64Array): Float64Array => {
    const { sumDwDE, sumDw2 } = this.state;
    for (let i = 0; i < this.size; i++) out[i] = sumDw2[i] > 0 ? sumDwDE[i] / sumDw2[i] : 0;
    return out;
  };

  readonly gradientStdErr = (out: Float64Array): Float64Array => {
    const T = this.trials;
    const { sumDwDE, sumDw2, sumD2 } = this.state;
    for (let i = 0; i < this.size; i++) {
      if (T < 2) {
        out[i] = Infinity;
        continue;
      }
      const mean = sumDwDE[i] / T;
      const variance = Math.max(0, (sumD2[i] / T - mean * mean) * (T / (T - 1)));
      out[i] = Math.sqrt(variance / T) / (sumDw2[i] / T);
    }
    return out;
  };
}
