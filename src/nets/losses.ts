import type { Activation } from './activations.js';

/**
 * Per-pattern losses, expressed on the output units' pre-activations x so that the
 * numerically delicate compositions (cross-entropy through a logistic, softmax) are taken in
 * closed form. For output activation σ and target t each loss provides
 *
 *   E(x),   e_x = ∂E/∂x,   R{e_x} = (∂²E/∂x∂x) R{x}
 *
 * where ∂²E/∂x∂x = diag(σ') e'(y) diag(σ') + diag(σ'' e(y)) is the seed's "e' R{y}" term
 * carried through the output nonlinearity. E sums over patterns (the callers add).
 */
export interface Loss {
  readonly name: LossName;
  /** The output activation this loss requires, or null for any. */
  readonly requiresActivation: string | null;
  /**
   * One pattern: returns E; writes ∂E/∂x to dx; if rx is given, writes R{∂E/∂x} to rdx.
   * Arrays are read/written at offset `off` over n entries; `act` is the output activation.
   */
  evaluate(
    n: number, act: Activation,
    x: Float64Array, t: Float64Array, off: number, tOff: number,
    dx: Float64Array, rx: Float64Array | null, rdx: Float64Array | null,
  ): number;
}

export const LOSS_NAMES = ['sse', 'cross-entropy', 'softmax-cross-entropy'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/**
 * Sum of squared error E = ½ Σ (σ(x) − t)²:
 *   e_x = σ'(x)(y − t),  R{e_x} = (σ'(x)² + σ''(x)(y − t)) R{x}     (e' = 1, diagonal).
 */
const sse: Loss = {
  name: 'sse',
  requiresActivation: null,
  evaluate(n, act, x, t, off, tOff, dx, rx, rdx) {
    let e = 0;
    for (let k = 0; k < n; k++) {
      const xk = x[off + k];
      const r = act.f(xk) - t[tOff + k];
      const s1 = act.d1(xk);
      e += 0.5 * r * r;
      dx[off + k] = s1 * r;
      if (rx !== null && rdx !== null) rdx[off + k] = (s1 * s1 + act.d2(xk) * r) * rx[off + k];
    }
    return e;
  },
};

/**
 * Cross-entropy on logistic outputs, E = −Σ [t ln y + (1−t) ln(1−y)] with y = logistic(x),
 * which is E = Σ softplus(x) − t x exactly:
 *   e_x = y − t,   R{e_x} = y(1−y) R{x}.
 */
const crossEntropy: Loss = {
  name: 'cross-entropy',
  requiresActivation: 'logistic',
  evaluate(n, act, x, t, off, tOff, dx, rx, rdx) {
    let e = 0;
    for (let k = 0; k < n; k++) {
      const xk = x[off + k];
      const tk = t[tOff + k];
      e += Math.max(xk, 0) + Math.log1p(Math.exp(-Math.abs(xk))) - tk * xk;
      dx[off + k] = act.f(xk) - tk;
      if (rx !== null && rdx !== null) rdx[off + k] = act.d1(xk) * rx[off + k];
    }
    return e;
  },
};

/**
 * Softmax cross-entropy on linear outputs, E = −Σ_k t_k ln p_k, p = softmax(x):
 * E = S·lse(x) − t·x with S = Σ t_k, so
 *   e_x = S p − t,   R{e_x} = S (diag(p) − p pᵀ) R{x} = S p ⊙ (R{x} − p·R{x}),
 * the full e' block of THEORY.md §1.
 */
const softmaxCrossEntropy: Loss = {
  name: 'softmax-cross-entropy',
  requiresActivation: 'linear',
  evaluate(n, _act, x, t, off, tOff, dx, rx, rdx) {
    // One exp per output: e_k = exp(x_k − max) is parked in dx, z = Σ e_k, p_k = e_k / z.
    let max = -Infinity;
    for (let k = 0; k < n; k++) if (x[off + k] > max) max = x[off + k];
    let z = 0;
    let sumT = 0;
    let tx = 0;
    for (let k = 0; k < n; k++) {
      const e = Math.exp(x[off + k] - max);
      dx[off + k] = e;
      z += e;
      sumT += t[tOff + k];
      tx += t[tOff + k] * x[off + k];
    }
    const lse = max + Math.log(z);
    const invZ = 1 / z;
    let pRx = 0;
    if (rx !== null) for (let k = 0; k < n; k++) pRx += dx[off + k] * invZ * rx[off + k];
    for (let k = 0; k < n; k++) {
      const p = dx[off + k] * invZ;
      if (rx !== null && rdx !== null) rdx[off + k] = sumT * p * (rx[off + k] - pRx);
      dx[off + k] = sumT * p - t[tOff + k];
    }
    return sumT * lse - tx;
  },
};

const TABLE: Record<LossName, Loss> = {
  sse,
  'cross-entropy': crossEntropy,
  'softmax-cross-entropy': softmaxCrossEntropy,
};

export function isLossName(name: string): name is LossName {
  return (LOSS_NAMES as readonly string[]).includes(name);
}

export function loss(name: LossName): Loss {
  return TABLE[name];
}
