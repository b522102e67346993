import type { Dataset } from '../../nets/dataset.js';

/** Which implementation of the layered pass runs: see `LayeredOracle`. */
export type LayeredKernels = 'auto' | 'js' | 'wasm';

/** One implementation of the layered pass (E, ∇E, Hv in one sweep) for a fixed net. */
export interface LayeredPass {
  evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number;
  /** Replaces the patterns; same count and widths (checked by the oracle). */
  setData(data: Dataset): void;
}
