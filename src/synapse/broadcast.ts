/**
 * What the environment puts on the global wires after each trial. A synapse sees these
 * scalars and nothing else of the rest of the chip (docs/theory.md, "Weight perturbation").
 */
export interface Broadcast {
  /** Trial number, 1-based. */
  trial: number;
  /** ΔE⁺ = E(w + Δw) − E(w). */
  dEPlus: number;
  /** ΔE⁻ = E(w − Δw) − E(w) for antithetic trials; NaN for one-sided ones. */
  dEMinus: number;
  /** p = Δw·v, from the summing wire. */
  p: number;
  /** Extra sums from the same summing wire that an estimator asked for (e.g. Δw·ĝ). */
  sums: Float64Array;
}

/**
 * Odd and even parts of the measured change. One-sided: both are ΔE. Antithetic:
 *   odd  = ½(ΔE⁺ − ΔE⁻) = g·Δw + O(σ³)          (no Hessian noise)
 *   even = ½(ΔE⁺ + ΔE⁻) = ½ ΔwᵀHΔw + O(σ⁴)      (no gradient noise)
 */
export function oddPart(b: Broadcast): number {
  return Number.isNaN(b.dEMinus) ? b.dEPlus : 0.5 * (b.dEPlus - b.dEMinus);
}

export function evenPart(b: Broadcast): number {
  return Number.isNaN(b.dEMinus) ? b.dEPlus : 0.5 * (b.dEPlus + b.dEMinus);
}
