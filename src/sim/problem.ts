import type { Oracle } from '../exact/oracle.js';
import type { Rng } from '../random/rng.js';

/**
 * What the simulator needs of a problem: the measured loss E on the current trial's data,
 * fresh data when the problem has them, and the exact oracle of the quantity the estimates
 * are judged against (for fixed data sets, E itself; for fresh samples, the expected loss).
 */
export interface SimProblem {
  readonly name: string;
  /** Number of weights (synapses). */
  readonly size: number;
  /** Initial weights. */
  readonly w0: Float64Array;
  /** True when every trial draws new data, so E(w) must be measured every trial. */
  readonly freshData: boolean;
  /** Draws this trial's data from the data stream (no-op for fixed data). */
  nextSample(rng: Rng): void;
  /** E at w on the current data. */
  loss(w: Float64Array): number;
  /** ∇ of the loss on the current data (the exact per-trial gradient, for the exact-GD comparison). */
  sampleGradient(w: Float64Array, g: Float64Array): void;
  /** The exact reference: E, ∇E and Hv of the (expected) loss. */
  readonly oracle: Oracle;
  /** A short description for logs, e.g. "xor 2-2-1 tanh/logistic, cross-entropy". */
  readonly description: string;
  /** The kernel path of a layered net's oracle ('wasm' or 'js'); absent for other problems (docs/formats.md, "Kernels and bytes"). */
  readonly kernels?: 'js' | 'wasm';
}
