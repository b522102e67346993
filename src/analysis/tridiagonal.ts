/**
 * Eigen-decomposition of a symmetric tridiagonal matrix by the implicit QL algorithm with Wilkinson
 * shifts (EISPACK tql2; Bowdler, Martin, Reinsch & Wilkinson 1968). Input: diagonal d (n) and
 * off-diagonal e (n − 1). Returns eigenvalues in ascending order and, when asked, the
 * eigenvectors as the columns of a row-major n × n matrix Z (Z[i·n + k] = component i of vector k).
 */
export function tridiagonalEigen(
  diagonal: ArrayLike<number>, offDiagonal: ArrayLike<number>, wantVectors: boolean,
): { values: Float64Array; vectors: Float64Array | null } {
  const n = diagonal.length;
  const d = Float64Array.from(diagonal);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = offDiagonal[i];
  const Z = wantVectors ? new Float64Array(n * n) : null;
  if (Z !== null) for (let i = 0; i < n; i++) Z[i * n + i] = 1;

  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      // Find a negligible off-diagonal element e[m] to split at.
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (++iter > 60) throw new Error('tridiagonalEigen: QL iteration did not converge');
      // Wilkinson shift from the leading 2×2 block.
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        let f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (Z !== null) {
          for (let k = 0; k < n; k++) {
            f = Z[k * n + i + 1];
            Z[k * n + i + 1] = s * Z[k * n + i] + c * f;
            Z[k * n + i] = c * Z[k * n + i] - s * f;
          }
        }
      }
      if (r === 0 && i >= l) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  // Sort ascending, permuting the vectors with the values.
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => d[a] - d[b]);
  const values = Float64Array.from(order, (k) => d[k]);
  let vectors: Float64Array | null = null;
  if (Z !== null) {
    vectors = new Float64Array(n * n);
    for (let col = 0; col < n; col++) for (let row = 0; row < n; row++) vectors[row * n + col] = Z[row * n + order[col]];
  }
  return { values, vectors };
}
