import type { SymmetricOperator } from './operator.js';

export interface NewtonStep {
  /** The step p (apply as w + p). */
  step: Float64Array;
  /** CG iterations (= Hv products) used. */
  iterations: number;
  /** ‖(H + λI) p + g‖ / ‖g‖ at exit. */
  relativeResidual: number;
  /** Why CG stopped. */
  status: 'converged' | 'negative-curvature' | 'iteration-cap';
  /** dᵀ(H + λI)d / dᵀd of the direction found, when negative curvature stopped CG. */
  curvature: number | null;
}

/**
 * A Newton–CG step (truncated Newton; Nocedal & Wright alg. 7.1): solve (H + λI) p = −g by
 * conjugate gradients from p = 0, with Tikhonov damping λ ≥ 0 and an iteration cap. If CG meets
 * a direction d with dᵀ(H + λI)d ≤ 0 it stops: on the first iteration it returns the steepest
 * descent step −g scaled by ‖g‖²/|gᵀ(H+λI)g| (or −g when that curvature is 0), otherwise the last
 * iterate, which is a descent direction. Every product is one Hv.
 */
export function newtonCgStep(
  op: SymmetricOperator, g: Float64Array, damping: number, options: { tol?: number; maxIter?: number } = {},
): NewtonStep {
  const n = op.size;
  const tol = options.tol ?? 1e-10;
  // CG ends in n steps in exact arithmetic; round-off needs a few more.
  const maxIter = options.maxIter ?? Math.min(Math.max(2 * n, 20), 1000);
  const p = new Float64Array(n);
  const r = Float64Array.from(g, (x) => -x); // r = −g − (H+λI)p with p = 0
  const d = Float64Array.from(r);
  const hd = new Float64Array(n);
  let rr = dot(r, r);
  const gNorm = Math.sqrt(rr);
  if (gNorm === 0) return { step: p, iterations: 0, relativeResidual: 0, status: 'converged', curvature: null };
  let iterations = 0;
  while (iterations < maxIter) {
    op.apply(d, hd);
    iterations++;
    for (let i = 0; i < n; i++) hd[i] += damping * d[i];
    const dhd = dot(d, hd);
    if (dhd <= 0) {
      const curvature = dhd / dot(d, d);
      if (iterations === 1) {
        const scale = dhd === 0 ? 1 : rr / Math.abs(dhd);
        for (let i = 0; i < n; i++) p[i] = scale * d[i];
      }
      return { step: p, iterations, relativeResidual: Math.sqrt(rr) / gNorm, status: 'negative-curvature', curvature };
    }
    const alpha = rr / dhd;
    for (let i = 0; i < n; i++) {
      p[i] += alpha * d[i];
      r[i] -= alpha * hd[i];
    }
    const rrNext = dot(r, r);
    if (Math.sqrt(rrNext) <= tol * gNorm) {
      return { step: p, iterations, relativeResidual: Math.sqrt(rrNext) / gNorm, status: 'converged', curvature: null };
    }
    const beta = rrNext / rr;
    rr = rrNext;
    for (let i = 0; i < n; i++) d[i] = r[i] + beta * d[i];
  }
  return { step: p, iterations, relativeResidual: Math.sqrt(rr) / gNorm, status: 'iteration-cap', curvature: null };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Backtracking (Armijo) line search along a descent direction p: the largest α in 1, ½, ¼, …
 * with E(w + αp) ≤ E(w) + c α gᵀp (c = 1e-4). Returns α and the new loss; α = 0 when p is not a
 * descent direction or no halving (of 40) decreases E.
 */
export function armijoBacktrack(
  loss: (w: Float64Array) => number, w: Float64Array, e0: number, g: Float64Array, p: Float64Array,
): { alpha: number; loss: number } {
  let slope = 0;
  for (let i = 0; i < p.length; i++) slope += g[i] * p[i];
  if (!(slope < 0)) return { alpha: 0, loss: e0 };
  const trial = new Float64Array(w.length);
  let alpha = 1;
  for (let k = 0; k < 40; k++, alpha /= 2) {
    for (let i = 0; i < w.length; i++) trial[i] = w[i] + alpha * p[i];
    const e = loss(trial);
    if (e <= e0 + 1e-4 * alpha * slope) return { alpha, loss: e };
  }
  return { alpha: 0, loss: e0 };
}
