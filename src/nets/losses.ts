import type { Activation } from './activations.js';
import { expNonPositive } from './fast-math.js';

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
   * `count` patterns at once, row-major with n outputs each: x, dx, rx, rdx from offset 0,
   * targets t from offset tOff. Returns Σ E over the patterns; writes ∂E/∂x to dx and, if rx is
   * given, R{∂E/∂x} to rdx. `act` is the output activation.
   */
  evaluate(
    count: number, n: number, act: Activation,
    x: Float64Array, t: Float64Array, tOff: number,
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
  evaluate(count, n, act, x, t, tOff, dx, rx, rdx) {
    let e = 0;
    for (let k = 0; k < count * n; k++) {
      const xk = x[k];
      const r = act.f(xk) - t[tOff + k];
      const s1 = act.d1(xk);
      e += 0.5 * r * r;
      dx[k] = s1 * r;
      if (rx !== null && rdx !== null) rdx[k] = (s1 * s1 + act.d2(xk) * r) * rx[k];
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
  evaluate(count, n, act, x, t, tOff, dx, rx, rdx) {
    let e = 0;
    for (let k = 0; k < count * n; k++) {
      const xk = x[k];
      const tk = t[tOff + k];
      e += Math.max(xk, 0) + Math.log1p(expNonPositive(-Math.abs(xk))) - tk * xk;
      dx[k] = act.f(xk) - tk;
      if (rx !== null && rdx !== null) rdx[k] = act.d1(xk) * rx[k];
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
  evaluate(count, n, _act, x, t, tOff, dx, rx, rdx) {
    let total = 0;
    for (let p = 0; p < count; p++) {
      const off = p * n;
      const to = tOff + off;
      // One exp per output: e_k = exp(x_k − max) is parked in dx, z = Σ e_k, p_k = e_k / z.
      let max = -Infinity;
      for (let k = 0; k < n; k++) if (x[off + k] > max) max = x[off + k];
      let z = 0;
      let sumT = 0;
      let tx = 0;
      for (let k = 0; k < n; k++) {
        const e = expNonPositive(x[off + k] - max);
        dx[off + k] = e;
        z += e;
        sumT += t[to + k];
        tx += t[to + k] * x[off + k];
      }
      const invZ = 1 / z;
      if (rx !== null && rdx !== null) {
        let pRx = 0;
        for (let k = 0; k < n; k++) pRx += dx[off + k] * invZ * rx[off + k];
        for (let k = 0; k < n; k++) rdx[off + k] = sumT * dx[off + k] * invZ * (rx[off + k] - pRx);
      }
      for (let k = 0; k < n; k++) dx[off + k] = sumT * dx[off + k] * invZ - t[to + k];
      total += sumT * (max + Math.log(z)) - tx;
    }
    return total;
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
