/**
 * The learning rules a synapse applies to its own weight (docs/theory.md, "Weight
 * perturbation"). Both are local: synapse i reads its own Δw_i or ĝ_i, the broadcast scalar and
 * the chip-wide step size, and writes only w_i. A stuck synapse (a fault of the chip, mask 1)
 * keeps its weight.
 */

/**
 * The classic weight-perturbation rule, every trial: w_i ← w_i − (η/σ²) a Δw_i, where a is the
 * broadcast odd part of ΔE (ΔE, or ½(ΔE⁺ − ΔE⁻) on antithetic trials). E[a Δw_i] = σ² g_i, so
 * on average this is a gradient step of size η.
 */
export function wpRuleStep(w: Float64Array, dw: Float64Array, a: number, eta: number, sigma: number, stuck: Uint8Array): void {
  const k = eta / sigma ** 2;
  for (let i = 0; i < w.length; i++) if (!stuck[i]) w[i] -= k * a * dw[i];
}

/** A step on the synapses' own gradient estimates: w_i ← w_i − η ĝ_i. */
export function estimateStep(w: Float64Array, gHat: Float64Array, eta: number, stuck: Uint8Array): void {
  for (let i = 0; i < w.length; i++) if (!stuck[i]) w[i] -= eta * gHat[i];
}
