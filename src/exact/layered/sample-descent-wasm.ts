import type { LayeredNet } from '../../nets/layered.js';
import { instantiateKernels, type WasmKernels } from '../../wasm/kernels.js';

/**
 * One exact SGD step on one pattern, w ← w − η ∇E_p(w), on the WebAssembly kernels, with w kept
 * in this object's wasm memory (`w`, a view: read and stepped in place). The sweeps of
 * SampleBackprop (sample-gradient.ts; docs/theory.md, "R{backprop}"), layer by layer:
 *
 *   forward   X_l = W_l Y_{l−1} + b_l (matvec), Y_l = σ_l(X_l) and S_l = σ'_l(X_l) in one sweep
 *             (the derivatives kernels, as the batched pass); e_L = ∂E/∂X_L from the loss;
 *   backward  e_{l−1} = S_{l−1} ⊙ W_lᵀ e_l (matvec_t, before W_l moves), then
 *             W_l ← W_l + (−η e_l) Y_{l−1}ᵀ (rank1), b_l ← b_l − η e_l.
 *
 * No gradient array: each layer is stepped once its backward product is formed. The steps are
 * w + (−η e_o)·y_i, rounded in that order (SampleBackprop.descend rounds w − η·(e_o y_i)): the
 * two agree to round-off (test/exact/sample-gradient.test.ts). On 784-100-10 the layer-1
 * product and update are two passes over 78 400 weights in f64x2 instead of scalar loops.
 */
export class WasmSampleDescent {
  readonly w: Float64Array;
  private readonly k: WasmKernels;
  private readonly heap: Float64Array;
  private readonly at: { w: number; x: number[]; y: number[]; s: number[]; e: number[] };
  private readonly xViews: Float64Array[];
  private readonly yViews: Float64Array[];
  private readonly sViews: Float64Array[];
  private readonly eViews: Float64Array[];

  constructor(private readonly net: LayeredNet) {
    let top = 0;
    const alloc = (doubles: number): number => {
      const at = top;
      top += Math.ceil(doubles / 2) * 16;
      return at;
    };
    const perLayer = (): number[] => net.layers.map((n) => alloc(n));
    this.at = { w: alloc(net.size), x: perLayer(), y: perLayer(), s: perLayer(), e: perLayer() };
    this.k = instantiateKernels(top);
    this.heap = new Float64Array(this.k.memory.buffer);
    const view = (at: number, doubles: number): Float64Array => this.heap.subarray(at / 8, at / 8 + doubles);
    this.w = view(this.at.w, net.size);
    this.xViews = net.layers.map((n, l) => view(this.at.x[l], n));
    this.yViews = net.layers.map((n, l) => view(this.at.y[l], n));
    this.sViews = net.layers.map((n, l) => view(this.at.s[l], n));
    this.eViews = net.layers.map((n, l) => view(this.at.e[l], n));
  }

  /** Steps `w` on the pattern at inputs[inOff…], targets[tOff…]; returns E_p before the step. */
  descend(inputs: Float64Array, inOff: number, targets: Float64Array, tOff: number, eta: number): number {
    const { k, net, heap, at } = this;
    const L = net.layers.length - 1;
    const nIn = net.layers[0];
    const y0 = this.yViews[0];
    for (let i = 0; i < nIn; i++) y0[i] = inputs[inOff + i];
    const wBase = at.w / 8;
    for (let l = 1; l <= L; l++) {
      const nI = net.layers[l - 1];
      const nO = net.layers[l];
      k.matvec(nO, nI, at.w + 8 * net.weightOffsets[l - 1], nI, at.y[l - 1], at.x[l]);
      const x = this.xViews[l];
      const b = wBase + net.biasOffsets[l - 1];
      for (let o = 0; o < nO; o++) x[o] += heap[b + o];
      if (l < L) this.activate(l);
    }
    const E = net.loss.evaluate(1, net.layers[L], net.activations[L - 1], this.xViews[L], targets, tOff, this.eViews[L], null, null);
    for (let l = L; l >= 1; l--) {
      const nI = net.layers[l - 1];
      const nO = net.layers[l];
      const wAt = at.w + 8 * net.weightOffsets[l - 1];
      if (l > 1) {
        k.matvec_t(nO, nI, wAt, nI, at.e[l], at.e[l - 1]);
        const prev = this.eViews[l - 1];
        const slope = this.sViews[l - 1];
        for (let i = 0; i < nI; i++) prev[i] *= slope[i];
      }
      k.rank1(nO, nI, -eta, at.e[l], at.y[l - 1], wAt, nI);
      const e = this.eViews[l];
      const b = wBase + net.biasOffsets[l - 1];
      for (let o = 0; o < nO; o++) heap[b + o] -= eta * e[o];
    }
    return E;
  }

  /**
   * Y_l = σ_l(X_l) and S_l = σ'_l(X_l) of hidden layer l: tanh, logistic and softplus by their
   * wasm derivatives kernels (the formulas of activations.ts, over the layer rounded up to even:
   * the padding lane reads the 0 that never changes), the others elementwise.
   */
  private activate(l: number): void {
    const { k, at } = this;
    const act = this.net.activations[l - 1];
    const count = 2 * Math.ceil(this.net.layers[l] / 2);
    if (act.name === 'tanh') k.tanh_derivatives(count, at.x[l], at.y[l], at.s[l], at.s[l], 0);
    else if (act.name === 'logistic') k.logistic_derivatives(count, at.x[l], at.y[l], at.s[l], at.s[l], 0);
    else if (act.name === 'softplus') k.softplus_derivatives(count, at.x[l], at.y[l], at.s[l], at.s[l], 0);
    else {
      const x = this.xViews[l];
      const y = this.yViews[l];
      const slope = this.sViews[l];
      for (let o = 0; o < x.length; o++) {
        y[o] = act.f(x[o]);
        slope[o] = act.d1(x[o]);
      }
    }
  }
}
