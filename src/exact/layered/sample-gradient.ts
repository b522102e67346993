import type { LayeredNet } from '../../nets/layered.js';

/**
 * E_p and ∇E_p of one pattern of a dense layered net by backprop, the first-order sweeps of
 * docs/theory.md, "R{backprop}", for a single pattern: forward X_l = W_l Y_{l−1} + b_l,
 * Y_l = σ_l(X_l); at the output e_L = ∂E/∂X_L from the loss; then for l = L … 1
 *
 *   ∂E/∂W_l = e_l Y_{l−1}ᵀ,   ∂E/∂b_l = e_l,   e_{l−1} = σ'_{l−1}(X_{l−1}) ⊙ (W_lᵀ e_l).
 *
 * Scalar JavaScript over the flat weight vector (row-major W_l, then b_l: docs/formats.md), one
 * work vector per layer allocated once, nothing per call. This is the exact-SGD baseline's step
 * on online samples, where the batched pass (LayeredOracle) would pad one pattern to eight;
 * it agrees with LayeredOracle's gradient to round-off (test/exact/sample-gradient.test.ts).
 */
export class SampleBackprop {
  /** Per layer: X_l (pre-activations) and Y_l (l ≥ 1), e_l; index 0 unused. */
  private readonly x: Float64Array[];
  private readonly y: Float64Array[];
  private readonly e: Float64Array[];

  constructor(private readonly net: LayeredNet) {
    this.x = net.layers.map((n) => new Float64Array(n));
    this.y = net.layers.map((n) => new Float64Array(n));
    this.e = net.layers.map((n) => new Float64Array(n));
  }

  /** Writes ∇E_p(w) into g (length n) and returns E_p(w), for the pattern at inputs[inOff…], targets[tOff…]. */
  lossAndGradient(w: Float64Array, inputs: Float64Array, inOff: number, targets: Float64Array, tOff: number, g: Float64Array): number {
    return this.sweep(w, inputs, inOff, targets, tOff, g, 0);
  }

  /**
   * One exact SGD step on the pattern, w ← w − η ∇E_p(w), without a gradient array: each entry
   * w_k − η·g_k with g_k formed as in `lossAndGradient` (the same bits as stepping with its g).
   * Returns E_p(w) before the step.
   */
  descend(w: Float64Array, inputs: Float64Array, inOff: number, targets: Float64Array, tOff: number, eta: number): number {
    return this.sweep(w, inputs, inOff, targets, tOff, null, eta);
  }

  /** Forward, then backward writing ∇E_p to g, or (g null) stepping w by −η ∇E_p layer by layer once e_{l−1} is formed. */
  private sweep(w: Float64Array, inputs: Float64Array, inOff: number, targets: Float64Array, tOff: number, g: Float64Array | null, eta: number): number {
    const { net, x, y, e } = this;
    const L = net.layers.length - 1;
    const nIn = net.layers[0];
    const y0 = y[0];
    for (let i = 0; i < nIn; i++) y0[i] = inputs[inOff + i];
    for (let l = 1; l <= L; l++) {
      const nI = net.layers[l - 1];
      const nO = net.layers[l];
      const wOff = net.weightOffsets[l - 1];
      const bOff = net.biasOffsets[l - 1];
      const input = y[l - 1];
      const xl = x[l];
      for (let o = 0; o < nO; o++) {
        const row = wOff + o * nI;
        let sum = 0;
        for (let i = 0; i < nI; i++) sum += w[row + i] * input[i];
        xl[o] = sum + w[bOff + o];
      }
      if (l < L) {
        const act = net.activations[l - 1];
        const yl = y[l];
        for (let o = 0; o < nO; o++) yl[o] = act.f(xl[o]);
      }
    }
    const nL = net.layers[L];
    const E = net.loss.evaluate(1, nL, net.activations[L - 1], x[L], targets, tOff, e[L], null, null);
    for (let l = L; l >= 1; l--) {
      const nI = net.layers[l - 1];
      const nO = net.layers[l];
      const wOff = net.weightOffsets[l - 1];
      const bOff = net.biasOffsets[l - 1];
      const el = e[l];
      const input = y[l - 1];
      if (g !== null) {
        for (let o = 0; o < nO; o++) {
          const row = wOff + o * nI;
          const eo = el[o];
          for (let i = 0; i < nI; i++) g[row + i] = eo * input[i];
          g[bOff + o] = eo;
        }
      }
      if (l > 1) {
        // e_{l−1} = σ'(X_{l−1}) ⊙ W_lᵀ e_l, accumulated row by row (W_l read in its stored order).
        const prev = e[l - 1];
        prev.fill(0);
        for (let o = 0; o < nO; o++) {
          const row = wOff + o * nI;
          const eo = el[o];
          for (let i = 0; i < nI; i++) prev[i] += w[row + i] * eo;
        }
        const act = net.activations[l - 2];
        const xp = x[l - 1];
        for (let i = 0; i < nI; i++) prev[i] *= act.d1(xp[i]);
      }
      if (g === null) {
        // W_l is no longer needed by the backward sweep: step it.
        for (let o = 0; o < nO; o++) {
          const row = wOff + o * nI;
          const eo = el[o];
          for (let i = 0; i < nI; i++) w[row + i] -= eta * (eo * input[i]);
          w[bOff + o] -= eta * eo;
        }
      }
    }
    return E;
  }
}
