import { nrm2 } from '../linalg/blas1.js';
import type { Rng } from '../random/rng.js';
import type { SymmetricOperator } from './operator.js';

export interface Eigenpair {
  value: number;
  vector: Float64Array;
  /** ‖A u − λ u‖ / |λ| at the returned pair. */
  residual: number;
  iterations: number;
  converged: boolean;
}

export interface PowerOptions {
  /** Stop when |Δλ| ≤ tol·|λ| AND ‖Au − λu‖ ≤ tol·|λ| (default 1e-10). */
  tol?: number;
  /** Iteration cap per eigenpair (default 10 000). */
  maxIter?: number;
}

/**
 * The top-k eigenpairs (largest |λ| first) by power iteration with deflation: eigenpair j
 * iterates in the orthogonal complement of the j − 1 found before (the iterate is
 * re-orthogonalised against them every step, twice). Each step costs one product; the Rayleigh
 * quotient λ = uᵀAu of the unit iterate is the estimate. Stops on relative change AND relative
 * residual, so a stalled λ with a large residual (near-equal |λ|) is not reported as converged.
 */
export function topEigenpairs(op: SymmetricOperator, k: number, rng: Rng, options: PowerOptions = {}): Eigenpair[] {
  const n = op.size;
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 10_000;
  const found: Eigenpair[] = [];
  const u = new Float64Array(n);
  const au = new Float64Array(n);
  for (let j = 0; j < Math.min(k, n); j++) {
    for (let i = 0; i < n; i++) u[i] = rng.gaussian();
    deflate(u, found);
    scaleToUnit(u);
    let lambda = 0;
    let residual = Infinity;
    let iterations = 0;
    let converged = false;
    while (iterations < maxIter) {
      op.apply(u, au);
      iterations++;
      deflate(au, found);
      let next = 0;
      for (let i = 0; i < n; i++) next += u[i] * au[i];
      let r2 = 0;
      for (let i = 0; i < n; i++) r2 += (au[i] - next * u[i]) ** 2;
      residual = Math.sqrt(r2) / Math.abs(next);
      const change = Math.abs(next - lambda) / Math.abs(next);
      lambda = next;
      if (change <= tol && residual <= tol) {
        converged = true;
        break;
      }
      const norm = nrm2(n, au);
      if (norm === 0) break; // u is in the null space: λ = 0 exactly
      for (let i = 0; i < n; i++) u[i] = au[i] / norm;
    }
    found.push({ value: lambda, vector: Float64Array.from(u), residual, iterations, converged });
  }
  return found;
}

/** x ← x − Σ_j (u_jᵀx) u_j, applied twice for orthogonality to round-off. */
function deflate(x: Float64Array, pairs: readonly Eigenpair[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (const p of pairs) {
      let d = 0;
      for (let i = 0; i < x.length; i++) d += p.vector[i] * x[i];
      for (let i = 0; i < x.length; i++) x[i] -= d * p.vector[i];
    }
  }
}

function scaleToUnit(x: Float64Array): void {
  const norm = nrm2(x.length, x);
  for (let i = 0; i < x.length; i++) x[i] /= norm;
}

/** The learning-rate rule η = 1/λ_max (LeCun, Simard & Pearlmutter 1993). */
export function learningRateFromLambdaMax(lambdaMax: number): number {
  return 1 / lambdaMax;
}
