import type { Rng } from '../random/rng.js';
import type { SymmetricOperator } from './operator.js';

export interface TraceEstimate {
  estimate: number;
  /** Standard error of the estimate (from the sample variance of the probes). */
  stdErr: number;
  products: number;
}

/**
 * Hutchinson's estimator (1989): tr A = E[zᵀAz] for Rademacher z; the mean over `samples`
 * probes, with its standard error. Variance 2(‖A‖_F² − Σ A_ii²) per probe.
 */
export function hutchinsonTrace(op: SymmetricOperator, samples: number, rng: Rng): TraceEstimate {
  const n = op.size;
  const z = new Float64Array(n);
  const az = new Float64Array(n);
  let mean = 0;
  let m2 = 0;
  for (let s = 1; s <= samples; s++) {
    for (let i = 0; i < n; i++) z[i] = rng.rademacher();
    op.apply(z, az);
    let q = 0;
    for (let i = 0; i < n; i++) q += z[i] * az[i];
    const d = q - mean;
    mean += d / s;
    m2 += d * (q - mean);
  }
  const variance = samples > 1 ? m2 / (samples - 1) : Infinity;
  return { estimate: mean, stdErr: Math.sqrt(variance / samples), products: samples };
}

/**
 * Hutch++ (Meyer, Musco, Musco & Woodruff 2021) with `products` = 3m Hv products: sketch
 * S (n × m Rademacher), Q = orth(A S); the trace of the captured part exactly, tr(QᵀAQ), plus
 * Hutchinson with m probes on the deflated remainder (I − QQᵀ) A (I − QQᵀ). Error O(1/products)
 * instead of Hutchinson's O(1/√products) for matrices with decaying spectra. The standard error
 * is that of the remainder's Hutchinson part.
 */
export function hutchPlusPlus(op: SymmetricOperator, products: number, rng: Rng): TraceEstimate {
  const n = op.size;
  const m = Math.max(1, Math.floor(products / 3));
  const Q = new Float64Array(m * n); // rows are basis vectors
  const s = new Float64Array(n);
  const as = new Float64Array(n);
  let rank = 0;
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) s[i] = rng.rademacher();
    op.apply(s, as);
    rank = orthonormalizeInto(Q, rank, as, n);
  }
  let captured = 0;
  for (let j = 0; j < rank; j++) {
    const q = Q.subarray(j * n, (j + 1) * n);
    op.apply(q, as);
    for (let i = 0; i < n; i++) captured += q[i] * as[i];
  }
  const z = new Float64Array(n);
  const az = new Float64Array(n);
  let mean = 0;
  let m2 = 0;
  for (let t = 1; t <= m; t++) {
    for (let i = 0; i < n; i++) z[i] = rng.rademacher();
    project(Q, rank, z, n);
    op.apply(z, az);
    project(Q, rank, az, n);
    let qv = 0;
    for (let i = 0; i < n; i++) qv += z[i] * az[i];
    const d = qv - mean;
    mean += d / t;
    m2 += d * (qv - mean);
  }
  const variance = m > 1 ? m2 / (m - 1) : 0;
  return { estimate: captured + mean, stdErr: Math.sqrt(variance / m), products: m + rank + m };
}

/** x ← (I − QQᵀ) x over the first `rank` rows of Q, twice. */
function project(Q: Float64Array, rank: number, x: Float64Array, n: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < rank; j++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += Q[j * n + i] * x[i];
      for (let i = 0; i < n; i++) x[i] -= d * Q[j * n + i];
    }
  }
}

/** Appends x (orthogonalised against Q's rows, normalised) as a new row unless it is dependent. */
function orthonormalizeInto(Q: Float64Array, rank: number, x: Float64Array, n: number): number {
  let before = 0;
  for (let i = 0; i < n; i++) before += x[i] * x[i];
  project(Q, rank, x, n);
  let after = 0;
  for (let i = 0; i < n; i++) after += x[i] * x[i];
  if (after <= 1e-24 * before || after === 0) return rank;
  const norm = Math.sqrt(after);
  for (let i = 0; i < n; i++) Q[rank * n + i] = x[i] / norm;
  return rank + 1;
}
