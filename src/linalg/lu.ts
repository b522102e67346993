/**
 * Dense LU factorisation with partial pivoting (Golub & Van Loan alg. 3.4.1) and solves, for
 * the small implicit-function systems of recurrent nets. A is n × n row-major and is
 * overwritten by its factors; `pivots` records the row swaps.
 */
export class LU {
  private readonly lu: Float64Array;
  private readonly pivots: Int32Array;
  /** The smallest |pivot| relative to the largest |entry|: ~0 means (numerically) singular. */
  readonly pivotRatio: number;

  constructor(A: Float64Array, readonly n: number) {
    const lu = Float64Array.from(A);
    const pivots = new Int32Array(n);
    let maxEntry = 0;
    for (let k = 0; k < n * n; k++) maxEntry = Math.max(maxEntry, Math.abs(lu[k]));
    let minPivot = Infinity;
    for (let k = 0; k < n; k++) {
      let p = k;
      for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[p * n + k])) p = i;
      pivots[k] = p;
      if (p !== k) {
        for (let j = 0; j < n; j++) {
          const t = lu[k * n + j];
          lu[k * n + j] = lu[p * n + j];
          lu[p * n + j] = t;
        }
      }
      const pivot = lu[k * n + k];
      minPivot = Math.min(minPivot, Math.abs(pivot));
      if (pivot === 0) continue;
      for (let i = k + 1; i < n; i++) {
        const f = (lu[i * n + k] /= pivot);
        if (f === 0) continue;
        for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
      }
    }
    this.lu = lu;
    this.pivots = pivots;
    this.pivotRatio = maxEntry === 0 ? 0 : minPivot / maxEntry;
  }

  /** Solves A x = b in place (b becomes x); returns b. */
  solve(b: Float64Array): Float64Array {
    const { n, lu, pivots } = this;
    for (let k = 0; k < n; k++) {
      const p = pivots[k];
      if (p !== k) {
        const t = b[k];
        b[k] = b[p];
        b[p] = t;
      }
    }
    for (let i = 0; i < n; i++) {
      let s = b[i];
      for (let j = 0; j < i; j++) s -= lu[i * n + j] * b[j];
      b[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i];
      for (let j = i + 1; j < n; j++) s -= lu[i * n + j] * b[j];
      b[i] = s / lu[i * n + i];
    }
    return b;
  }
}
