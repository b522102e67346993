import { transpose } from '../../linalg/gemm.js';
import type { Dataset } from '../../nets/dataset.js';
import type { LayeredNet } from '../../nets/layered.js';
import { instantiateKernels, type WasmKernels } from '../../wasm/kernels.js';
import type { LayeredPass } from './pass.js';

/**
 * The layered pass of layered.ts (same equations, docs/theory.md, "R{backprop}", per layer) on the WebAssembly
 * SIMD kernels, in feature-major layout: every per-layer quantity is an n_l × P̃ row-major
 * matrix (units along rows, patterns along columns), P̃ = P rounded up to a multiple of 8. The
 * long pattern dimension is then the vector dimension of every kernel:
 *
 *   [X_l; R{X_l}] = [W_l; V_l] Y_{l−1} + [b_l; R{b_l}] 1ᵀ,   then   R{X_l} += W_l R{Y_{l−1}}
 *   ∂E/∂Y_{l−1} = W_lᵀ D_l,                 R{∂E/∂Y_{l−1}} = W_lᵀ R{D_l} + V_lᵀ D_l
 *   ∂E/∂W_l = D_l Y_{l−1}ᵀ,                 (Hv)_{W_l} = R{D_l} Y_{l−1}ᵀ + D_l R{Y_{l−1}}ᵀ
 *
 * Padding: the P̃ − P extra columns of Y_0 and of the targets are 0, and D_L, R{D_L} are 0 there:
 * the softmax cross-entropy kernel runs over all P̃ columns, where zero targets give exactly 0;
 * the other losses (losses.ts, in place, pattern stride 1 and unit stride P̃) write the P real
 * columns only, and the padding keeps the memory's initial 0. Every D, R{D} below inherits zero
 * padding through Wᵀ D and the Hadamard products, so the pattern sums over P̃ columns equal the
 * sums over P.
 *
 * (X_l and R{X_l} are adjacent in memory, as are each layer's copied W_l, V_l and b_l, R{b_l}, so
 * the first line is one product over 2n_l rows.) All workspaces, the per-layer copies of w and v,
 * and ∇E, Hv live in one wasm memory of fixed size, allocated here once; calls allocate nothing.
 */
export class WasmLayeredPass implements LayeredPass {
  private data: Dataset;
  private readonly k: WasmKernels;
  private readonly heap: Float64Array;
  private readonly L: number;
  private readonly n: readonly number[];
  private readonly P: number;
  /** Byte addresses of every block in wasm memory, and P̃. */
  private readonly at: WasmPassLayout;
  /** Views of X_L, R{X_L}, D_L, R{D_L}, which the loss reads and writes in place (strided). */
  private readonly outX: Float64Array;
  private readonly outRX: Float64Array;
  private readonly outD: Float64Array;
  private readonly outRD: Float64Array;
  /** Per hidden layer, views of X, Y, σ', σ'' for the activations computed in JavaScript. */
  private readonly views: Float64Array[][];
  /** Views of the ∇E and Hv copies in wasm memory. */
  private readonly gView: Float64Array;
  private readonly hvView: Float64Array;

  constructor(private readonly net: LayeredNet, data: Dataset) {
    this.data = data;
    this.L = net.layers.length - 1;
    this.n = net.layers;
    this.P = data.count;
    this.at = wasmPassLayout(net, data.count);
    if (this.at.bytes > WASM_PASS_MAX_BYTES) {
      throw new Error(`the wasm pass needs ${this.at.bytes} bytes for ${data.count} patterns, above its limit of ${WASM_PASS_MAX_BYTES}; use the js kernels`);
    }
    this.k = instantiateKernels(this.at.bytes);
    this.heap = new Float64Array(this.k.memory.buffer);
    const outputView = (at: number): Float64Array => this.heap.subarray(at / 8, at / 8 + net.layers[this.L] * this.at.Pp);
    this.outX = outputView(this.at.X[this.L]);
    this.outRX = outputView(this.at.RX[this.L]);
    this.outD = outputView(this.at.D[this.L]);
    this.outRD = outputView(this.at.RD[this.L]);
    this.views = net.layers.map((nl, l) => (l >= 1 ? [this.at.X[l], this.at.Y[l], this.at.S1[l], this.at.S2[l]] : [])
      .map((at) => this.heap.subarray(at / 8, at / 8 + nl * this.at.Pp)));
    this.gView = this.heap.subarray(this.at.gAt / 8, this.at.gAt / 8 + net.size);
    this.hvView = this.heap.subarray(this.at.hvAt / 8, this.at.hvAt / 8 + net.size);
    this.loadInputs();
  }

  setData(data: Dataset): void {
    this.data = data;
    this.loadInputs();
  }

  /** Y_0 = inputsᵀ (n_0 × P̃) and T = targetsᵀ (n_L × P̃), padding columns 0. */
  private loadInputs(): void {
    const put = (matrix: Float64Array, width: number, at: number): void => {
      this.heap.fill(0, at / 8, at / 8 + width * this.at.Pp);
      transpose(this.P, width, matrix, 0, width, this.heap, at / 8, this.at.Pp);
    };
    put(this.data.inputs, this.n[0], this.at.Y[0]);
    put(this.data.targets, this.n[this.L], this.at.T);
  }

  evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number {
    const wantR = v !== null && hv !== null;
    const wantBack = g !== null || wantR;
    const { k, heap, L, n, net, P } = this;
    const { Pp } = this.at;

    // Forward and R-forward sweeps.
    for (let l = 1; l <= L; l++) {
      const nIn = n[l - 1];
      const nOut = n[l];
      const wOff = net.weightOffsets[l - 1];
      const bOff = net.biasOffsets[l - 1];
      const WV = this.at.WV[l] / 8;
      const BV = this.at.BV[l] / 8;
      copy(w, wOff, nOut * nIn, heap, WV);
      copy(w, bOff, nOut, heap, BV);
      if (wantR) {
        copy(v, wOff, nOut * nIn, heap, WV + nOut * nIn);
        copy(v, bOff, nOut, heap, BV + nOut);
      }
      // [X; R{X}] = [W; V] Y + [b; R{b}] 1ᵀ (X alone without R), then R{X} += W R{Y}.
      k.gemm_nn(wantR ? 2 * nOut : nOut, Pp, nIn, this.at.WV[l], nIn, this.at.Y[l - 1], Pp, this.at.X[l], Pp, 0, this.at.BV[l]);
      if (wantR && l > 1) k.gemm_nn(nOut, Pp, nIn, this.at.WV[l], nIn, this.at.RY[l - 1], Pp, this.at.RX[l], Pp, 1, -1);
      // Y, σ', σ'' and R{Y} of hidden layers; the loss reads the output layer's X directly.
      if (l < L) {
        this.activate(l, wantR);
        if (wantR) k.mul(nOut * Pp, this.at.S1[l], this.at.RX[l], this.at.RY[l]);
      }
    }

    // Loss: softmax cross-entropy in wasm over all P̃ columns (padding contributes 0); the
    // others in losses.ts on the P real columns, in place (pattern stride 1, unit stride P̃).
    const E = net.lossName === 'softmax-cross-entropy'
      ? k.softmax_cross_entropy(Pp, n[L], Pp, this.at.X[L], this.at.T, this.at.D[L], wantR ? this.at.RX[L] : -1, this.at.RD[L])
      : net.loss.evaluate(
        P, n[L], net.activations[L - 1], this.outX, this.data.targets, 0,
        this.outD, wantR ? this.outRX : null, wantR ? this.outRD : null, 1, Pp,
      );
    if (!wantBack) return E;

    // Backward and R-backward sweeps.
    for (let l = L; l >= 1; l--) {
      const nIn = n[l - 1];
      const nOut = n[l];
      const wOff = net.weightOffsets[l - 1];
      const bOff = net.biasOffsets[l - 1];
      if (g !== null) {
        k.gemm_nt(nOut, nIn, Pp, this.at.D[l], Pp, this.at.Y[l - 1], Pp, this.at.gAt + 8 * wOff, nIn, 0);
        k.row_sums(nOut, Pp, this.at.D[l], Pp, this.at.gAt + 8 * bOff);
      }
      if (wantR) {
        k.gemm_nt(nOut, nIn, Pp, this.at.RD[l], Pp, this.at.Y[l - 1], Pp, this.at.hvAt + 8 * wOff, nIn, 0);
        if (l > 1) k.gemm_nt(nOut, nIn, Pp, this.at.D[l], Pp, this.at.RY[l - 1], Pp, this.at.hvAt + 8 * wOff, nIn, 1);
        k.row_sums(nOut, Pp, this.at.RD[l], Pp, this.at.hvAt + 8 * bOff);
      }
      if (l === 1) break;

      transpose(nOut, nIn, w, wOff, nIn, heap, this.at.WT / 8, nOut);
      k.gemm_nn(nIn, Pp, nOut, this.at.WT, nOut, this.at.D[l], Pp, this.at.dY, Pp, 0, -1);
      if (wantR) {
        transpose(nOut, nIn, v, wOff, nIn, heap, this.at.VT / 8, nOut);
        k.gemm_nn(nIn, Pp, nOut, this.at.WT, nOut, this.at.RD[l], Pp, this.at.RdY, Pp, 0, -1);
        k.gemm_nn(nIn, Pp, nOut, this.at.VT, nOut, this.at.D[l], Pp, this.at.RdY, Pp, 1, -1);
        k.back_combine(nIn * Pp, this.at.S1[l - 1], this.at.S2[l - 1], this.at.RX[l - 1], this.at.dY, this.at.RdY, this.at.D[l - 1], this.at.RD[l - 1]);
      } else {
        k.mul(nIn * Pp, this.at.S1[l - 1], this.at.dY, this.at.D[l - 1]);
      }
    }
    if (g !== null) g.set(this.gView);
    if (wantR) hv.set(this.hvView);
    return E;
  }

  /**
   * Y_l, σ'(X_l) and (for R) σ''(X_l) of a hidden layer: tanh, logistic and softplus in wasm;
   * linear and relu (no transcendental, already at memory speed) in JavaScript on views.
   */
  private activate(l: number, wantS2: boolean): void {
    const count = this.n[l] * this.at.Pp;
    const act = this.net.activations[l - 1];
    if (act.name === 'tanh') {
      this.k.tanh_derivatives(count, this.at.X[l], this.at.Y[l], this.at.S1[l], this.at.S2[l], wantS2 ? 1 : 0);
    } else if (act.name === 'logistic') {
      this.k.logistic_derivatives(count, this.at.X[l], this.at.Y[l], this.at.S1[l], this.at.S2[l], wantS2 ? 1 : 0);
    } else if (act.name === 'softplus') {
      this.k.softplus_derivatives(count, this.at.X[l], this.at.Y[l], this.at.S1[l], this.at.S2[l], wantS2 ? 1 : 0);
    } else {
      const [x, y, s1, s2] = this.views[l];
      act.derivatives(count, x, y, s1, wantS2 ? s2 : null);
    }
  }
}

/**
 * Largest wasm memory a pass may use. The kernels take byte addresses as i32 and read a negative
 * one as "no operand", so every address must stay below 2³¹.
 */
export const WASM_PASS_MAX_BYTES = 2 ** 31 - 2 ** 16;

/** Byte addresses of every block of the wasm pass, and the memory it needs. */
export interface WasmPassLayout {
  /** Padded pattern count P̃ (a multiple of 8). */
  Pp: number;
  /** Per layer l = 0 … L (−1 where unused): n_l × P̃ blocks; R{X_l} directly follows X_l. */
  Y: number[]; X: number[]; RX: number[]; RY: number[]; D: number[]; RD: number[]; S1: number[]; S2: number[];
  /** ∂E/∂Y and R{∂E/∂Y} of the hidden layer being back-propagated into (max n × P̃). */
  dY: number; RdY: number;
  /** Wᵀ and Vᵀ of one layer; the targets, n_L × P̃ (padding 0). */
  WT: number; VT: number; T: number;
  /** Per layer l = 1 … L: [W_l; V_l] (2n_l × n_{l−1}) and [b_l; R{b_l}] (2n_l), copied from w, v. */
  WV: number[]; BV: number[];
  /** ∇E and Hv (n doubles each). */
  gAt: number; hvAt: number;
  bytes: number;
}

/** dst[at + i] = src[off + i] for i < count (no views, no allocation). */
function copy(src: Float64Array, off: number, count: number, dst: Float64Array, at: number): void {
  for (let i = 0; i < count; i++) dst[at + i] = src[off + i];
}

/** The memory layout of the wasm pass for this net and pattern count (16-byte aligned blocks). */
export function wasmPassLayout(net: LayeredNet, patterns: number): WasmPassLayout {
  // P̃: the pattern count rounded up to a multiple of 8 (gemm_nn's 8-column blocks).
  const Pp = Math.ceil(patterns / 8) * 8;
  let top = 0;
  const alloc = (doubles: number): number => {
    const at = top;
    top += Math.ceil(doubles / 2) * 16;
    return at;
  };
  const perLayer = (from: number): number[] => net.layers.map((nl, l) => (l >= from ? alloc(nl * Pp) : -1));
  const Y = perLayer(0);
  // X_l and R{X_l} back to back (one product writes both).
  const X = net.layers.map((nl, l) => (l >= 1 ? alloc(2 * nl * Pp) : -1));
  const RX = X.map((at, l) => (at < 0 ? at : at + 8 * net.layers[l] * Pp));
  const [RY, D, RD, S1, S2] = Array.from({ length: 5 }, () => perLayer(1));
  const WV = net.layers.map((nl, l) => (l >= 1 ? alloc(2 * nl * net.layers[l - 1]) : -1));
  const BV = net.layers.map((nl, l) => (l >= 1 ? alloc(2 * nl) : -1));
  // ∂E/∂Y is back-propagated into hidden layers only (1 … L−1).
  const maxHidden = Math.max(0, ...net.layers.slice(1, -1));
  let maxProduct = 0;
  for (let l = 1; l < net.layers.length; l++) maxProduct = Math.max(maxProduct, net.layers[l] * net.layers[l - 1]);
  return {
    Pp, Y, X, RX, RY, D, RD, S1, S2, WV, BV,
    dY: alloc(maxHidden * Pp), RdY: alloc(maxHidden * Pp),
    WT: alloc(maxProduct), VT: alloc(maxProduct),
    T: alloc(net.layers[net.layers.length - 1] * Pp),
    gAt: alloc(net.size), hvAt: alloc(net.size),
    bytes: top,
  };
}
