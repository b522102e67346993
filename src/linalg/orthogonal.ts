import type { Rng } from '../random/rng.js';

/**
 * A Haar-random orthogonal matrix Q (n × n, row-major): QR of a Gaussian matrix by modified
 * Gram–Schmidt applied twice ("twice is enough", Giraud et al. 2005) so Q is orthogonal to
 * round-off. Columns are fixed in sign by the Gaussian draws, which keeps the law Haar.
 */
export function randomOrthogonal(n: number, rng: Rng): Float64Array {
  // Work column-major in `cols` (column c at c·n), then transpose into row-major Q.
  const cols = rng.fillGaussian(new Float64Array(n * n));
  for (let c = 0; c < n; c++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let prev = 0; prev < c; prev++) {
        let d = 0;
        for (let r = 0; r < n; r++) d += cols[prev * n + r] * cols[c * n + r];
        for (let r = 0; r < n; r++) cols[c * n + r] -= d * cols[prev * n + r];
      }
    }
    let norm = 0;
    for (let r = 0; r < n; r++) norm += cols[c * n + r] ** 2;
    norm = Math.sqrt(norm);
    for (let r = 0; r < n; r++) cols[c * n + r] /= norm;
  }
  const Q = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) Q[r * n + c] = cols[c * n + r];
  return Q;
}

/** S = Q diag(λ) Qᵀ (n × n row-major), symmetric by construction (upper triangle mirrored). */
export function symmetricFromEigen(Q: Float64Array, eigenvalues: ArrayLike<number>, n: number): Float64Array {
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k] * eigenvalues[k] * Q[j * n + k];
      S[i * n + j] = s;
      S[j * n + i] = s;
    }
  }
  return S;
}
