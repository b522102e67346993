import type { Broadcast } from './broadcast.js';
import type { PerturbationName } from './perturbation.js';

export const ESTIMATOR_NAMES = ['wp', 'seed', 'moment', 'joint-lms', 'node'] as const;
export type EstimatorName = (typeof ESTIMATOR_NAMES)[number];

/**
 * Constants every synapse is built with (docs/theory.md, "Weight perturbation": σ, κ, |v|² and
 * the chip's size are known locally). They are the same for every synapse of a chip, so a
 * population holding any subset of the chip's synapses is built with the same constants.
 */
export interface SynapseConstants {
  /** Number of synapses n on the chip. */
  readonly size: number;
  readonly law: PerturbationName;
  readonly sigma: number;
  /** κ = E ξ⁴ of the law. */
  readonly kappa: number;
  readonly antithetic: boolean;
  /** |v|² of the chip's direction v. */
  readonly vNorm2: number;
}

/** Reads an estimate of every synapse the population holds into `out` and returns it. */
export type Readout = (out: Float64Array) => Float64Array;

/**
 * A population of synapse agents with struct-of-arrays state, one slot per synapse it holds
 * (the whole chip, or any subset: the slots are `v.length` at construction).
 *
 * Locality: `update` receives the broadcast and, for each held synapse i, only its own Δw_i,
 * its own slots and the constants. That is the simulator's point, and it is proved two ways:
 * the import graph (synapse/ never imports exact/, nets/ or sim/), and a test that runs the
 * chip's n synapses as one population and as n one-synapse populations fed the same broadcasts,
 * and gets the same bits.
 *
 * What an estimator provides is declared by which readouts exist: `gradient` always; `hv`,
 * `hessianDiagonal`, `gradientStdErr`, `hvStdErr` only where the estimator estimates them (a
 * metric it does not provide is an empty cell in the rows, never 0 or 1).
 */
export interface SynapsePopulation {
  readonly name: EstimatorName;
  /** Number of synapses held. */
  readonly size: number;
  /**
   * How many sums this estimator needs from the summing wire (0 for most). The wire belongs to
   * the environment: it sums the local terms this population writes in `wireTerms`.
   */
  readonly wireSums: number;
  /** Writes synapse i's local term of wire sum k into terms[k][i] (e.g. Δw_i ĝ_i). */
  wireTerms(dw: Float64Array, terms: readonly Float64Array[]): void;
  /** One trial's local updates. */
  update(b: Broadcast, dw: Float64Array): void;
  /** Current ĝ (readable at any trial). */
  readonly gradient: Readout;
  /** Current ẑ ≈ Hv, where estimated. */
  readonly hv?: Readout;
  /** Current Ĥ_ii, where estimated. */
  readonly hessianDiagonal?: Readout;
  /** Standard errors of ĝ and ẑ, where tracked. */
  readonly gradientStdErr?: Readout;
  readonly hvStdErr?: Readout;
  /** Every state array by name, for inspection, dead-synapse masking and the locality test. */
  readonly state: Readonly<Record<string, Float64Array>>;
}

/** The readouts a population may provide, by name. */
export const READOUTS = ['gradient', 'hv', 'hessianDiagonal', 'gradientStdErr', 'hvStdErr'] as const;
export type ReadoutName = (typeof READOUTS)[number];


/** |v|², computed once by whoever builds the chip's constants. */
export function squaredNorm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}

/** No wire sums: the estimators that need only ΔE and p. */
export function noWireTerms(): void {}
