/**
 * The exact second-order oracle every estimate in wpsim is judged against: E(w), ∇E(w) and
 * Hv = R_v{∇E(w)} for a fixed problem (network + data + loss). Implementations hold their
 * workspaces, allocated once per net; calls allocate nothing.
 */
export interface Oracle {
  /** Number of parameters n (length of w, v, ∇E, Hv). */
  readonly size: number;
  /** E(w). */
  loss(w: Float64Array): number;
  /** Writes ∇E(w) into g; returns E(w). */
  gradient(w: Float64Array, g: Float64Array): number;
  /** Writes H(w)·v into out; returns E(w). */
  hv(w: Float64Array, v: Float64Array, out: Float64Array): number;
  /**
   * One pass computing E and whichever of ∇E (g ≠ null) and Hv (v, hv ≠ null) are asked for;
   * the Hv pass shares its forward and backward sweeps with the gradient.
   */
  evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number;
}

/**
 * The convenience entry points written once over `evaluate`: an oracle implements the one-pass
 * `evaluate` and inherits `loss`, `gradient` and `hv`.
 */
export abstract class EvaluatingOracle implements Oracle {
  abstract readonly size: number;

  abstract evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number;

  loss(w: Float64Array): number {
    return this.evaluate(w, null, null, null);
  }

  gradient(w: Float64Array, g: Float64Array): number {
    return this.evaluate(w, null, g, null);
  }

  hv(w: Float64Array, v: Float64Array, out: Float64Array): number {
    return this.evaluate(w, v, null, out);
  }
}
