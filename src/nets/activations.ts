import { expNonPositive, tanhSmall, TANH_SMALL_LIMIT } from './fast-math.js';

/**
 * Unit nonlinearities σ with their first and second derivatives, forward and derivatives
 * side by side. Every derivative is computed from the pre-activation x, never
 * from a saved y: e.g. tanh'(x) = 1 − tanh(x)² rounds to 0 in float64 for |x| > ~19, while
 * sech²(x) written in e^{−2|x|} keeps full relative precision (docs/theory.md, "R{backprop}").
 */
export interface Activation {
  readonly name: ActivationName;
  /** σ(x) */
  f(x: number): number;
  /** σ'(x) */
  d1(x: number): number;
  /** σ''(x) */
  d2(x: number): number;
  /**
   * Batched: for k in [0, n) writes y[k] = σ(x[k]), s1[k] = σ'(x[k]) and, when s2 is given,
   * s2[k] = σ''(x[k]). Implementations share one transcendental per element where they can;
   * results equal f, d1, d2 to within a few ulps.
   */
  derivatives(n: number, x: Float64Array, y: Float64Array, s1: Float64Array, s2: Float64Array | null): void;
}

/** The batched pass written with the scalar methods (for activations with cheap f, d1, d2). */
function genericDerivatives(
  this: Activation, n: number, x: Float64Array, y: Float64Array, s1: Float64Array, s2: Float64Array | null,
): void {
  for (let k = 0; k < n; k++) {
    const xk = x[k];
    y[k] = this.f(xk);
    s1[k] = this.d1(xk);
    if (s2 !== null) s2[k] = this.d2(xk);
  }
}

export const ACTIVATION_NAMES = ['linear', 'logistic', 'tanh', 'softplus', 'relu'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

const linear: Activation = {
  name: 'linear',
  f: (x) => x,
  d1: () => 1,
  d2: () => 0,
  derivatives(n, x, y, s1, s2) {
    for (let k = 0; k < n; k++) {
      y[k] = x[k];
      s1[k] = 1;
    }
    if (s2 !== null) s2.fill(0, 0, n);
  },
};

/** logistic(x) = 1/(1+e^{−x}) evaluated without overflow on either side. */
function logisticF(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** logistic'(x) = e^{−|x|}/(1+e^{−|x|})² (even in x, no cancellation). */
function logisticD1(x: number): number {
  const e = Math.exp(-Math.abs(x));
  const d = 1 + e;
  return e / (d * d);
}

const logistic: Activation = {
  name: 'logistic',
  f: logisticF,
  d1: logisticD1,
  // σ'' = σ'(1 − 2σ) and 1 − 2σ(x) = −tanh(x/2), which is exact for large |x|.
  d2: (x) => -logisticD1(x) * Math.tanh(x / 2),
  // One exp per element, e = e^{−|x|}: σ = 1/(1+e) (x ≥ 0) or e/(1+e), σ' = e/(1+e)², and
  // σ'' = −σ' tanh(x/2) with tanh(|x|/2) from the rational form near 0 (no cancellation) and
  // (1 − e)/(1 + e) beyond.
  derivatives(n, x, y, s1, s2) {
    for (let k = 0; k < n; k++) {
      const xk = x[k];
      const ax = Math.abs(xk);
      const e = expNonPositive(-ax);
      const inv = 1 / (1 + e);
      y[k] = xk >= 0 ? inv : e * inv;
      const d1 = e * inv * inv;
      s1[k] = d1;
      if (s2 !== null) {
        const halfTanh = ax < 2 * TANH_SMALL_LIMIT ? tanhSmall(0.5 * ax) : (1 - e) * inv;
        s2[k] = xk >= 0 ? -d1 * halfTanh : d1 * halfTanh;
      }
    }
  },
};

/** sech²(x) = 4e^{−2|x|}/(1+e^{−2|x|})². */
function sech2(x: number): number {
  const e = Math.exp(-2 * Math.abs(x));
  const d = 1 + e;
  return (4 * e) / (d * d);
}

const tanh: Activation = {
  name: 'tanh',
  f: Math.tanh,
  d1: sech2,
  // tanh'' = −2 tanh(x) sech²(x)
  d2: (x) => -2 * Math.tanh(x) * sech2(x),
  // At most one transcendental per element: near 0 the rational tanh and sech² = (1−t)(1+t)
  // (t² < 0.31, no cancellation); beyond, e = e^{−2|x|}, tanh|x| = (1−e)/(1+e) and
  // sech² x = 4e/(1+e)², exact in the tails where 1 − t² would round to 0.
  derivatives(n, x, y, s1, s2) {
    for (let k = 0; k < n; k++) {
      const xk = x[k];
      const ax = Math.abs(xk);
      let t: number;
      let sech2x: number;
      if (ax < TANH_SMALL_LIMIT) {
        t = tanhSmall(ax);
        sech2x = (1 - t) * (1 + t);
      } else {
        const e = expNonPositive(-2 * ax);
        const inv = 1 / (1 + e);
        t = (1 - e) * inv;
        sech2x = 4 * e * inv * inv;
      }
      const signed = xk >= 0 ? t : -t;
      y[k] = signed;
      s1[k] = sech2x;
      if (s2 !== null) s2[k] = -2 * signed * sech2x;
    }
  },
};

const softplus: Activation = {
  name: 'softplus',
  // softplus(x) = log(1+e^x) = max(x, 0) + log1p(e^{−|x|})
  f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  d1: logisticF,
  d2: logisticD1,
  // One exp and one log1p per element: e = e^{−|x|}; σ = max(x,0) + log1p(e),
  // σ' = logistic(x), σ'' = e/(1+e)².
  derivatives(n, x, y, s1, s2) {
    for (let k = 0; k < n; k++) {
      const xk = x[k];
      const e = expNonPositive(-Math.abs(xk));
      const d = 1 + e;
      y[k] = Math.max(xk, 0) + Math.log1p(e);
      s1[k] = xk >= 0 ? 1 / d : e / d;
      if (s2 !== null) s2[k] = e / (d * d);
    }
  },
};

const relu: Activation = {
  name: 'relu',
  f: (x) => (x > 0 ? x : 0),
  // Derivatives taken as 1 for x > 0 and 0 otherwise (the kink at 0 has measure zero).
  d1: (x) => (x > 0 ? 1 : 0),
  d2: () => 0,
  derivatives: genericDerivatives,
};

const TABLE: Record<ActivationName, Activation> = { linear, logistic, tanh, softplus, relu };

export function isActivationName(name: string): name is ActivationName {
  return (ACTIVATION_NAMES as readonly string[]).includes(name);
}

export function activation(name: ActivationName): Activation {
  return TABLE[name];
}
