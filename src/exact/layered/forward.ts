import type { Dataset } from '../../nets/dataset.js';
import type { LayeredNet } from '../../nets/layered.js';
import type { Rng } from '../../random/rng.js';
import { wasmKernelsUnavailable } from '../../wasm/kernels.js';
import { checkSameShape, checkSelection, type LayeredForward } from './forward-common.js';
import { WasmLayeredForward } from './forward-wasm.js';
import type { LayeredKernels } from './pass.js';

export type { LayeredForward } from './forward-common.js';

/**
 * The forward evaluator on the requested kernels ('auto': wasm when the module loads).
 * `batchCapacity` (wasm) bounds the patterns a batch may hold, and so the wasm memory: online
 * training on a large data set needs only single patterns (capacity 0).
 */
export function layeredForward(
  net: LayeredNet, data: Dataset, options: { kernels?: LayeredKernels; batchCapacity?: number } = {},
): LayeredForward {
  const requested = options.kernels ?? 'auto';
  const reason = wasmKernelsUnavailable();
  if (requested === 'wasm' && reason !== null) throw new Error(`layeredForward: kernels 'wasm' requested but ${reason}`);
  const wasm = requested === 'wasm' || (requested === 'auto' && reason === null);
  return wasm ? new WasmLayeredForward(net, data, options.batchCapacity) : new JsLayeredForward(net, data);
}

/**
 * The JavaScript forward evaluator: pattern by pattern, scalar loops over w and dw directly
 * ((w + s dw)_k formed in the product), per-layer work vectors allocated once.
 */
export class JsLayeredForward implements LayeredForward {
  readonly kernels = 'js' as const;
  readonly size: number;
  private selected: Int32Array;
  private selectedCount: number;
  /** Per layer, the unit values of the current pattern (index 0: the inputs' copy unused). */
  private readonly h: Float64Array[];
  private readonly hMinus: Float64Array[];
  private readonly a: Float64Array;
  private readonly d: Float64Array;
  private readonly dx: Float64Array;
  private readonly store: { w: Float64Array; dw: Float64Array };
  private readonly pair = new Float64Array(2);
  /** X_L of the selected patterns of the last `loss` call (row-major), allocated on first use. */
  private outputs: Float64Array | null = null;
  private outputsCount = 0;

  constructor(private readonly net: LayeredNet, private data: Dataset) {
    this.size = net.size;
    this.selected = Int32Array.from({ length: data.count }, (_, p) => p);
    this.selectedCount = data.count;
    this.h = net.layers.map((n) => new Float64Array(n));
    this.hMinus = net.layers.map((n) => new Float64Array(n));
    const widest = Math.max(...net.layers);
    this.a = new Float64Array(widest);
    this.d = new Float64Array(widest);
    this.dx = new Float64Array(net.layers[net.layers.length - 1]);
    this.store = { w: new Float64Array(net.size), dw: new Float64Array(net.size) };
  }

  selectPatterns(indices: ArrayLike<number> | null): void {
    this.selectedCount = checkSelection(indices, this.data.count, this.selected);
  }

  setData(data: Dataset): void {
    checkSameShape(this.data, data);
    this.data = data;
  }

  loss(w: Float64Array, dw: Float64Array | null, s: number): number {
    let E = 0;
    const last = this.h[this.h.length - 1];
    const nL = last.length;
    this.outputs ??= new Float64Array(this.data.count * nL);
    for (let k = 0; k < this.selectedCount; k++) {
      E += this.sampleLoss(w, dw, s, this.selected[k]);
      this.outputs.set(last, k * nL);
    }
    this.outputsCount = this.selectedCount;
    return E;
  }

  batchOutputs(out: Float64Array): Float64Array {
    const nL = this.h[this.h.length - 1].length;
    if (this.outputs !== null) out.set(this.outputs.subarray(0, this.outputsCount * nL));
    return out;
  }

  sampleLoss(w: Float64Array, dw: Float64Array | null, s: number, p: number): number {
    const { net, data, h } = this;
    const x = data.inputs;
    const nIn = net.layers[0];
    const L = net.layers.length - 1;
    for (let l = 1; l <= L; l++) {
      const nI = net.layers[l - 1];
      const nO = net.layers[l];
      const wOff = net.weightOffsets[l - 1];
      const bOff = net.biasOffsets[l - 1];
      const input = l === 1 ? x : h[l - 1];
      const inOff = l === 1 ? p * nIn : 0;
      const out = h[l];
      for (let o = 0; o < nO; o++) {
        const row = wOff + o * nI;
        let sum = dw === null ? w[bOff + o] : w[bOff + o] + s * dw[bOff + o];
        if (dw === null) for (let i = 0; i < nI; i++) sum += w[row + i] * input[inOff + i];
        else for (let i = 0; i < nI; i++) sum += (w[row + i] + s * dw[row + i]) * input[inOff + i];
        out[o] = sum;
      }
      if (l < L) activate(net, l, out);
    }
    return this.outputLoss(h[L], p);
  }

  antitheticSampleLoss(w: Float64Array, dw: Float64Array, p: number, out: Float64Array): Float64Array {
    const { net, data, h, hMinus, a, d } = this;
    const L = net.layers.length - 1;
    const nIn = net.layers[0];
    for (let l = 1; l <= L; l++) {
      const nI = net.layers[l - 1];
      const nO = net.layers[l];
      const wOff = net.weightOffsets[l - 1];
      const bOff = net.biasOffsets[l - 1];
      if (l === 1) {
        // One sweep for both signs: a = W x, d = ΔW x.
        const x = data.inputs;
        const inOff = p * nIn;
        for (let o = 0; o < nO; o++) {
          const row = wOff + o * nI;
          let sa = 0;
          let sd = 0;
          for (let i = 0; i < nI; i++) {
            const xi = x[inOff + i];
            sa += w[row + i] * xi;
            sd += dw[row + i] * xi;
          }
          a[o] = sa;
          d[o] = sd;
        }
        for (let o = 0; o < nO; o++) {
          h[1][o] = w[bOff + o] + dw[bOff + o] + (a[o] + d[o]);
          hMinus[1][o] = w[bOff + o] - dw[bOff + o] + (a[o] - d[o]);
        }
      } else {
        perturbedProduct(nO, nI, w, dw, wOff, bOff, 1, h[l - 1], h[l]);
        perturbedProduct(nO, nI, w, dw, wOff, bOff, -1, hMinus[l - 1], hMinus[l]);
      }
      if (l < L) {
        activate(net, l, h[l]);
        activate(net, l, hMinus[l]);
      }
    }
    out[0] = this.outputLoss(h[L], p);
    out[1] = this.outputLoss(hMinus[L], p);
    return out;
  }

  trialSampleLosses(w: Float64Array, dw: Float64Array, p: number, antithetic: boolean, out: Float64Array): Float64Array {
    out[0] = this.sampleLoss(w, null, 0, p);
    if (!antithetic) {
      out[1] = this.sampleLoss(w, dw, 1, p);
      return out;
    }
    const pair = this.antitheticSampleLoss(w, dw, p, this.pair);
    out[1] = pair[0];
    out[2] = pair[1];
    return out;
  }

  lastOutputs(out: Float64Array): Float64Array {
    out.set(this.h[this.h.length - 1]);
    return out;
  }

  weightStore(): { w: Float64Array; dw: Float64Array } {
    return this.store;
  }

  drawSigns(rng: Rng, scale: number): void {
    rng.fillSigns(this.store.dw, scale);
  }

  drawGaussian(rng: Rng, scale: number): void {
    rng.fillZigguratGaussian(this.store.dw, scale);
  }

  stepWeights(factor: number): void {
    const { w, dw } = this.store;
    for (let i = 0; i < w.length; i++) w[i] += factor * dw[i];
  }

  private outputLoss(x: Float64Array, p: number): number {
    const { net, data } = this;
    const L = net.layers.length - 1;
    return net.loss.evaluate(1, net.layers[L], net.activations[L - 1], x, data.targets, p * data.nOut, this.dx, null, null);
  }
}

/** out = (W + sΔW) in + (b + sΔb) for one layer (W at wOff, row-major nO × nI; b at bOff). */
function perturbedProduct(
  nO: number, nI: number, w: Float64Array, dw: Float64Array, wOff: number, bOff: number, s: number,
  input: Float64Array, out: Float64Array,
): void {
  for (let o = 0; o < nO; o++) {
    const row = wOff + o * nI;
    let sum = w[bOff + o] + s * dw[bOff + o];
    for (let i = 0; i < nI; i++) sum += (w[row + i] + s * dw[row + i]) * input[i];
    out[o] = sum;
  }
}

/** Y_l = σ_l(X_l) in place on a hidden layer's unit vector. */
function activate(net: LayeredNet, l: number, v: Float64Array): void {
  const act = net.activations[l - 1];
  for (let o = 0; o < v.length; o++) v[o] = act.f(v[o]);
}
