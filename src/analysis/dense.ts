import type { Oracle } from '../exact/oracle.js';

/**
 * The dense Hessian from n Hv products: column k is H e_k (R{backprop} with v = e_k).
 * Returned row-major n × n. O(n) passes: meant for small nets and for checks.
 */
export function denseHessian(oracle: Oracle, w: Float64Array): Float64Array {
  const n = oracle.size;
  const H = new Float64Array(n * n);
  const e = new Float64Array(n);
  const col = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    e[k] = 1;
    oracle.hv(w, e, col);
    e[k] = 0;
    for (let i = 0; i < n; i++) H[i * n + k] = col[i];
  }
  return H;
}

/** max_{i,j} |H_ij − H_ji| / max |H_ij|: 0 for an exactly symmetric matrix. */
export function asymmetry(H: Float64Array, n: number): number {
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      maxAbs = Math.max(maxAbs, Math.abs(H[i * n + j]));
      if (j > i) maxDiff = Math.max(maxDiff, Math.abs(H[i * n + j] - H[j * n + i]));
    }
  }
  return maxAbs === 0 ? 0 : maxDiff / maxAbs;
}
