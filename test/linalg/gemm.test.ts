import { describe, expect, it } from 'vitest';
import { gemmNT, gemmTN, transpose } from '../../src/linalg/gemm.js';
import { dot, axpy, nrm2, relErr, cosine } from '../../src/linalg/blas1.js';
import { Rng } from '../../src/random/rng.js';

/** Naive reference: C = α A Bᵀ + β C, with offsets and leading dimensions. */
function naive(m: number, n: number, k: number, alpha: number, A: Float64Array, offA: number, lda: number,
  B: Float64Array, offB: number, ldb: number, beta: number, C: Float64Array, offC: number, ldc: number): Float64Array {
  const out = C.slice();
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[offA + i * lda + p] * B[offB + j * ldb + p];
      out[offC + i * ldc + j] = (beta === 0 ? 0 : beta * C[offC + i * ldc + j]) + alpha * s;
    }
  }
  return out;
}

describe('gemmNT', () => {
  const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 100, 123];
  it('equals the naive triple loop for edge and unroll-remainder sizes, with offsets, strides, α and β', () => {
    const rng = new Rng(42);
    for (const m of sizes) {
      for (const n of [0, 1, 2, 3, 5, 6, 123]) {
        for (const k of [0, 1, 3, 4, 100]) {
          if (m * n * k > 200_000) continue;
          const lda = k + 2;
          const ldb = k + 1;
          const ldc = n + 3;
          const A = rng.fillGaussian(new Float64Array(5 + m * lda));
          const B = rng.fillGaussian(new Float64Array(3 + n * ldb));
          const C = rng.fillGaussian(new Float64Array(7 + m * ldc));
          for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25]]) {
            const expected = naive(m, n, k, alpha, A, 5, lda, B, 3, ldb, beta, C, 7, ldc);
            const got = gemmNT(m, n, k, alpha, A, 5, lda, B, 3, ldb, beta, C.slice(), 7, ldc);
            // Summation order differs only within k: error ≤ k·ε·Σ|a||b| per entry.
            let worst = 0;
            for (let q = 0; q < got.length; q++) worst = Math.max(worst, Math.abs(got[q] - expected[q]));
            expect(worst, `m${m} n${n} k${k} α${alpha} β${beta}`).toBeLessThan(1e-12 * (1 + k));
          }
        }
      }
    }
  });

  it('with β = 0 ignores NaN already in C', () => {
    const C = new Float64Array([NaN, NaN]);
    gemmNT(1, 2, 1, 1, new Float64Array([2]), 0, 1, new Float64Array([3, 4]), 0, 1, 0, C, 0, 2);
    expect(Array.from(C)).toEqual([6, 8]);
  });
});

describe('gemmTN', () => {
  /** Naive C = α Aᵀ B + β C (A k×m, B k×n, row-major with offsets and leading dimensions), and Σ|α a b| + |β c| per entry. */
  function naiveTN(m: number, n: number, k: number, alpha: number, A: Float64Array, offA: number, lda: number,
    B: Float64Array, offB: number, ldb: number, beta: number, C: Float64Array, offC: number, ldc: number): { out: Float64Array; magnitude: Float64Array } {
    const out = C.slice();
    const magnitude = new Float64Array(C.length);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let a = 0;
        for (let p = 0; p < k; p++) {
          s += A[offA + p * lda + i] * B[offB + p * ldb + j];
          a += Math.abs(A[offA + p * lda + i] * B[offB + p * ldb + j]);
        }
        const c = beta === 0 ? 0 : beta * C[offC + i * ldc + j];
        out[offC + i * ldc + j] = c + alpha * s;
        magnitude[offC + i * ldc + j] = Math.abs(alpha) * a + Math.abs(c);
      }
    }
    return { out, magnitude };
  }

  it('equals the naive Aᵀ B for edge and register-block remainder sizes, with offsets, strides, α and β; untouched outside C\'s block', () => {
    const rng = new Rng(43);
    // m around the 4-row block, n around the 2-column block, k from empty to long.
    for (const m of [0, 1, 2, 3, 4, 5, 7, 8, 9, 33]) {
      for (const n of [0, 1, 2, 3, 4, 5, 31]) {
        for (const k of [0, 1, 2, 5, 64]) {
          const lda = m + 2;
          const ldb = n + 1;
          const ldc = n + 3;
          const A = rng.fillGaussian(new Float64Array(5 + k * lda));
          const B = rng.fillGaussian(new Float64Array(3 + k * ldb));
          const C = rng.fillGaussian(new Float64Array(7 + m * ldc + 2));
          for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25]]) {
            const { out, magnitude } = naiveTN(m, n, k, alpha, A, 5, lda, B, 3, ldb, beta, C, 7, ldc);
            const got = gemmTN(m, n, k, alpha, A, 5, lda, B, 3, ldb, beta, C.slice(), 7, ldc);
            // Both sides are k-term sums in different orders: each off by ≤ γ_{k+2}·Σ|terms| (Higham §3.1).
            const u = Number.EPSILON / 2;
            const gammaK = ((k + 2) * u) / (1 - (k + 2) * u);
            for (let q = 0; q < got.length; q++) {
              expect(Math.abs(got[q] - out[q]), `m${m} n${n} k${k} α${alpha} β${beta} at ${q}`).toBeLessThanOrEqual(2 * gammaK * magnitude[q]);
            }
          }
        }
      }
    }
  });

  it('with β = 0 ignores NaN already in C', () => {
    const C = new Float64Array([NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]);
    // A is 1×5 (k = 1, m = 5), B is 1×2: C = Aᵀ B, a 5×2 outer product.
    gemmTN(5, 2, 1, 1, new Float64Array([1, 2, 3, 4, 5]), 0, 5, new Float64Array([3, 4]), 0, 2, 0, C, 0, 2);
    expect(Array.from(C)).toEqual([3, 4, 6, 8, 9, 12, 12, 16, 15, 20]);
  });
});

describe('transpose', () => {
  it('transposes rectangular blocks larger than a tile, with strides', () => {
    const rows = 37;
    const cols = 70;
    const M = new Float64Array(rows * (cols + 1)).map((_, q) => q);
    const T = new Float64Array(cols * (rows + 2));
    transpose(rows, cols, M, 0, cols + 1, T, 0, rows + 2);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expect(T[j * (rows + 2) + i]).toBe(M[i * (cols + 1) + j]);
  });
});

describe('level-1 kernels', () => {
  it('dot, axpy and nrm2 agree with plain sums on odd and even lengths', () => {
    const rng = new Rng(1);
    for (const n of [0, 1, 2, 3, 100, 123]) {
      const x = rng.fillGaussian(new Float64Array(n));
      const y = rng.fillGaussian(new Float64Array(n));
      let s = 0;
      for (let k = 0; k < n; k++) s += x[k] * y[k];
      expect(dot(n, x, y)).toBeCloseTo(s, 12);
      expect(nrm2(n, x)).toBeCloseTo(Math.sqrt(dot(n, x, x)), 12);
      const z = axpy(n, 2, x, y.slice());
      for (let k = 0; k < n; k++) expect(z[k]).toBe(y[k] + 2 * x[k]);
    }
  });

  it('nrm2 neither overflows nor underflows', () => {
    expect(nrm2(2, new Float64Array([3e200, 4e200]))).toBeCloseTo(5e200, -190);
    expect(nrm2(2, new Float64Array([3e-200, 4e-200])) / 5e-200).toBeCloseTo(1, 14);
  });

  it('relErr and cosine of a vector with itself are 0 and 1; zero vectors are handled', () => {
    const a = new Float64Array([1, -2, 3]);
    expect(relErr(a, a)).toBe(0);
    expect(cosine(a, a)).toBeCloseTo(1, 15);
    expect(cosine(a, new Float64Array(3))).toBe(0);
    expect(relErr(a, new Float64Array(3))).toBeCloseTo(Math.sqrt(14), 14);
  });
});
