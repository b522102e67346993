import { gemmNT, gemmTN, transpose } from '../../linalg/gemm.js';
import type { Dataset } from '../../nets/dataset.js';
import type { LayeredNet } from '../../nets/layered.js';
import type { LayeredPass } from './pass.js';


/**
 * The 'js' pass. Backprop and R{backprop} for a dense layered net, batched over all P patterns with
 * row-major P × n_l activation matrices. With Y_0 = inputs, per layer l = 1 … L:
 *
 *   forward    X_l = Y_{l−1} W_lᵀ + 1 b_lᵀ,            Y_l = σ(X_l)
 *   R-forward  R{X_l} = R{Y_{l−1}} W_lᵀ + Y_{l−1} V_lᵀ + 1 R{b_l}ᵀ,  R{Y_l} = σ'(X_l) ⊙ R{X_l}
 *              (R{Y_0} = 0: the data do not depend on w)
 *   loss       D_L = ∂E/∂X_L,  R{D_L} = e'' R{X_L}        (losses.ts, all patterns at once)
 *   backward   ∂E/∂Y_{l−1} = D_l W_l,                   D_{l−1} = σ'(X_{l−1}) ⊙ ∂E/∂Y_{l−1}
 *   R-backward R{∂E/∂Y_{l−1}} = R{D_l} W_l + D_l V_l,
 *              R{D_{l−1}} = σ'(X_{l−1}) ⊙ R{∂E/∂Y_{l−1}} + σ''(X_{l−1}) ⊙ R{X_{l−1}} ⊙ ∂E/∂Y_{l−1}
 *   gradient   ∂E/∂W_l = D_lᵀ Y_{l−1},                  ∂E/∂b_l = D_lᵀ 1
 *   Hv         (Hv)_{W_l} = R{D_l}ᵀ Y_{l−1} + D_lᵀ R{Y_{l−1}},  (Hv)_{b_l} = R{D_l}ᵀ 1
 *
 * where V_l, R{b_l} are v's blocks in the same layout as w. This is docs/theory.md, "R{backprop}", written per
 * layer (D = ∂E/∂X).
 *
 * Storage stacks each quantity on its R: per layer, 2P × n_l buffers [X; R{X}], [Y; R{Y}] and
 * [R{D}; D] (P rows each, one above the other). Products that share an operand then run as one
 * call over 2P rows: [Y; R{Y}] Wᵀ gives X and the R{Y}Wᵀ part of R{X}; [R{D}; D] W gives the
 * R{D}W part of R{∂E/∂Y} and ∂E/∂Y; and the whole Hv weight block R{D}ᵀY + DᵀR{Y} is one
 * product over k = 2P. Hv therefore costs about twice the gradient.
 */
export class JsLayeredPass implements LayeredPass {
  private data: Dataset;
  private readonly L: number;
  private readonly n: readonly number[];
  /** Per layer l = 0 … L: stacked 2P × n_l buffers and their P × n_l halves (views). */
  private readonly XX: Float64Array[];
  private readonly YY: Float64Array[];
  private readonly DD: Float64Array[];
  private readonly X: Float64Array[];
  private readonly RX: Float64Array[];
  private readonly Y: Float64Array[];
  private readonly RY: Float64Array[];
  private readonly RD: Float64Array[];
  private readonly D: Float64Array[];
  /** σ'(X_l), σ''(X_l) from the forward sweep (P × n_l). */
  private readonly S1: Float64Array[];
  private readonly S2: Float64Array[];
  /** [R{D}W; DW] for the layer being back-propagated into (2P × max n). */
  private readonly dYY: Float64Array;
  /** Transposed weight blocks Wᵀ, Vᵀ (max n_{l−1} × n_l). */
  private readonly WT: Float64Array;
  private readonly VT: Float64Array;
  /** Transposed stacked operands for large weight products (max n × 2P). */
  private readonly AT: Float64Array;
  private readonly BT: Float64Array;

  constructor(private readonly net: LayeredNet, data: Dataset) {
    this.data = data;
    this.L = net.layers.length - 1;
    this.n = net.layers;
    const P = data.count;
    const maxN = Math.max(...net.layers);
    const stacked = (): Float64Array[] => net.layers.map((nl) => new Float64Array(2 * P * nl));
    this.XX = stacked();
    this.YY = stacked();
    this.DD = stacked();
    const top = (bufs: Float64Array[]): Float64Array[] => bufs.map((b) => b.subarray(0, b.length / 2));
    const bottom = (bufs: Float64Array[]): Float64Array[] => bufs.map((b) => b.subarray(b.length / 2));
    this.X = top(this.XX);
    this.RX = bottom(this.XX);
    this.Y = top(this.YY);
    this.RY = bottom(this.YY);
    this.RD = top(this.DD);
    this.D = bottom(this.DD);
    this.S1 = net.layers.map((nl) => new Float64Array(P * nl));
    this.S2 = net.layers.map((nl) => new Float64Array(P * nl));
    this.dYY = new Float64Array(2 * P * maxN);
    let maxProduct = 0;
    for (let l = 1; l <= this.L; l++) maxProduct = Math.max(maxProduct, net.layers[l] * net.layers[l - 1]);
    this.WT = new Float64Array(maxProduct);
    this.VT = new Float64Array(maxProduct);
    this.AT = new Float64Array(maxN * 2 * P);
    this.BT = new Float64Array(maxN * 2 * P);
  }

  setData(data: Dataset): void {
    this.data = data;
  }

  evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number {
    const wantR = v !== null && hv !== null;
    const wantBack = g !== null || wantR;
    const P = this.data.count;
    const { L, n, net } = this;
    // [Y_0; R{Y_0}] = [inputs; 0].
    this.Y[0].set(this.data.inputs);

    // Forward and R-forward sweeps.
    for (let l = 1; l <= L; l++) {
      const nIn = n[l - 1];
      const nOut = n[l];
      const wOff = net.weightOffsets[l - 1];
      const bOff = net.biasOffsets[l - 1];
      const X = this.X[l];
      const RX = this.RX[l];
      if (wantR && l > 1) {
        // [X; R{X}] = [Y; R{Y}] Wᵀ + [1 bᵀ; 1 R{b}ᵀ], then R{X} += Y Vᵀ.
        gemmNT(2 * P, nOut, nIn, 1, this.YY[l - 1], 0, nIn, w, wOff, nIn, 0, this.XX[l], 0, nOut);
        addBiasRows(P, nOut, w, bOff, X);
        addBiasRows(P, nOut, v, bOff, RX);
        gemmNT(P, nOut, nIn, 1, this.Y[l - 1], 0, nIn, v, wOff, nIn, 1, RX, 0, nOut);
      } else {
        gemmNT(P, nOut, nIn, 1, this.Y[l - 1], 0, nIn, w, wOff, nIn, 0, X, 0, nOut, w, bOff);
        if (wantR) gemmNT(P, nOut, nIn, 1, this.Y[l - 1], 0, nIn, v, wOff, nIn, 0, RX, 0, nOut, v, bOff);
      }
      // Y, σ', σ'' and R{Y} of hidden layers; the loss reads the output layer's X directly.
      if (l < L) {
        const S1 = this.S1[l];
        net.activations[l - 1].derivatives(P * nOut, X, this.Y[l], S1, wantR ? this.S2[l] : null);
        if (wantR) hadamard(P * nOut, S1, RX, this.RY[l]);
      }
    }

    // Loss and its derivatives in the output pre-activations, all patterns in one call.
    const E = net.loss.evaluate(
      P, n[L], net.activations[L - 1], this.X[L], this.data.targets, 0,
      this.D[L], wantR ? this.RX[L] : null, wantR ? this.RD[L] : null,
    );
    if (!wantBack) return E;

    // Backward and R-backward sweeps; parameter blocks are read off each layer's D, R{D}.
    for (let l = L; l >= 1; l--) {
      const nIn = n[l - 1];
      const nOut = n[l];
      const wOff = net.weightOffsets[l - 1];
      const bOff = net.biasOffsets[l - 1];
      const D = this.D[l];
      const RD = this.RD[l];
      if (g !== null) {
        this.weightProduct(nOut, nIn, P, D, this.Y[l - 1], g, wOff);
        columnSums(P, nOut, D, g, bOff);
      }
      if (wantR) {
        // (Hv)_W = [R{D}; D]ᵀ [Y; R{Y}] over 2P rows (only the top half when R{Y_0} = 0).
        if (l > 1) this.weightProduct(nOut, nIn, 2 * P, this.DD[l], this.YY[l - 1], hv, wOff);
        else this.weightProduct(nOut, nIn, P, RD, this.Y[0], hv, wOff);
        columnSums(P, nOut, RD, hv, bOff);
      }
      if (l === 1) break;

      // Into layer l−1: [R{D}W; DW] in one product, then R{∂E/∂Y} += D V.
      transpose(nOut, nIn, w, wOff, nIn, this.WT, 0, nOut);
      const S1 = this.S1[l - 1];
      const Dprev = this.D[l - 1];
      if (wantR) {
        // [R{D}W; DW] lands in dYY: R{∂E/∂Y} in rows [0, P), ∂E/∂Y in rows [P, 2P).
        gemmNT(2 * P, nIn, nOut, 1, this.DD[l], 0, nOut, this.WT, 0, nOut, 0, this.dYY, 0, nIn);
        transpose(nOut, nIn, v, wOff, nIn, this.VT, 0, nOut);
        gemmNT(P, nIn, nOut, 1, D, 0, nOut, this.VT, 0, nOut, 1, this.dYY, 0, nIn);
        // D = σ' ⊙ ∂E/∂Y and R{D} = σ' ⊙ R{∂E/∂Y} + σ'' ⊙ R{X} ⊙ ∂E/∂Y, in one pass.
        const RDprev = this.RD[l - 1];
        const dYY = this.dYY;
        const S2 = this.S2[l - 1];
        const RX = this.RX[l - 1];
        const half = P * nIn;
        for (let k = 0; k < half; k++) {
          const s1 = S1[k];
          const dy = dYY[half + k];
          Dprev[k] = s1 * dy;
          RDprev[k] = s1 * dYY[k] + S2[k] * RX[k] * dy;
        }
      } else {
        gemmNT(P, nIn, nOut, 1, D, 0, nOut, this.WT, 0, nOut, 0, this.dYY, 0, nIn);
        hadamard(P * nIn, S1, this.dYY, Dprev);
      }
    }
    return E;
  }

  /**
   * out[off…] (nOut × nIn) = Aᵀ B over k rows (A: k × nOut, B: k × nIn, row-major): the
   * weight-block products. Small operands go straight through gemmTN; large ones are
   * transposed and go through gemmNT, which streams memory better once they leave the cache.
   */
  private weightProduct(
    nOut: number, nIn: number, k: number, A: Float64Array, B: Float64Array, out: Float64Array, off: number,
  ): void {
    if (k * (nOut + nIn) <= TN_DIRECT_LIMIT) {
      gemmTN(nOut, nIn, k, 1, A, 0, nOut, B, 0, nIn, 0, out, off, nIn);
      return;
    }
    transpose(k, nOut, A, 0, nOut, this.AT, 0, k);
    transpose(k, nIn, B, 0, nIn, this.BT, 0, k);
    gemmNT(nOut, nIn, k, 1, this.AT, 0, k, this.BT, 0, k, 0, out, off, nIn);
  }
}

/**
 * Above this many operand entries (k·(n_out + n_in)) the weight products go through transposes
 * and gemmNT instead of gemmTN (measured crossover, docs/benchmarks.md).
 */
const TN_DIRECT_LIMIT = 131_072;

/** out[k] = a[k] · b[k]. */
function hadamard(count: number, a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let k = 0; k < count; k++) out[k] = a[k] * b[k];
}

/** M[p, o] += vec[off + o] for every row p. */
function addBiasRows(rows: number, cols: number, vec: Float64Array, off: number, M: Float64Array): void {
  for (let p = 0; p < rows; p++) {
    const row = p * cols;
    for (let o = 0; o < cols; o++) M[row + o] += vec[off + o];
  }
}

/** out[off + o] = Σ_p M[p, o]. */
function columnSums(rows: number, cols: number, M: Float64Array, out: Float64Array, off: number): void {
  for (let o = 0; o < cols; o++) out[off + o] = 0;
  for (let p = 0; p < rows; p++) {
    const row = p * cols;
    for (let o = 0; o < cols; o++) out[off + o] += M[row + o];
  }
}
