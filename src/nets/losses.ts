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
   * `count` patterns at once with n outputs each. x, dx, rx, rdx share one layout: output k of
   * pattern p at p·patternStride + k·unitStride (default row-major, patternStride = n,
   * unitStride = 1; the feature-major wasm pass uses 1 and its padded pattern count). Targets
   * are row-major from offset tOff. Returns Σ E over the patterns; writes ∂E/∂x to dx and, if rx
   * is given, R{∂E/∂x} to rdx. `act` is the output activation.
   */
  evaluate(
    count: number, n: number, act: Activation,
    x: Float64Array, t: Float64Array, tOff: number,
    dx: Float64Array, rx: Float64Array | null, rdx: Float64Array | null,
    patternStride?: number, unitStride?: number,
  ): number;
  /**
   * E of one pattern alone (no derivatives), x its n output pre-activations from 0, targets from
   * tOff: the same bits as `evaluate` returns for count 1. Where absent, callers use `evaluate`.
   */
  value?(n: number, x: Float64Array, t: Float64Array, tOff: number): number;
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
  evaluate(count, n, act, x, t, tOff, dx, rx, rdx, ps = n, us = 1) {
    let e = 0;
    for (let p = 0; p < count; p++) {
      for (let k = 0; k < n; k++) {
        const i = p * ps + k * us;
        const xk = x[i];
        const r = act.f(xk) - t[tOff + p * n + k];
        const s1 = act.d1(xk);
        e += 0.5 * r * r;
        dx[i] = s1 * r;
        if (rx !== null && rdx !== null) rdx[i] = (s1 * s1 + act.d2(xk) * r) * rx[i];
      }
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
  evaluate(count, n, act, x, t, tOff, dx, rx, rdx, ps = n, us = 1) {
    let e = 0;
    for (let p = 0; p < count; p++) {
      for (let k = 0; k < n; k++) {
        const i = p * ps + k * us;
        const xk = x[i];
        const tk = t[tOff + p * n + k];
        e += Math.max(xk, 0) + Math.log1p(expNonPositive(-Math.abs(xk))) - tk * xk;
        dx[i] = act.f(xk) - tk;
        if (rx !== null && rdx !== null) rdx[i] = act.d1(xk) * rx[i];
      }
    }
    return e;
  },
};

/**
 * Softmax cross-entropy on linear outputs, E = −Σ_k t_k ln p_k, p = softmax(x):
 * E = S·lse(x) − t·x with S = Σ t_k, so
 *   e_x = S p − t,   R{e_x} = S (diag(p) − p pᵀ) R{x} = S p ⊙ (R{x} − p·R{x}),
 * the full e' block (docs/theory.md, "R{backprop}").
 */
const softmaxCrossEntropy: Loss = {
  name: 'softmax-cross-entropy',
  requiresActivation: 'linear',
  evaluate(count, n, _act, x, t, tOff, dx, rx, rdx, ps = n, us = 1) {
    let total = 0;
    for (let p = 0; p < count; p++) {
      const off = p * ps;
      const to = tOff + p * n;
      // One exp per output: e_k = exp(x_k − max) is parked in dx, z = Σ e_k, p_k = e_k / z.
      let max = -Infinity;
      for (let k = 0; k < n; k++) if (x[off + k * us] > max) max = x[off + k * us];
      let z = 0;
      let sumT = 0;
      let tx = 0;
      for (let k = 0; k < n; k++) {
        const i = off + k * us;
        const e = expNonPositive(x[i] - max);
        dx[i] = e;
        z += e;
        sumT += t[to + k];
        tx += t[to + k] * x[i];
      }
      const invZ = 1 / z;
      if (rx !== null && rdx !== null) {
        let pRx = 0;
        for (let k = 0; k < n; k++) pRx += dx[off + k * us] * invZ * rx[off + k * us];
        for (let k = 0; k < n; k++) {
          const i = off + k * us;
          rdx[i] = sumT * dx[i] * invZ * (rx[i] - pRx);
        }
      }
      for (let k = 0; k < n; k++) {
        const i = off + k * us;
        dx[i] = sumT * dx[i] * invZ - t[to + k];
      }
      total += sumT * (max + Math.log(z)) - tx;
    }
    return total;
  },
  // The same sums in the same order as `evaluate` for one pattern, the e_k summed, not stored.
  value(n, x, t, tOff) {
    let max = -Infinity;
    for (let k = 0; k < n; k++) if (x[k] > max) max = x[k];
    let z = 0;
    let sumT = 0;
    let tx = 0;
    for (let k = 0; k < n; k++) {
      z += expNonPositive(x[k] - max);
      sumT += t[tOff + k];
      tx += t[tOff + k] * x[k];
    }
    // 0 + …: evaluate's total starts at 0, so E = −0 comes out as 0 there too.
    return 0 + (sumT * (max + Math.log(z)) - tx);
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
