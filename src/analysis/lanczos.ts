import { nrm2 } from '../linalg/blas1.js';
import type { Rng } from '../random/rng.js';
import type { SymmetricOperator } from './operator.js';
import { tridiagonalEigen } from './tridiagonal.js';

export interface LanczosResult {
  /** Ritz values θ_1 ≤ … ≤ θ_m. */
  values: Float64Array;
  /** Ritz vectors as rows (m × n, row j for θ_j), when asked for. */
  vectors: Float64Array | null;
  /** Squared first components τ_j² of the eigenvectors of T (the SLQ quadrature weights). */
  weights: Float64Array;
  /** Residual norms ‖A y_j − θ_j y_j‖ = |β_m s_{m,j}|. */
  residuals: Float64Array;
  /** Steps taken (m ≤ requested: an invariant subspace ends the recursion early). */
  steps: number;
}

/**
 * The Lanczos process with full reorthogonalisation (Paige 1972; Golub & Van Loan §10.1): from a
 * unit start vector q_1, A Q_m = Q_m T_m + β_m q_{m+1} e_mᵀ with T_m tridiagonal. Each new vector is
 * orthogonalised twice against all previous ones (classical Gram–Schmidt, "twice is enough"),
 * which keeps Q_m orthonormal to round-off and the Ritz values free of ghost copies. The
 * extreme eigenvalues of A at BOTH ends converge first. Costs m products and O(m²n) flops.
 */
export function lanczos(
  op: SymmetricOperator, steps: number, start: Float64Array | Rng, wantVectors = false,
): LanczosResult {
  const n = op.size;
  const mMax = Math.min(steps, n);
  const Q = new Float64Array(mMax * n);
  const alpha = new Float64Array(mMax);
  const beta = new Float64Array(mMax);
  const q = new Float64Array(n);
  if (start instanceof Float64Array) q.set(start);
  else for (let i = 0; i < n; i++) q[i] = start.gaussian();
  normalize(q);
  const w = new Float64Array(n);
  let m = 0;
  for (let j = 0; j < mMax; j++) {
    Q.set(q, j * n);
    op.apply(q, w);
    let a = 0;
    for (let i = 0; i < n; i++) a += w[i] * q[i];
    alpha[j] = a;
    m = j + 1;
    // w ← w − Q_j (Q_jᵀ w), twice.
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k <= j; k++) {
        let h = 0;
        const row = k * n;
        for (let i = 0; i < n; i++) h += Q[row + i] * w[i];
        for (let i = 0; i < n; i++) w[i] -= h * Q[row + i];
      }
    }
    const b = nrm2(n, w);
    beta[j] = b;
    if (j === mMax - 1) break;
    // An invariant subspace has been found: T_m's eigenvalues are exact eigenvalues of A.
    if (b <= 1e-13 * Math.max(Math.abs(a), 1e-300) * Math.sqrt(n) || b === 0) break;
    for (let i = 0; i < n; i++) q[i] = w[i] / b;
  }
  const { values, vectors: S } = tridiagonalEigen(alpha.subarray(0, m), beta.subarray(0, m - 1), true);
  const Sm = S as Float64Array;
  const weights = new Float64Array(m);
  const residuals = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    weights[k] = Sm[k] ** 2; // row 0, column k
    residuals[k] = Math.abs(beta[m - 1] * Sm[(m - 1) * m + k]);
  }
  let vectors: Float64Array | null = null;
  if (wantVectors) {
    // y_k = Q_mᵀ s_k
    vectors = new Float64Array(m * n);
    for (let k = 0; k < m; k++) {
      for (let j = 0; j < m; j++) {
        const c = Sm[j * m + k];
        if (c === 0) continue;
        for (let i = 0; i < n; i++) vectors[k * n + i] += c * Q[j * n + i];
      }
    }
  }
  return { values, vectors, weights, residuals, steps: m };
}

function normalize(x: Float64Array): void {
  const norm = nrm2(x.length, x);
  for (let i = 0; i < x.length; i++) x[i] /= norm;
}
