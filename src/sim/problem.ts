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
  /**
   * For a stream that keeps a position of its own (MNIST's epoch order): back to the state it
   * was built in, so the samples that follow depend on the data stream alone. A block of an
   * estimate run starts with it (sim/blocks/run-block.ts), wherever the problem was used before.
   */
  restartSamples?(): void;
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
  /**
   * What the oracle's loss is called in rows of fresh-sample problems: `gen_error` (the expected
   * loss, teacher–student) by default, `train_set_error` (E summed over the training split, MNIST).
   */
  readonly referenceName?: string;
  /** Node perturbation's view of the problem (fresh single samples of a layered or linear net). */
  readonly nodes?: NodeAccess;
  /** For classification problems: accuracy on the training data, and the held-out split's accuracy and mean loss where there is one. */
  readonly classifier?: Classifier;
  /**
   * The chip's fused trial reads, where the problem has them (MNIST on the forward-only pass,
   * docs/benchmarks.md): a new set per chip, holding the chip's w and Δw where the reads find
   * them without a copy. Same values as `loss` at w; E(w ± Δw) formed without a w ± Δw array.
   */
  readonly trialReads?: () => TrialReads;
  /**
   * One exact SGD step on the current data, w ← w − η ∇E(w) (the bits of stepping with
   * `sampleGradient`'s ∇E), returning E(w) before it: the exact-SGD baseline's step and its
   * running error in one pass. Where absent, `sampleGradient` and `loss`.
   */
  sampleDescent?(w: Float64Array, eta: number): number;
}

/**
 * One chip's fused reads of E on the problem's current data: `w` and `dw` are the arrays the
 * chip keeps its weights and nominal perturbation in; `losses` writes out[0] = E(w),
 * out[1] = E(w + Δw) and, when antithetic, out[2] = E(w − Δw) in one sweep; `step` adds
 * factor·Δw to w (the WP rule's step w ← w − (η/⟨Δw²⟩) a Δw is factor = −(η/⟨Δw²⟩) a).
 */
export interface TrialReads {
  readonly w: Float64Array;
  readonly dw: Float64Array;
  losses(antithetic: boolean, out: Float64Array): void;
  step(factor: number): void;
  /** Fills dw with ±scale, the bytes of rng.fillSigns(dw, scale) (32 signs per random word). */
  drawSigns(rng: Rng, scale: number): void;
  /** Fills dw with N(0, scale²) draws, the bytes of rng.fillZigguratGaussian(dw, scale). */
  drawGaussian(rng: Rng, scale: number): void;
  /**
   * Exact SGD alongside, where the reads have it: its own weights `w` (kept where its sweeps
   * find them) and one step w ← w − η ∇E(w) on the current data, returning E(w) before it.
   */
  readonly descent?: { readonly w: Float64Array; step(eta: number): number };
}

/**
 * Accuracy (argmax of the outputs, or output > 0.5 for one output) of weights w: on the chip
 * (with its device variation, if any), or on the ideal net with `ideal`.
 */
export interface Classifier {
  trainAccuracy(w: Float64Array, ideal?: boolean): number;
  /** The held-out split, where the problem has one (MNIST). */
  readonly test?: { accuracy(w: Float64Array, ideal?: boolean): number; meanLoss(w: Float64Array, ideal?: boolean): number };
}

/**
 * What node perturbation needs of a problem, on the current sample: the loss with every unit's
 * summed input perturbed by ξ (one entry per unit), and each synapse's own correlation signal
 * e_i = ξ_post(i) · y_pre(i) (a bias: ξ_post(i)), y the unperturbed activities at w — the
 * presynaptic activity a synapse sees locally (docs/theory.md, "Node perturbation").
 */
export interface NodeAccess {
  readonly units: number;
  loss(w: Float64Array, xi: Float64Array): number;
  correlates(w: Float64Array, xi: Float64Array, out: Float64Array): void;
}
