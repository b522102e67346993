import type { Dataset } from '../../nets/dataset.js';
import type { LayeredNet } from '../../nets/layered.js';
import type { Rng } from '../../random/rng.js';
import { ZIG_K, ZIG_W } from '../../random/ziggurat.js';
import { instantiateKernels, type WasmKernels } from '../../wasm/kernels.js';
import { checkSameShape, checkSelection, type LayeredForward } from './forward-common.js';
import { even, FORWARD_MAX_BYTES, forwardLayout, type ForwardLayout } from './forward-wasm-layout.js';

/**
 * The forward evaluator (forward.ts) on the WebAssembly kernels, in its own wasm memory:
 *
 *  - batches (all patterns or a minibatch) in the feature-major layout of the full pass
 *    (wasm-pass.ts): X_l = W'_l Y_{l−1} + b'_l 1ᵀ by gemm_nn over the selected patterns padded to
 *    a multiple of 8 (zero inputs and targets in the padding, which the losses ignore), with
 *    W' = w + sΔw formed once per call in wasm memory, the hidden activations in place
 *    (tanh_forward, logistic_forward, softplus; relu and linear in JavaScript), no σ' or σ'';
 *  - single patterns by matvec_pair: a = W x and d = ΔW x in one sweep, X = a + s d + b + sΔb,
 *    reading w and Δw where they lie. Kept in `weightStore()`'s views they are read in place;
 *    other arrays are first copied into those views (one pass over w and Δw).
 */
export class WasmLayeredForward implements LayeredForward {
  readonly kernels = 'wasm' as const;
  readonly size: number;
  private readonly k: WasmKernels;
  private readonly heap: Float64Array;
  private readonly L: number;
  private readonly at: ForwardLayout;
  private readonly wView: Float64Array;
  private readonly dwView: Float64Array;
  private readonly selected: Int32Array;
  /** Most patterns a batch may hold (the wasm memory is sized for it). */
  private readonly capacity: number;
  private selectedCount = 0;
  /** P̃ of the current selection: its count rounded up to a multiple of 8. */
  private Pa = 0;
  /** The selected patterns' targets, pattern-major (for the losses computed in JavaScript). */
  private readonly targets: Float64Array;
  /** Views (full-size blocks) of the output layer X_L, its scratch e_x, each Z_l, and the sample vectors. */
  private readonly outX: Float64Array;
  private readonly outD: Float64Array;
  private readonly zViews: Float64Array[];
  private readonly plusViews: Float64Array[];
  private readonly minusViews: Float64Array[];
  private readonly baseViews: Float64Array[];
  private readonly sampleD: Float64Array;
  /** The uint32 words of one drawSigns call (⌈n/32⌉), a view of wasm memory. */
  private readonly words: Uint32Array;
  /** drawGaussian's stream state (4 int32) and the word of its last miss, a view of wasm memory. */
  private readonly zigState: Int32Array;

  constructor(private readonly net: LayeredNet, private data: Dataset, batchCapacity = data.count) {
    this.size = net.size;
    this.L = net.layers.length - 1;
    this.capacity = Math.min(batchCapacity, data.count);
    this.at = forwardLayout(net, this.capacity);
    if (this.at.bytes > FORWARD_MAX_BYTES) {
      throw new Error(`the wasm forward pass needs ${this.at.bytes} bytes for batches of ${this.capacity} patterns, above its limit of ${FORWARD_MAX_BYTES}; use a smaller batchCapacity or the js kernels`);
    }
    this.k = instantiateKernels(this.at.bytes);
    this.heap = new Float64Array(this.k.memory.buffer);
    const view = (at: number, doubles: number): Float64Array => this.heap.subarray(at / 8, at / 8 + doubles);
    const { Pp } = this.at;
    const nL = net.layers[this.L];
    this.wView = view(this.at.w, net.size);
    this.dwView = view(this.at.dw, net.size);
    this.outX = view(this.at.Z[this.L], nL * Pp);
    this.outD = view(this.at.D, nL * Pp);
    this.zViews = net.layers.map((n, l) => (l >= 1 ? view(this.at.Z[l], n * Pp) : new Float64Array(0)));
    this.plusViews = net.layers.map((n, l) => view(this.at.plus[l], n));
    this.minusViews = net.layers.map((n, l) => view(this.at.minus[l], n));
    this.baseViews = net.layers.map((n, l) => view(this.at.base[l], n));
    this.sampleD = new Float64Array(nL);
    this.words = new Uint32Array(this.k.memory.buffer, this.at.words, Math.ceil(net.size / 32));
    this.zigState = new Int32Array(this.k.memory.buffer, this.at.zigState, 5);
    this.heap.set(ZIG_K, this.at.zigK / 8);
    this.heap.set(ZIG_W, this.at.zigW / 8);
    this.selected = new Int32Array(data.count);
    this.targets = new Float64Array(this.capacity * data.nOut);
    // All patterns when they fit, else none until a minibatch is selected.
    if (this.capacity === data.count) this.selectPatterns(null);
  }

  lastOutputs(out: Float64Array): Float64Array {
    out.set(this.plusViews[this.L]);
    return out;
  }

  batchOutputs(out: Float64Array): Float64Array {
    // X_L is feature-major in the pass: unit k of the c-th selected pattern at k·Pa + c.
    const { heap, Pa } = this;
    const nL = this.net.layers[this.L];
    const x = this.at.Z[this.L] / 8;
    for (let c = 0; c < this.selectedCount; c++) for (let k = 0; k < nL; k++) out[c * nL + k] = heap[x + k * Pa + c];
    return out;
  }

  weightStore(): { w: Float64Array; dw: Float64Array } {
    return { w: this.wView, dw: this.dwView };
  }

  drawSigns(rng: Rng, scale: number): void {
    const { heap } = this;
    const t = this.at.signTable / 8;
    // table[b] = (bit 0 of b ? s : −s, bit 1 of b ? s : −s)
    for (let b = 0; b < 4; b++) {
      heap[t + 2 * b] = (b & 1) !== 0 ? scale : -scale;
      heap[t + 2 * b + 1] = (b & 2) !== 0 ? scale : -scale;
    }
    rng.fillWords(this.words);
    this.k.expand_signs(this.size, this.at.words, this.at.signTable, this.at.dw);
  }

  drawGaussian(rng: Rng, scale: number): void {
    // The fast path on the kernels from the stream's state; each miss's wedge or tail test in
    // JavaScript on the same stream, then on from the next draw.
    const { k, at, zigState } = this;
    const n = this.size;
    rng.saveState(zigState);
    let i = k.ziggurat_fast(n, 0, at.dw, at.zigState, at.zigK, at.zigW, scale);
    while (i < n) {
      rng.loadState(zigState);
      this.dwView[i] = rng.zigguratMiss(zigState[4], scale);
      rng.saveState(zigState);
      i = k.ziggurat_fast(n, i + 1, at.dw, at.zigState, at.zigK, at.zigW, scale);
    }
    rng.loadState(zigState);
  }

  stepWeights(factor: number): void {
    this.k.axpy(this.size, factor, this.at.dw, this.at.w);
  }

  setData(data: Dataset): void {
    checkSameShape(this.data, data);
    this.data = data;
    this.selectPatterns(this.selected.slice(0, this.selectedCount));
  }

  selectPatterns(indices: ArrayLike<number> | null): void {
    const { net, data, heap } = this;
    const count = checkSelection(indices, data.count, this.selected);
    if (count > this.capacity) throw new Error(`selectPatterns: ${count} patterns above the batch capacity ${this.capacity}`);
    this.selectedCount = count;
    const Pa = Math.ceil(count / 8) * 8;
    this.Pa = Pa;
    const nIn = net.layers[0];
    const nOut = net.layers[this.L];
    const y0 = this.at.Z[0] / 8;
    const t = this.at.T / 8;
    heap.fill(0, y0, y0 + nIn * Pa);
    heap.fill(0, t, t + nOut * Pa);
    for (let c = 0; c < count; c++) {
      const p = this.selected[c];
      for (let i = 0; i < nIn; i++) heap[y0 + i * Pa + c] = data.inputs[p * nIn + i];
      for (let o = 0; o < nOut; o++) {
        heap[t + o * Pa + c] = data.targets[p * nOut + o];
        this.targets[c * nOut + o] = data.targets[p * nOut + o];
      }
    }
  }

  loss(w: Float64Array, dw: Float64Array | null, s: number): number {
    const { k, heap, net, L, Pa } = this;
    const n = net.size;
    // W' = w + sΔw, formed in wasm memory.
    const wp = this.at.wPert / 8;
    if (dw === null || s === 0) for (let i = 0; i < n; i++) heap[wp + i] = w[i];
    else for (let i = 0; i < n; i++) heap[wp + i] = w[i] + s * dw[i];
    for (let l = 1; l <= L; l++) {
      const nI = net.layers[l - 1];
      const nO = net.layers[l];
      k.gemm_nn(nO, Pa, nI, this.at.wPert + 8 * net.weightOffsets[l - 1], nI, this.at.Z[l - 1], Pa, this.at.Z[l], Pa, 0,
        this.at.wPert + 8 * net.biasOffsets[l - 1]);
      if (l < L) this.activate(l, this.at.Z[l], this.zViews[l], nO * Pa);
    }
    const nL = net.layers[L];
    if (net.lossName === 'softmax-cross-entropy') {
      return k.softmax_cross_entropy(Pa, nL, Pa, this.at.Z[L], this.at.T, this.at.D, -1, 0);
    }
    return net.loss.evaluate(this.selectedCount, nL, net.activations[L - 1], this.outX, this.targets, 0, this.outD, null, null, 1, Pa);
  }

  sampleLoss(w: Float64Array, dw: Float64Array | null, s: number, p: number): number {
    const { k, net, L } = this;
    const wAt = this.place(w, this.wView, this.at.w);
    const dwAt = dw === null ? wAt : this.place(dw, this.dwView, this.at.dw);
    const sd = dw === null ? 0 : s;
    this.loadSample(p);
    for (let l = 1; l <= L; l++) {
      const nI = net.layers[l - 1];
      const nO = net.layers[l];
      const wOff = 8 * net.weightOffsets[l - 1];
      k.matvec_pair(nO, nI, wAt + wOff, dwAt + wOff, nI, this.at.plus[l - 1], this.at.a, this.at.d);
      this.combine(l, wAt, dwAt, sd, 1, this.plusViews[l]);
      if (l < L) this.activate(l, this.at.plus[l], this.plusViews[l], even(nO));
    }
    return this.outputLoss(this.plusViews, p);
  }

  antitheticSampleLoss(w: Float64Array, dw: Float64Array, p: number, out: Float64Array): Float64Array {
    this.sweepSample(w, dw, p, false, true);
    out[0] = this.outputLoss(this.plusViews, p);
    out[1] = this.outputLoss(this.minusViews, p);
    return out;
  }

  trialSampleLosses(w: Float64Array, dw: Float64Array, p: number, antithetic: boolean, out: Float64Array): Float64Array {
    this.sweepSample(w, dw, p, true, antithetic);
    out[0] = this.outputLoss(this.baseViews, p);
    out[1] = this.outputLoss(this.plusViews, p);
    if (antithetic) out[2] = this.outputLoss(this.minusViews, p);
    return out;
  }

  /**
   * Pattern p forward at w (when `withBase`), w + dw and (when `antithetic`) w − dw, into the
   * base, plus and minus vectors. Layer 1 takes one sweep over W_1 and ΔW_1 for all of them
   * (the input is shared); deeper layers one sweep per vector.
   */
  private sweepSample(w: Float64Array, dw: Float64Array, p: number, withBase: boolean, antithetic: boolean): void {
    const { k, net, L } = this;
    const wAt = this.place(w, this.wView, this.at.w);
    const dwAt = this.place(dw, this.dwView, this.at.dw);
    this.loadSample(p);
    for (let l = 1; l <= L; l++) {
      const nI = net.layers[l - 1];
      const nO = net.layers[l];
      const wOff = 8 * net.weightOffsets[l - 1];
      if (l === 1) {
        k.matvec_pair(nO, nI, wAt + wOff, dwAt + wOff, nI, this.at.plus[0], this.at.a, this.at.d);
        if (withBase) this.combineBase(l, wAt, this.baseViews[l]);
        this.combine(l, wAt, dwAt, 1, 1, this.plusViews[l]);
        if (antithetic) this.combine(l, wAt, dwAt, 1, -1, this.minusViews[l]);
      } else {
        if (withBase) {
          k.matvec_pair(nO, nI, wAt + wOff, dwAt + wOff, nI, this.at.base[l - 1], this.at.a, this.at.d);
          this.combineBase(l, wAt, this.baseViews[l]);
        }
        k.matvec_pair(nO, nI, wAt + wOff, dwAt + wOff, nI, this.at.plus[l - 1], this.at.a, this.at.d);
        this.combine(l, wAt, dwAt, 1, 1, this.plusViews[l]);
        if (antithetic) {
          k.matvec_pair(nO, nI, wAt + wOff, dwAt + wOff, nI, this.at.minus[l - 1], this.at.a, this.at.d);
          this.combine(l, wAt, dwAt, 1, -1, this.minusViews[l]);
        }
      }
      if (l < L) {
        if (withBase) this.activate(l, this.at.base[l], this.baseViews[l], even(nO));
        this.activate(l, this.at.plus[l], this.plusViews[l], even(nO));
        if (antithetic) this.activate(l, this.at.minus[l], this.minusViews[l], even(nO));
      }
    }
  }

  /** E_p of the output layer held in views[L] (pattern p's targets). */
  private outputLoss(views: readonly Float64Array[], p: number): number {
    const { net, L } = this;
    const tOff = p * this.data.nOut;
    if (net.loss.value !== undefined) return net.loss.value(net.layers[L], views[L], this.data.targets, tOff);
    return net.loss.evaluate(1, net.layers[L], net.activations[L - 1], views[L], this.data.targets, tOff, this.sampleD, null, null);
  }


  /** Byte address of `a` in wasm memory: itself when it is the store's view, else copied into it. */
  private place(a: Float64Array, store: Float64Array, at: number): number {
    if (a === store || (a.buffer === store.buffer && a.byteOffset === store.byteOffset)) return at;
    store.set(a);
    return at;
  }

  /** Pattern p's inputs into the sample vector of layer 0 (padding stays 0). */
  private loadSample(p: number): void {
    const nIn = this.net.layers[0];
    const y0 = this.plusViews[0];
    const inputs = this.data.inputs;
    // A loop, not set(subarray(…)): no view allocated per trial.
    for (let i = 0; i < nIn; i++) y0[i] = inputs[p * nIn + i];
  }

  /** X_l = a + σ d + b + sign·s Δb with σ = sign·s, from the last matvec_pair (a, d) of layer l. */
  private combine(l: number, wAt: number, dwAt: number, s: number, sign: number, out: Float64Array): void {
    const { heap, net } = this;
    const nO = net.layers[l];
    const a = this.at.a / 8;
    const d = this.at.d / 8;
    const b = wAt / 8 + net.biasOffsets[l - 1];
    const db = dwAt / 8 + net.biasOffsets[l - 1];
    const f = sign * s;
    for (let o = 0; o < nO; o++) out[o] = heap[b + o] + f * heap[db + o] + (heap[a + o] + f * heap[d + o]);
  }

  /** X_l = a + b from the last matvec_pair (a, d) of layer l: the unperturbed net (sampleLoss's bits with dw = null). */
  private combineBase(l: number, wAt: number, out: Float64Array): void {
    const { heap, net } = this;
    const nO = net.layers[l];
    const a = this.at.a / 8;
    const b = wAt / 8 + net.biasOffsets[l - 1];
    for (let o = 0; o < nO; o++) out[o] = heap[b + o] + heap[a + o];
  }

  /** Y = σ_l(X) in place on `count` values at byte address `at` (view: the same values). */
  private activate(l: number, at: number, view: Float64Array, count: number): void {
    const act = this.net.activations[l - 1];
    if (act.name === 'tanh') this.k.tanh_forward(count, at, at);
    else if (act.name === 'logistic') this.k.logistic_forward(count, at, at);
    else if (act.name === 'softplus') this.k.softplus_derivatives(count, at, at, this.at.S1, this.at.S1, 0);
    else for (let i = 0; i < count; i++) view[i] = act.f(view[i]);
  }
}
