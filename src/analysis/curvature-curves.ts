/**
 * Closed forms for learning on an axis-aligned quadratic E = ½Σ λ_i d_i² with the estimator rule
 * (docs/theory.md, "Curvature in the loop"): every K trials the synapses step
 * d_i ← d_i − (η/h_i)(g_i + ε_i), with g_i = λ_i d_i, h_i = 1 for plain WP and h_i = max(λ_i, δ)
 * for diagonal preconditioning with a settled diagonal. For Gaussian antithetic perturbations the
 * window's gradient error has E ε_i = 0, Var ε_i = (|g|² + g_i²)/K, independent across i to this
 * order, so m_i = E d_i² obeys exactly the linear recursion
 *
 *   m_i' = (1 − ηλ_i/h_i)² m_i + (η²/(K h_i²)) (Σ_j λ_j² m_j + λ_i² m_i),
 *
 * and the mean error is E_k = ½ Σ λ_i m_i(k).
 */
export function meanErrorCurve(lambdas: readonly number[], m0: readonly number[], eta: number, window: number, h: readonly number[], steps: number): number[] {
  const n = lambdas.length;
  let m = m0.slice();
  const out = [errorOf(lambdas, m)];
  for (let k = 0; k < steps; k++) {
    let g2 = 0;
    for (let j = 0; j < n; j++) g2 += lambdas[j] ** 2 * m[j];
    m = m.map((mi, i) => (1 - (eta * lambdas[i]) / h[i]) ** 2 * mi + ((eta * eta) / (window * h[i] * h[i])) * (g2 + lambdas[i] ** 2 * mi));
    out.push(errorOf(lambdas, m));
  }
  return out;
}

function errorOf(lambdas: readonly number[], m: readonly number[]): number {
  let e = 0;
  for (let i = 0; i < lambdas.length; i++) e += 0.5 * lambdas[i] * m[i];
  return e;
}

/** The first step k at which the mean error reaches `target` (Infinity within `maxSteps` if never). */
export function stepsToTarget(lambdas: readonly number[], m0: readonly number[], eta: number, window: number, h: readonly number[], target: number, maxSteps: number): number {
  const n = lambdas.length;
  const m = m0.slice();
  const start = errorOf(lambdas, m0);
  for (let k = 0; k <= maxSteps; k++) {
    const e = errorOf(lambdas, m);
    if (e <= target) return k;
    if (!(e < 1e6 * start)) return Infinity; // diverging
    let g2 = 0;
    for (let j = 0; j < n; j++) g2 += lambdas[j] ** 2 * m[j];
    for (let i = 0; i < n; i++) m[i] = (1 - (eta * lambdas[i]) / h[i]) ** 2 * m[i] + ((eta * eta) / (window * h[i] * h[i])) * (g2 + lambdas[i] ** 2 * m[i]);
  }
  return Infinity;
}

/** Plain WP (h = 1) at its best constant η and window K over the grids given: the fewest trials K·k (≤ maxTrials) to the target. */
export function bestPlainTrials(lambdas: readonly number[], m0: readonly number[], target: number, etas: readonly number[], windows: readonly number[], maxTrials: number): { trials: number; eta: number; window: number } {
  const ones = lambdas.map(() => 1);
  let best = { trials: Infinity, eta: NaN, window: NaN };
  for (const window of windows) {
    for (const eta of etas) {
      const budget = Math.min(maxTrials, best.trials);
      const trials = window * stepsToTarget(lambdas, m0, eta, window, ones, target, Math.floor(budget / window));
      if (trials < best.trials) best = { trials, eta, window };
    }
  }
  return best;
}
