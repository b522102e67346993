import type { Broadcast } from './broadcast.js';
import type { PerturbationName } from './perturbation.js';

export const ESTIMATOR_NAMES = ['wp', 'seed', 'moment', 'joint-lms'] as const;
export type EstimatorName = (typeof ESTIMATOR_NAMES)[number];

/** Constants every synapse is built with: the perturbation law and the direction's norm. */
export interface SynapseConstants {
  /** Number of synapses n. */
  readonly size: number;
  readonly law: PerturbationName;
  readonly sigma: number;
  /** κ = E ξ⁴ of the law. */
  readonly kappa: number;
  readonly antithetic: boolean;
}

/**
 * A population of n synapse agents with struct-of-arrays state. `update` loops over the
 * synapses and, for synapse i, reads and writes only slot i of its arrays, its own Δw_i and
 * v_i, its constants and the broadcast: that locality is the simulator's point, and the
 * import graph (synapse/ never imports exact/ or nets/) and a test prove it.
 */
export interface SynapsePopulation {
  readonly name: EstimatorName;
  readonly size: number;
  /** How many extra sums this estimator needs on the summing wire (0 for most). */
  readonly wireSums: number;
  /**
   * The summing wire (global hardware, not a synapse): sums[k] = Σ_i term_k(i) over the
   * synapses' local terms, e.g. Δw·ĝ. Called before the broadcast is formed.
   */
  wire(dw: Float64Array, sums: Float64Array): void;
  /** One trial's local updates. */
  update(b: Broadcast, dw: Float64Array): void;
  /** Current ĝ (readable at any trial). */
  gradient(out: Float64Array): Float64Array;
  /** Current ẑ ≈ (Hv) (readable at any trial). */
  hv(out: Float64Array): Float64Array;
  /** Current Ĥ_ii, or null when this estimator does not estimate it (or cannot). */
  hessianDiagonal(out: Float64Array): Float64Array | null;
  /** Standard errors of ĝ and ẑ when the estimator tracks them, else null. */
  gradientStdErr(out: Float64Array): Float64Array | null;
  hvStdErr(out: Float64Array): Float64Array | null;
  /** Every state array by name, for inspection and the locality test. */
  readonly state: Readonly<Record<string, Float64Array>>;
}

/**
 * |v|², a constant every synapse is built with (docs/theory.md, "Weight perturbation": σ, |v|² and κ are known locally).
 * Computed once when the population is made, from the direction it is given.
 */
export function squaredNorm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}
