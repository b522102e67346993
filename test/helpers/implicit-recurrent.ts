import { Matrix, inverse, solve } from 'ml-matrix';
import type { Dataset } from '../../src/nets/dataset.js';
import { BIAS_COLUMN, externalColumns, type GraphNet } from '../../src/nets/graph.js';
import { OutputLoss } from '../../src/exact/output-loss.js';

/**
 * E, ∇E and the dense Hessian of a recurrent unit-graph net assembled from the implicit-function
 * theorem at the fixed point alone: a route that shares nothing with RecurrentOracle but the
 * per-pattern loss derivatives (losses.ts, checked on their own against differences of E).
 * No relaxation, no adjoint, no R-equations and no drive vectors:
 *
 *  - the fixed point y = σ(W y) + I is found by Newton's method on F(y) = σ(W y) + I − y
 *    (a few damped fixed-point steps first), to round-off;
 *  - with L = diag σ'(x), S = diag σ''(x), A = I − L W and connection c feeding unit i_c from
 *    unit j_c, differentiating y = σ(x) + I, x = W y once and twice gives
 *        A Y_c = L e_{i_c} y_{j_c},                           X_c = W Y_c + e_{i_c} y_{j_c}
 *        A Y_cd = L B_cd + S (X_c ⊙ X_d),                      X_cd = W Y_cd + B_cd,
 *        B_cd = e_{i_c} (Y_d)_{j_c} + e_{i_d} (Y_c)_{j_d}
 *    (Y = ∂y/∂w, X = ∂x/∂w), solved with the explicit inverse of A from ml-matrix;
 *  - with ℓ(x_out) the pattern's loss, ∂E/∂w_c = ℓ'ᵀ X_c and H_cd = X_cᵀ ℓ'' X_d + ℓ'ᵀ X_cd.
 *
 * Cost O(K² N²) per pattern: for the small nets of the tests only.
 */
export interface ImplicitDerivatives {
  loss: number;
  gradient: Float64Array;
  /** K × K row-major. */
  hessian: Float64Array;
  /** max over patterns of ‖A⁻¹‖∞, the fixed point's sensitivity to a residual. */
  sensitivity: number;
}

export function implicitDerivatives(net: GraphNet, data: Dataset, w: Float64Array): ImplicitDerivatives {
  const N = net.units;
  const K = net.size;
  const { from, to } = net;
  const ext = externalColumns(net);
  const outputLoss = new OutputLoss(net);
  const W = Matrix.zeros(N, N);
  for (let c = 0; c < K; c++) W.set(to[c], from[c], W.get(to[c], from[c]) + w[c]);
  const gradient = new Float64Array(K);
  const hessian = new Float64Array(K * K);
  let loss = 0;
  let sensitivity = 0;

  for (let p = 0; p < data.count; p++) {
    const I = Array.from({ length: N }, (_, i) => (ext[i] >= 0 ? data.inputs[p * data.nIn + ext[i]] : ext[i] === BIAS_COLUMN ? 1 : 0));
    const y = fixedPoint(net, W, I);
    const x = W.mmul(Matrix.columnVector(y)).to1DArray();
    const s1 = x.map((xi, i) => net.activations[i].d1(xi));
    const s2 = x.map((xi, i) => net.activations[i].d2(xi));
    const A = Matrix.eye(N, N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) A.set(i, j, A.get(i, j) - s1[i] * W.get(i, j));
    const Ainv = inverse(A);
    sensitivity = Math.max(sensitivity, rowSumNorm(Ainv));

    // Loss derivatives on the output pre-activations: ℓ' and the columns of ℓ''.
    const xs = Float64Array.from(x);
    const dl = new Float64Array(N);
    loss += outputLoss.evaluate(p, data.targets, xs, dl, null, null);
    const nOut = net.outputs.length;
    const l2 = new Float64Array(nOut * nOut);
    for (let b = 0; b < nOut; b++) {
      const rx = new Float64Array(N);
      rx[net.outputs[b]] = 1;
      const rdl = new Float64Array(N);
      outputLoss.evaluate(p, data.targets, xs, new Float64Array(N), rx, rdl);
      for (let a = 0; a < nOut; a++) l2[a * nOut + b] = rdl[net.outputs[a]];
    }

    // First derivatives Y_c, X_c.
    const Y: Float64Array[] = [];
    const X: Float64Array[] = [];
    for (let c = 0; c < K; c++) {
      const i = to[c];
      const yc = new Float64Array(N);
      for (let r = 0; r < N; r++) yc[r] = Ainv.get(r, i) * s1[i] * y[from[c]];
      const xc = matvec(W, yc);
      xc[i] += y[from[c]];
      Y.push(yc);
      X.push(xc);
      for (let a = 0; a < nOut; a++) gradient[c] += dl[net.outputs[a]] * xc[net.outputs[a]];
    }

    // Second derivatives, one pair at a time.
    const rhs = new Float64Array(N);
    for (let c = 0; c < K; c++) {
      for (let d = c; d < K; d++) {
        const B = new Float64Array(N);
        B[to[c]] += Y[d][from[c]];
        B[to[d]] += Y[c][from[d]];
        for (let r = 0; r < N; r++) rhs[r] = s1[r] * B[r] + s2[r] * X[c][r] * X[d][r];
        const ycd = matvecArr(Ainv, rhs);
        const xcd = matvec(W, ycd);
        for (let r = 0; r < N; r++) xcd[r] += B[r];
        let h = 0;
        for (let a = 0; a < nOut; a++) {
          const ua = net.outputs[a];
          h += dl[ua] * xcd[ua];
          for (let b = 0; b < nOut; b++) h += X[c][ua] * l2[a * nOut + b] * X[d][net.outputs[b]];
        }
        hessian[c * K + d] += h;
        if (d !== c) hessian[d * K + c] += h;
      }
    }
  }
  return { loss, gradient, hessian, sensitivity };
}

/** Dense H v. */
export function hessianTimes(hessian: Float64Array, v: Float64Array): Float64Array {
  const K = v.length;
  const out = new Float64Array(K);
  for (let c = 0; c < K; c++) {
    let s = 0;
    for (let d = 0; d < K; d++) s += hessian[c * K + d] * v[d];
    out[c] = s;
  }
  return out;
}

function rowSumNorm(M: Matrix): number {
  let best = 0;
  for (let i = 0; i < M.rows; i++) {
    let s = 0;
    for (let j = 0; j < M.columns; j++) s += Math.abs(M.get(i, j));
    best = Math.max(best, s);
  }
  return best;
}

function matvec(M: Matrix, v: Float64Array): Float64Array {
  return matvecArr(M, v);
}

function matvecArr(M: Matrix, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(M.rows);
  for (let i = 0; i < M.rows; i++) {
    let s = 0;
    for (let j = 0; j < M.columns; j++) s += M.get(i, j) * v[j];
    out[i] = s;
  }
  return out;
}

/** y = σ(W y) + I by damped fixed-point steps, then Newton on F(y) = σ(W y) + I − y to round-off. */
function fixedPoint(net: GraphNet, W: Matrix, I: number[]): number[] {
  const N = net.units;
  let y = I.slice();
  const F = (yy: number[]): number[] => {
    const x = matvecArr(W, yy);
    return yy.map((yi, i) => net.activations[i].f(x[i]) + I[i] - yi);
  };
  for (let step = 0; step < 100_000; step++) {
    const f = F(y);
    if (Math.max(...f.map(Math.abs)) < 1e-6) break;
    y = y.map((yi, i) => yi + 0.5 * f[i]);
  }
  for (let it = 0; it < 50; it++) {
    const f = F(y);
    const residual = Math.max(...f.map(Math.abs));
    if (residual === 0) break;
    const x = matvecArr(W, y);
    // J = L W − I; Newton: y ← y − J⁻¹ F.
    const J = Matrix.zeros(N, N);
    for (let i = 0; i < N; i++) {
      const d = net.activations[i].d1(x[i]);
      for (let j = 0; j < N; j++) J.set(i, j, d * W.get(i, j) - (i === j ? 1 : 0));
    }
    const step = solve(J, Matrix.columnVector(f)).to1DArray();
    const next = y.map((yi, i) => yi - step[i]);
    const nextResidual = Math.max(...F(next).map(Math.abs));
    if (!(nextResidual < residual)) break;
    y = next;
  }
  if (!(Math.max(...F(y).map(Math.abs)) < 1e-13)) throw new Error('implicitDerivatives: no fixed point found');
  return y;
}
