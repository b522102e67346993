import type { Dataset } from '../../nets/dataset.js';
import type { Rng } from '../../random/rng.js';

/**
 * Forward-only evaluation of a dense layered net for the trial loop: E(w + sΔw) without the
 * backward or R sweeps, the perturbed weights formed where they are used (never in a w + sΔw
 * array of the caller's), and nothing allocated per call. The same equations as the full pass
 * (docs/theory.md, "R{backprop}": X_l = W_l Y_{l−1} + b_l 1ᵀ, Y_l = σ_l(X_l), E = Σ_p loss),
 * forward part only; it agrees with LayeredOracle's E to round-off (test/exact/forward.test.ts).
 *
 *  - `loss(w, dw, s)`: E(w + s dw) over the selected patterns: all of them (full batch), or a
 *    minibatch chosen by `selectPatterns`.
 *  - `sampleLoss(w, dw, s, p)`: E_p(w + s dw) of pattern p alone (online trials).
 *  - `antitheticSampleLoss(w, dw, p, out)`: [E_p(w + dw), E_p(w − dw)] for one antithetic pair.
 *    The first layer's input is the same for both signs, so one sweep over W_1 and ΔW_1 gives
 *    a = W_1 x and d = ΔW_1 x, and X_1^± = a ± d + b ± Δb.
 *
 * `weightStore()` hands out the arrays to keep w and Δw in: on the wasm kernels, views of the
 * wasm memory, which the per-sample products and the store's sweeps then use without a copy.
 */
export interface LayeredForward {
  readonly kernels: 'js' | 'wasm';
  readonly size: number;
  loss(w: Float64Array, dw: Float64Array | null, s: number): number;
  /** Restricts `loss` to these pattern indices (a minibatch, at most the data set's count), or all patterns when null. */
  selectPatterns(indices: ArrayLike<number> | null): void;
  sampleLoss(w: Float64Array, dw: Float64Array | null, s: number, p: number): number;
  antitheticSampleLoss(w: Float64Array, dw: Float64Array, p: number, out: Float64Array): Float64Array;
  /**
   * One trial's reads on pattern p in one sweep (the trial loop's fused reads): out[0] = E_p(w),
   * out[1] = E_p(w + dw) and, when `antithetic`, out[2] = E_p(w − dw). The first layer's products
   * a = W_1 x and d = ΔW_1 x serve all three (X_1 = a + b, X_1^± = a ± d + b ± Δb); E_p(w ± dw)
   * are the bits of `antitheticSampleLoss` (one-sided: E_p(w + dw) those of `sampleLoss`, s = 1).
   */
  trialSampleLosses(w: Float64Array, dw: Float64Array, p: number, antithetic: boolean, out: Float64Array): Float64Array;
  /** Writes X_L, the output layer's pre-activations of the last single-pattern evaluation (sampleLoss; the + trial of the pair reads), into out. */
  lastOutputs(out: Float64Array): Float64Array;
  /**
   * Writes X_L of every selected pattern of the last `loss` call into out, row-major: the c-th
   * selected pattern's unit k at c·n_L + k (scoring a data set in batches: one loss call per
   * batch, then its outputs).
   */
  batchOutputs(out: Float64Array): Float64Array;
  weightStore(): { w: Float64Array; dw: Float64Array };
  /** Replaces the patterns (same count and widths); the current selection is kept. */
  setData(data: Dataset): void;
  /**
   * The weight store's sweeps for online training loops, on the kernels where it lives:
   * `drawSigns` fills the store's Δw with ±scale exactly as rng.fillSigns(dw, scale) does (the
   * same words, the same bytes), `drawGaussian` with Gaussian draws as rng.fillZigguratGaussian;
   * `stepWeights` adds factor·Δw to the store's w (the WP rule
   * w ← w − (η/σ²) a Δw is factor = −ηa/σ²; chips with stuck synapses step through the Optimizer of src/synapse/learning-rule.ts instead).
   */
  drawSigns(rng: Rng, scale: number): void;
  /** Fills the store's Δw with N(0, scale²) draws, the bytes of rng.fillZigguratGaussian(dw, scale). */
  drawGaussian(rng: Rng, scale: number): void;
  stepWeights(factor: number): void;
}

export function checkSameShape(old: Dataset, data: Dataset): void {
  if (data.count !== old.count || data.nIn !== old.nIn || data.nOut !== old.nOut) {
    throw new Error('setData: the new data set must have the same pattern count and widths');
  }
}

/** Validates a minibatch (indices in [0, count), at most count of them) into `into`; returns its size. */
export function checkSelection(indices: ArrayLike<number> | null, count: number, into: Int32Array): number {
  if (indices === null) {
    for (let p = 0; p < count; p++) into[p] = p;
    return count;
  }
  if (indices.length > count) throw new Error(`selectPatterns: ${indices.length} indices for ${count} patterns`);
  for (let k = 0; k < indices.length; k++) {
    const p = indices[k];
    if (!Number.isInteger(p) || p < 0 || p >= count) throw new Error(`selectPatterns: index ${p} is not a pattern of 0 … ${count - 1}`);
    into[k] = p;
  }
  return indices.length;
}
