import type { Oracle } from '../exact/oracle.js';

export type FdScheme = 'forward' | 'central';

/**
 * Finite-difference Hv, the baseline R{backprop} replaces (seed §"Approximation"):
 *   forward   Hv ≈ (∇E(w + r v) − ∇E(w)) / r               error O(r) + O(ε‖∇E‖/r)
 *   central   Hv ≈ (∇E(w + r v) − ∇E(w − r v)) / (2r)      error O(r²) + O(ε‖∇E‖/r)
 * Workspaces are allocated once per instance.
 */
export class FiniteDifferenceHv {
  private readonly wShift: Float64Array;
  private readonly gPlus: Float64Array;
  private readonly gMinus: Float64Array;

  constructor(private readonly oracle: Oracle) {
    this.wShift = new Float64Array(oracle.size);
    this.gPlus = new Float64Array(oracle.size);
    this.gMinus = new Float64Array(oracle.size);
  }

  /** Writes the finite-difference Hv with step r into out; returns out. */
  hv(w: Float64Array, v: Float64Array, r: number, scheme: FdScheme, out: Float64Array): Float64Array {
    const n = this.oracle.size;
    const { wShift, gPlus, gMinus } = this;
    for (let k = 0; k < n; k++) wShift[k] = w[k] + r * v[k];
    this.oracle.gradient(wShift, gPlus);
    if (scheme === 'central') {
      for (let k = 0; k < n; k++) wShift[k] = w[k] - r * v[k];
      this.oracle.gradient(wShift, gMinus);
      for (let k = 0; k < n; k++) out[k] = (gPlus[k] - gMinus[k]) / (2 * r);
    } else {
      this.oracle.gradient(w, gMinus);
      for (let k = 0; k < n; k++) out[k] = (gPlus[k] - gMinus[k]) / r;
    }
    return out;
  }
}
