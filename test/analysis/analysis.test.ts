import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import {
  DenseOperator, HessianOperator, hutchPlusPlus, hutchinsonTrace, lanczos, newtonCgStep,
  spectralDensity, topEigenpairs, tridiagonalEigen,
} from '../../src/analysis/index.js';
import { LayeredOracle } from '../../src/exact/layered/oracle.js';
import { denseHessian } from '../../src/analysis/dense.js';
import { Rng } from '../../src/random/rng.js';
import { randomProblem } from '../helpers/random-nets.js';

/** Dense reference: eigenvalues ascending and unit eigenvectors (columns) from ml-matrix. */
function denseEigen(H: Float64Array, n: number): { values: number[]; vectors: number[][] } {
  const rows = Array.from({ length: n }, (_, i) => Array.from(H.subarray(i * n, (i + 1) * n)));
  // Symmetrise exactly: the R-op Hessian is symmetric to round-off, the solver wants it exact.
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) rows[i][j] = rows[j][i] = 0.5 * (rows[i][j] + rows[j][i]);
  const e = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const order = e.realEigenvalues.map((_, k) => k).sort((a, b) => e.realEigenvalues[a] - e.realEigenvalues[b]);
  const V = e.eigenvectorMatrix;
  return { values: order.map((k) => e.realEigenvalues[k]), vectors: order.map((k) => V.getColumn(k)) };
}

/**
 * The angle between the lines spanned by a and b, from the chord between the unit vectors
 * (2·asin(‖â ∓ b̂‖/2)), which stays accurate down to 1e-16 where acos(|â·b̂|) cannot.
 */
function angle(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let aa = 0, bb = 0, ab = 0;
  for (let i = 0; i < b.length; i++) { aa += a[i] ** 2; bb += b[i] ** 2; ab += a[i] * b[i]; }
  const sign = ab >= 0 ? 1 : -1;
  let chord = 0;
  for (let i = 0; i < b.length; i++) chord += (a[i] / Math.sqrt(aa) - (sign * b[i]) / Math.sqrt(bb)) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(chord) / 2));
}

/** Small random nets of different kinds, with their dense Hessians. */
const nets = [
  randomProblem([3, 5, 2], ['tanh'], 'linear', 'sse', 8, 11),
  randomProblem([4, 4, 3], ['logistic'], 'linear', 'softmax-cross-entropy', 10, 12),
  randomProblem([2, 6, 1], ['softplus'], 'logistic', 'cross-entropy', 6, 13),
].map((p) => {
  const oracle = new LayeredOracle(p.net, p.data);
  const H = denseHessian(oracle, p.w);
  return { ...p, oracle, H, dense: denseEigen(H, p.net.size) };
});

describe('tridiagonal QL', () => {
  it('matches ml-matrix on random symmetric tridiagonals (values and vectors)', () => {
    const rng = new Rng(2);
    for (const n of [1, 2, 5, 17]) {
      const d = rng.fillGaussian(new Float64Array(n));
      const e = rng.fillGaussian(new Float64Array(Math.max(0, n - 1)));
      const T = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        T[i * n + i] = d[i];
        if (i < n - 1) T[i * n + i + 1] = T[(i + 1) * n + i] = e[i];
      }
      const ref = denseEigen(T, n);
      const ours = tridiagonalEigen(d, e, true);
      for (let k = 0; k < n; k++) {
        expect(Math.abs(ours.values[k] - ref.values[k])).toBeLessThan(1e-13 * (1 + Math.abs(ref.values[k])));
        const col = Array.from({ length: n }, (_, i) => (ours.vectors as Float64Array)[i * n + k]);
        expect(angle(col, ref.vectors[k])).toBeLessThan(1e-10);
      }
    }
  });
});

describe('Hessian analytics against a dense symmetric eigensolver', () => {
  it('deflated power iteration: top-3 eigenvalues within 1e-8 relative, vectors within 1e-6 rad', () => {
    for (const p of nets) {
      const op = new HessianOperator(p.oracle, p.w);
      const pairs = topEigenpairs(op, 3, new Rng(3), { tol: 1e-12, maxIter: 200_000 });
      const byMagnitude = p.dense.values.map((v, k) => ({ v, k })).sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
      pairs.forEach((pair, j) => {
        const ref = byMagnitude[j];
        expect(pair.converged).toBe(true);
        expect(Math.abs(pair.value - ref.v) / Math.abs(ref.v)).toBeLessThan(1e-8);
        expect(angle(pair.vector, p.dense.vectors[ref.k])).toBeLessThan(1e-6);
      });
      expect(op.products).toBe(pairs.reduce((s, q) => s + q.iterations, 0));
    }
  });

  it('Lanczos with full reorthogonalisation finds both ends of the spectrum', () => {
    for (const p of nets) {
      const n = p.net.size;
      const op = new HessianOperator(p.oracle, p.w);
      const r = lanczos(op, n, new Rng(4), true);
      const lo = p.dense.values[0];
      const hi = p.dense.values[n - 1];
      const scale = Math.max(Math.abs(lo), Math.abs(hi));
      expect(Math.abs(r.values[0] - lo) / scale).toBeLessThan(1e-10);
      expect(Math.abs(r.values[r.steps - 1] - hi) / scale).toBeLessThan(1e-10);
      // With fewer steps than n the extremes still converge first.
      const short = lanczos(new HessianOperator(p.oracle, p.w), Math.ceil(n / 2), new Rng(4));
      expect(Math.abs(short.values[short.steps - 1] - hi) / scale).toBeLessThan(1e-3);
    }
  });

  it('Hutchinson is within 3 standard errors of the exact trace; Hutch++ with 3n products is exact', () => {
    for (const p of nets) {
      const n = p.net.size;
      let trace = 0;
      for (let i = 0; i < n; i++) trace += p.H[i * n + i];
      const h = hutchinsonTrace(new HessianOperator(p.oracle, p.w), 300, new Rng(5));
      expect(Math.abs(h.estimate - trace)).toBeLessThan(3 * h.stdErr);
      const hpp = hutchPlusPlus(new HessianOperator(p.oracle, p.w), 3 * n, new Rng(6));
      // With 3n products the sketch captures the whole range: exact to round-off.
      expect(Math.abs(hpp.estimate - trace)).toBeLessThan(1e-8 * (1 + Math.abs(trace)));
    }
  });

  it('SLQ density integrates to 1 and matches the dense spectrum\'s first moments', () => {
    for (const p of nets) {
      const n = p.net.size;
      const d = spectralDensity(new HessianOperator(p.oracle, p.w), 60, Math.min(n, 12), new Rng(7));
      const total = d.weights.reduce((a, b) => a + b, 0);
      expect(Math.abs(total - 1)).toBeLessThan(1e-12);
      for (const k of [1, 2]) {
        const exact = p.dense.values.reduce((s, l) => s + l ** k, 0) / n;
        const est = d.nodes.reduce((s, t, j) => s + d.weights[j] * t ** k, 0);
        // Each probe's quadrature is exact for moments < 2m; the only error is Monte Carlo over
        // 60 unit probes, ~ sd(xᵀA^k x)/√60 with sd ≤ √2 ‖A^k‖_F/n.
        const sq = p.dense.values.reduce((s, l) => s + l ** (2 * k), 0);
        const bound = 4 * Math.sqrt(2 * sq) / n / Math.sqrt(60) * Math.sqrt(n / (n + 2)) * 1.5;
        expect(Math.abs(est - exact), `moment ${k}`).toBeLessThan(bound);
      }
    }
  });

  it('Newton–CG solves (H + λI)p = −g on a positive-definite problem and stops on negative curvature', () => {
    const rng = new Rng(8);
    const n = 10;
    const A = new Float64Array(n * n);
    const M = rng.fillGaussian(new Float64Array(n * n));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += M[i * n + k] * M[j * n + k];
      A[i * n + j] = s + (i === j ? 0.5 : 0);
    }
    const g = rng.fillGaussian(new Float64Array(n));
    const step = newtonCgStep(new DenseOperator(A, n), g, 0.1, { tol: 1e-12 });
    expect(step.status).toBe('converged');
    const res = new Float64Array(n);
    new DenseOperator(A, n).apply(step.step, res);
    for (let i = 0; i < n; i++) expect(res[i] + 0.1 * step.step[i] + g[i]).toBeCloseTo(0, 9);
    // Indefinite: −A.
    const neg = A.map((x) => -x);
    const s2 = newtonCgStep(new DenseOperator(neg, n), g, 0, {});
    expect(s2.status).toBe('negative-curvature');
    let gp = 0;
    for (let i = 0; i < n; i++) gp += g[i] * s2.step[i];
    expect(gp).toBeLessThan(0); // a descent direction
    expect(s2.curvature as number).toBeLessThan(0);
  });
});
