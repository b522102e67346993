/**
 * Dense matrix products on row-major Float64Arrays, the kernels every layered-net pass
 * runs on. One register-blocked inner kernel, `gemmNT`, computes
 *
 *     C[i, j] ← β C[i, j] + α Σ_k A[i, k] B[j, k]      (C = α A Bᵀ + β C)
 *
 * in which both operands are read contiguously along k (a dot-product form). A 4×2 block
 * of C stays in registers while k runs, so each pair of loads feeds ~1.33 multiply-adds
 * (V8 emits scalar SSE code; x64 has 16 xmm registers, which 8 accumulators + 6 operands
 * fit). Other shapes (A·B, Aᵀ·B) are reduced to this one by an explicit O(n²) transpose
 * into a workspace, which is cheap beside the O(n³) product.
 *
 * Matrices are (offset, leading dimension) views into flat arrays, BLAS style; the
 * caller owns every buffer and nothing is allocated here.
 */

/**
 * C = α A Bᵀ + β C (+ 1 biasᵀ) with A m×k (lda), B n×k (ldb), C m×n (ldc). β = 0 overwrites C
 * without reading it (so C may hold garbage or NaN). With `bias`, bias[offBias + j] is added to
 * every row's column j (a layer's bias vector), saving a pass over C. Returns C.
 */
export function gemmNT(
  m: number, n: number, k: number, alpha: number,
  A: Float64Array, offA: number, lda: number,
  B: Float64Array, offB: number, ldb: number,
  beta: number,
  C: Float64Array, offC: number, ldc: number,
  bias: Float64Array | null = null, offBias = 0,
): Float64Array {
  if (m <= 0 || n <= 0) return C;
  // Without a bias, read a single 0 with stride 0 so the stores stay branch-free.
  const bv = bias ?? ZERO;
  const bs = bias === null ? 0 : 1;
  const bo = bias === null ? 0 : offBias;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = offA + i * lda;
    const a1 = a0 + lda;
    const a2 = a1 + lda;
    const a3 = a2 + lda;
    const c0 = offC + i * ldc;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = offB + j * ldb;
      const b1 = b0 + ldb;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = B[b0 + p];
        const x1 = B[b1 + p];
        const y0 = A[a0 + p];
        const y1 = A[a1 + p];
        const y2 = A[a2 + p];
        const y3 = A[a3 + p];
        s00 += y0 * x0; s01 += y0 * x1;
        s10 += y1 * x0; s11 += y1 * x1;
        s20 += y2 * x0; s21 += y2 * x1;
        s30 += y3 * x0; s31 += y3 * x1;
      }
      store(C, c0 + j, alpha * s00 + bv[bo + j * bs], beta); store(C, c0 + j + 1, alpha * s01 + bv[bo + (j + 1) * bs], beta);
      store(C, c0 + ldc + j, alpha * s10 + bv[bo + j * bs], beta); store(C, c0 + ldc + j + 1, alpha * s11 + bv[bo + (j + 1) * bs], beta);
      store(C, c0 + 2 * ldc + j, alpha * s20 + bv[bo + j * bs], beta); store(C, c0 + 2 * ldc + j + 1, alpha * s21 + bv[bo + (j + 1) * bs], beta);
      store(C, c0 + 3 * ldc + j, alpha * s30 + bv[bo + j * bs], beta); store(C, c0 + 3 * ldc + j + 1, alpha * s31 + bv[bo + (j + 1) * bs], beta);
    }
    for (; j < n; j++) {
      const b0 = offB + j * ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = B[b0 + p];
        s0 += A[a0 + p] * x0; s1 += A[a1 + p] * x0; s2 += A[a2 + p] * x0; s3 += A[a3 + p] * x0;
      }
      store(C, c0 + j, alpha * s0 + bv[bo + j * bs], beta);
      store(C, c0 + ldc + j, alpha * s1 + bv[bo + j * bs], beta);
      store(C, c0 + 2 * ldc + j, alpha * s2 + bv[bo + j * bs], beta);
      store(C, c0 + 3 * ldc + j, alpha * s3 + bv[bo + j * bs], beta);
    }
  }
  // Remainder rows (m mod 4), one at a time, four columns per pass.
  for (; i < m; i++) {
    const a0 = offA + i * lda;
    const c0 = offC + i * ldc;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = offB + j * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k; p++) {
        const y = A[a0 + p];
        s0 += y * B[b0 + p];
        s1 += y * B[b1 + p];
        s2 += y * B[b2 + p];
        s3 += y * B[b3 + p];
      }
      store(C, c0 + j, alpha * s0 + bv[bo + j * bs], beta);
      store(C, c0 + j + 1, alpha * s1 + bv[bo + (j + 1) * bs], beta);
      store(C, c0 + j + 2, alpha * s2 + bv[bo + (j + 2) * bs], beta);
      store(C, c0 + j + 3, alpha * s3 + bv[bo + (j + 3) * bs], beta);
    }
    for (; j < n; j++) {
      const b0 = offB + j * ldb;
      let s0 = 0;
      for (let p = 0; p < k; p++) s0 += A[a0 + p] * B[b0 + p];
      store(C, c0 + j, alpha * s0 + bv[bo + j * bs], beta);
    }
  }
  return C;
}

const ZERO = new Float64Array(1);

function store(C: Float64Array, idx: number, value: number, beta: number): void {
  C[idx] = beta === 0 ? value : beta * C[idx] + value;
}

/**
 * C = α Aᵀ B + β C with A k×m (lda) and B k×n (ldb) both row-major, C m×n (ldc): the
 * weight-gradient shape Σ_p D[p, o] Y[p, i], read down the columns of A and B with a 4×2
 * register block, no transposes. Best while both operands fit in cache; `gemmTNAuto` picks
 * between this and transposes + gemmNT by size. Returns C.
 */
export function gemmTN(
  m: number, n: number, k: number, alpha: number,
  A: Float64Array, offA: number, lda: number,
  B: Float64Array, offB: number, ldb: number,
  beta: number,
  C: Float64Array, offC: number, ldc: number,
): Float64Array {
  if (m <= 0 || n <= 0) return C;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = offC + i * ldc;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      let a = offA + i;
      let b = offB + j;
      for (let p = 0; p < k; p++, a += lda, b += ldb) {
        const x0 = B[b];
        const x1 = B[b + 1];
        const y0 = A[a];
        const y1 = A[a + 1];
        const y2 = A[a + 2];
        const y3 = A[a + 3];
        s00 += y0 * x0; s01 += y0 * x1;
        s10 += y1 * x0; s11 += y1 * x1;
        s20 += y2 * x0; s21 += y2 * x1;
        s30 += y3 * x0; s31 += y3 * x1;
      }
      store(C, c0 + j, alpha * s00, beta); store(C, c0 + j + 1, alpha * s01, beta);
      store(C, c0 + ldc + j, alpha * s10, beta); store(C, c0 + ldc + j + 1, alpha * s11, beta);
      store(C, c0 + 2 * ldc + j, alpha * s20, beta); store(C, c0 + 2 * ldc + j + 1, alpha * s21, beta);
      store(C, c0 + 3 * ldc + j, alpha * s30, beta); store(C, c0 + 3 * ldc + j + 1, alpha * s31, beta);
    }
    for (; j < n; j++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let a = offA + i;
      let b = offB + j;
      for (let p = 0; p < k; p++, a += lda, b += ldb) {
        const x = B[b];
        s0 += A[a] * x; s1 += A[a + 1] * x; s2 += A[a + 2] * x; s3 += A[a + 3] * x;
      }
      store(C, c0 + j, alpha * s0, beta);
      store(C, c0 + ldc + j, alpha * s1, beta);
      store(C, c0 + 2 * ldc + j, alpha * s2, beta);
      store(C, c0 + 3 * ldc + j, alpha * s3, beta);
    }
  }
  for (; i < m; i++) {
    const c0 = offC + i * ldc;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let a = offA + i;
      let b = offB + j;
      for (let p = 0; p < k; p++, a += lda, b += ldb) {
        const y = A[a];
        s0 += y * B[b]; s1 += y * B[b + 1]; s2 += y * B[b + 2]; s3 += y * B[b + 3];
      }
      store(C, c0 + j, alpha * s0, beta);
      store(C, c0 + j + 1, alpha * s1, beta);
      store(C, c0 + j + 2, alpha * s2, beta);
      store(C, c0 + j + 3, alpha * s3, beta);
    }
    for (; j < n; j++) {
      let s0 = 0;
      let a = offA + i;
      let b = offB + j;
      for (let p = 0; p < k; p++, a += lda, b += ldb) s0 += A[a] * B[b];
      store(C, c0 + j, alpha * s0, beta);
    }
  }
  return C;
}

/**
 * Out-of-place transpose: T (cols × rows, ldt) ← Mᵀ for M rows × cols (ldm). Blocked in
 * 32×32 tiles so both sides stay in cache. Returns T.
 */
export function transpose(
  rows: number, cols: number,
  M: Float64Array, offM: number, ldm: number,
  T: Float64Array, offT: number, ldt: number,
): Float64Array {
  const TILE = 32;
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(rows, i0 + TILE);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(cols, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        const rowM = offM + i * ldm;
        for (let j = j0; j < j1; j++) T[offT + j * ldt + i] = M[rowM + j];
      }
    }
  }
  return T;
}
