import type { Rng } from '../random/rng.js';
import { lanczos } from './lanczos.js';
import type { SymmetricOperator } from './operator.js';

export interface SpectralDensity {
  /** Nodes θ (Ritz values of all probes, concatenated). */
  nodes: Float64Array;
  /** Weights τ²/probes: non-negative, summing to 1. */
  weights: Float64Array;
  products: number;
}

/**
 * Stochastic Lanczos quadrature (Golub & Meurant; Ubaru, Chen & Saad 2017; PyHessian's
 * density): for each of `probes` random unit vectors, m Lanczos steps give Ritz values θ_j and
 * weights τ_j², the squared first components of T's eigenvectors. The spectral density
 * φ(t) = (1/n) Σ_i δ(t − λ_i) is approximated by (1/probes) Σ_probes Σ_j τ_j² δ(t − θ_j), which
 * integrates to 1 and whose moments Σ w θ^k estimate tr(A^k)/n (exactly for k < 2m, in
 * expectation).
 */
export function spectralDensity(op: SymmetricOperator, probes: number, steps: number, rng: Rng): SpectralDensity {
  const nodes: number[] = [];
  const weights: number[] = [];
  let products = 0;
  for (let p = 0; p < probes; p++) {
    const r = lanczos(op, steps, rng);
    products += r.steps;
    for (let j = 0; j < r.steps; j++) {
      nodes.push(r.values[j]);
      weights.push(r.weights[j] / probes);
    }
  }
  return { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights), products };
}

/** The density smoothed by Gaussians of width `sigma`, evaluated on `grid`. */
export function smoothDensity(d: SpectralDensity, grid: ArrayLike<number>, sigma: number): Float64Array {
  const out = new Float64Array(grid.length);
  const c = 1 / (sigma * Math.sqrt(2 * Math.PI));
  for (let g = 0; g < grid.length; g++) {
    let s = 0;
    for (let k = 0; k < d.nodes.length; k++) s += d.weights[k] * Math.exp(-0.5 * ((grid[g] - d.nodes[k]) / sigma) ** 2);
    out[g] = c * s;
  }
  return out;
}
