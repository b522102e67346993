import { gemmNT, gemmTN, transpose } from '../linalg/gemm.js';
import type { Dataset } from '../nets/dataset.js';
import type { LayeredNet } from '../nets/layered.js';
import type { Oracle } from './oracle.js';

/**
 * Backprop and R{backprop} for a dense layered net, batched over all P patterns with
 * row-major P × n_l activation matrices. With Y_0 = inputs, per layer l = 1 … L:
 *
 *   forward    X_l = Y_{l−1} W_lᵀ + 1 b_lᵀ,            Y_l = σ(X_l)
 *   R-forward  R{X_l} = R{Y_{l−1}} W_lᵀ + Y_{l−1} V_lᵀ + 1 R{b_l}ᵀ,  R{Y_l} = σ'(X_l) ⊙ R{X_l}
 *              (R{Y_0} = 0: the data do not depend on w)
 *   loss       D_L = ∂E/∂X_L,  R{D_L} = e'' R{X_L}        (losses.ts, per pattern)
 *   backward   ∂E/∂Y_{l−1} = D_l W_l,                   D_{l−1} = σ'(X_{l−1}) ⊙ ∂E/∂Y_{l−1}
 *   R-backward R{∂E/∂Y_{l−1}} = R{D_l} W_l + D_l V_l,
 *              R{D_{l−1}} = σ'(X_{l−1}) ⊙ R{∂E/∂Y_{l−1}} + σ''(X_{l−1}) ⊙ R{X_{l−1}} ⊙ ∂E/∂Y_{l−1}
 *   gradient   ∂E/∂W_l = D_lᵀ Y_{l−1},                  ∂E/∂b_l = D_lᵀ 1
 *   Hv         (Hv)_{W_l} = R{D_l}ᵀ Y_{l−1} + D_lᵀ R{Y_{l−1}},  (Hv)_{b_l} = R{D_l}ᵀ 1
 *
 * where V_l, R{b_l} are v's blocks in the same layout as w. This is THEORY.md §1 written per
 * layer (D = ∂E/∂x). All products go through one gemm kernel (A Bᵀ form); the two Hv terms
 * of a weight block are one product with k = 2P on stacked operands [R{D}ᵀ | Dᵀ] and
 * [Yᵀ | R{Y}ᵀ], so Hv costs about twice the gradient on wide first layers.
 */
export class LayeredOracle implements Oracle {
  readonly size: number;
  private data: Dataset;
  private readonly L: number;
  private readonly n: readonly number[];
  // Per layer l = 0 … L, P × n_l each (index l).
  private readonly X: Float64Array[];
  private readonly Y: Float64Array[];
  private readonly RX: Float64Array[];
  private readonly RY: Float64Array[];
  private readonly D: Float64Array[];
  private readonly RD: Float64Array[];
  /** σ'(X_l) and σ''(X_l), computed once in the forward sweep (P × n_l each). */
  private readonly S1: Float64Array[];
  private readonly S2: Float64Array[];
  /** ∂E/∂Y and its R for the layer being back-propagated into (P × max n). */
  private readonly dY: Float64Array;
  private readonly RdY: Float64Array;
  /** Transposed weight blocks Wᵀ, Vᵀ (max n_{l−1} × n_l). */
  private readonly WT: Float64Array;
  private readonly VT: Float64Array;
  /** Stacked transposes [R{D}ᵀ | Dᵀ] (n_l × 2P) and [Yᵀ | R{Y}ᵀ] (n_{l−1} × 2P). */
  private readonly DT2: Float64Array;
  private readonly YT2: Float64Array;

  constructor(readonly net: LayeredNet, data: Dataset) {
    this.size = net.size;
    this.data = data;
    this.L = net.layers.length - 1;
    this.n = net.layers;
    const P = data.count;
    const maxN = Math.max(...net.layers);
    const perLayer = (): Float64Array[] => net.layers.map((nl) => new Float64Array(P * nl));
    this.X = perLayer();
    this.Y = perLayer();
    this.RX = perLayer();
    this.RY = perLayer();
    this.D = perLayer();
    this.RD = perLayer();
    this.S1 = perLayer();
    this.S2 = perLayer();
    this.dY = new Float64Array(P * maxN);
    this.RdY = new Float64Array(P * maxN);
    let maxProduct = 0;
    for (let l = 1; l <= this.L; l++) maxProduct = Math.max(maxProduct, net.layers[l] * net.layers[l - 1]);
    this.WT = new Float64Array(maxProduct);
    this.VT = new Float64Array(maxProduct);
    this.DT2 = new Float64Array(maxN * 2 * P);
    this.YT2 = new Float64Array(maxN * 2 * P);
  }

  /** Replaces the patterns (same count and widths), e.g. a fresh teacher–student sample. */
  setData(data: Dataset): void {
    if (data.count !== this.data.count || data.nIn !== this.data.nIn || data.nOut !== this.data.nOut) {
      throw new Error('setData: the new data set must have the same pattern count and widths');
    }
    this.data = data;
  }

  loss(w: Float64Array): number {
    return this.evaluate(w, null, null, null);
  }

  gradient(w: Float64Array, g: Float64Array): number {
    return this.evaluate(w, null, g, null);
  }

  hv(w: Float64Array, v: Float64Array, out: Float64Array): number {
    return this.evaluate(w, v, null, out);
  }

  evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number {
    const wantR = v !== null && hv !== null;
    const wantBack = g !== null || wantR;
    const P = this.data.count;
    const { L, n, net } = this;
    const Y0 = this.data.inputs;

    // Forward and R-forward sweeps (biases added inside the products).
    for (let l = 1; l <= L; l++) {
      const nIn = n[l - 1];
      const nOut = n[l];
      const wOff = net.weightOffsets[l - 1];
      const bOff = net.biasOffsets[l - 1];
      const X = this.X[l];
      const S1 = this.S1[l];
      gemmNT(P, nOut, nIn, 1, l === 1 ? Y0 : this.Y[l - 1], 0, nIn, w, wOff, nIn, 0, X, 0, nOut, w, bOff);
      net.activations[l - 1].derivatives(P * nOut, X, this.Y[l], S1, wantR ? this.S2[l] : null);
      if (wantR) {
        const RX = this.RX[l];
        gemmNT(P, nOut, nIn, 1, l === 1 ? Y0 : this.Y[l - 1], 0, nIn, v, wOff, nIn, 0, RX, 0, nOut, v, bOff);
        if (l > 1) gemmNT(P, nOut, nIn, 1, this.RY[l - 1], 0, nIn, w, wOff, nIn, 1, RX, 0, nOut);
        hadamard(P * nOut, S1, RX, this.RY[l]);
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
      const Yprev = l === 1 ? Y0 : this.Y[l - 1];
      if (g !== null) {
        this.weightProduct(nOut, nIn, P, D, Yprev, null, null, g, wOff);
        columnSums(P, nOut, D, g, bOff);
      }
      if (wantR) {
        // (Hv)_W = R{D}ᵀ Y + Dᵀ R{Y}   (R{Y_0} = 0)
        this.weightProduct(nOut, nIn, P, RD, Yprev, l > 1 ? D : null, l > 1 ? this.RY[l - 1] : null, hv, wOff);
        columnSums(P, nOut, RD, hv, bOff);
      }
      if (l === 1) break;

      // Into layer l−1: ∂E/∂Y = D W (via Wᵀ), and its R.
      transpose(nOut, nIn, w, wOff, nIn, this.WT, 0, nOut);
      gemmNT(P, nIn, nOut, 1, D, 0, nOut, this.WT, 0, nOut, 0, this.dY, 0, nIn);
      const S1 = this.S1[l - 1];
      hadamard(P * nIn, S1, this.dY, this.D[l - 1]);
      if (wantR) {
        transpose(nOut, nIn, v, wOff, nIn, this.VT, 0, nOut);
        gemmNT(P, nIn, nOut, 1, RD, 0, nOut, this.WT, 0, nOut, 0, this.RdY, 0, nIn);
        gemmNT(P, nIn, nOut, 1, D, 0, nOut, this.VT, 0, nOut, 1, this.RdY, 0, nIn);
        // R{D} = σ' ⊙ R{∂E/∂Y} + σ'' ⊙ R{X} ⊙ ∂E/∂Y
        const RDprev = this.RD[l - 1];
        const RdY = this.RdY;
        const dY = this.dY;
        const S2 = this.S2[l - 1];
        const RX = this.RX[l - 1];
        for (let k = 0; k < P * nIn; k++) RDprev[k] = S1[k] * RdY[k] + S2[k] * RX[k] * dY[k];
      }
    }
    return E;
  }

  /**
   * out[off…] (nOut × nIn) = Aᵀ B + A2ᵀ B2 over the P patterns (A, A2: P × nOut; B, B2: P × nIn),
   * the weight-block products. Small operands go straight through gemmTN; large ones are
   * transposed into the stacked workspaces [Aᵀ | A2ᵀ], [Bᵀ | B2ᵀ] for one gemmNT with k = 2P,
   * which streams memory better when the operands leave the cache.
   */
  private weightProduct(
    nOut: number, nIn: number, P: number,
    A: Float64Array, B: Float64Array, A2: Float64Array | null, B2: Float64Array | null,
    out: Float64Array, off: number,
  ): void {
    if (P * (nOut + nIn) <= TN_DIRECT_LIMIT) {
      gemmTN(nOut, nIn, P, 1, A, 0, nOut, B, 0, nIn, 0, out, off, nIn);
      if (A2 !== null && B2 !== null) gemmTN(nOut, nIn, P, 1, A2, 0, nOut, B2, 0, nIn, 1, out, off, nIn);
      return;
    }
    const twoP = 2 * P;
    transpose(P, nOut, A, 0, nOut, this.DT2, 0, twoP);
    transpose(P, nIn, B, 0, nIn, this.YT2, 0, twoP);
    let k = P;
    if (A2 !== null && B2 !== null) {
      transpose(P, nOut, A2, 0, nOut, this.DT2, P, twoP);
      transpose(P, nIn, B2, 0, nIn, this.YT2, P, twoP);
      k = twoP;
    }
    gemmNT(nOut, nIn, k, 1, this.DT2, 0, twoP, this.YT2, 0, twoP, 0, out, off, nIn);
  }
}

/**
 * Above this many operand entries (P·(n_out + n_in)) the weight products go through transposes
 * and gemmNT instead of gemmTN (measured crossover, docs/benchmarks.md).
 */
const TN_DIRECT_LIMIT = 131_072;

/** out[k] = a[k] · b[k]. */
function hadamard(count: number, a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let k = 0; k < count; k++) out[k] = a[k] * b[k];
}

/** out[off + o] = Σ_p M[p, o]. */
function columnSums(rows: number, cols: number, M: Float64Array, out: Float64Array, off: number): void {
  for (let o = 0; o < cols; o++) out[off + o] = 0;
  for (let p = 0; p < rows; p++) {
    const row = p * cols;
    for (let o = 0; o < cols; o++) out[off + o] += M[row + o];
  }
}
