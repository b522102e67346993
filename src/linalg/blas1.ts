/**
 * Level-1 kernels on flat Float64Arrays. Every kernel writes into a caller-supplied
 * output and returns it; none allocates.
 */

/** Σ_k x[k] y[k] over n entries. */
export function dot(n: number, x: Float64Array, y: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  let k = 0;
  // Two accumulators break the add dependency chain; the tail handles odd n.
  for (; k + 1 < n; k += 2) {
    s0 += x[k] * y[k];
    s1 += x[k + 1] * y[k + 1];
  }
  if (k < n) s0 += x[k] * y[k];
  return s0 + s1;
}

/** y ← a·x + y over n entries; returns y. */
export function axpy(n: number, a: number, x: Float64Array, y: Float64Array): Float64Array {
  if (n <= 0 || a === 0) return y;
  for (let k = 0; k < n; k++) y[k] += a * x[k];
  return y;
}

/** y ← a·x over n entries; returns y. */
export function scale(n: number, a: number, x: Float64Array, y: Float64Array): Float64Array {
  for (let k = 0; k < n; k++) y[k] = a * x[k];
  return y;
}

/** Euclidean norm ‖x‖₂, scaled to avoid overflow and underflow (LAPACK dnrm2 idea). */
export function nrm2(n: number, x: Float64Array): number {
  let maxAbs = 0;
  for (let k = 0; k < n; k++) {
    const a = Math.abs(x[k]);
    if (a > maxAbs) maxAbs = a;
  }
  if (maxAbs === 0 || !Number.isFinite(maxAbs)) return maxAbs;
  let s = 0;
  for (let k = 0; k < n; k++) {
    const t = x[k] / maxAbs;
    s += t * t;
  }
  return maxAbs * Math.sqrt(s);
}

/** ‖a − b‖₂ / ‖b‖₂ (‖a − b‖₂ when b = 0): the relative L2 error used by every check. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < b.length; k++) {
    const d = a[k] - b[k];
    num += d * d;
    den += b[k] * b[k];
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/** cos∠(a, b) = a·b / (‖a‖‖b‖); 0 when either is the zero vector. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < b.length; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}
