/**
 * Unit nonlinearities σ with their first and second derivatives, forward and derivatives
 * side by side (STYLE.md §6). Every derivative is computed from the pre-activation x, never
 * from a saved y: e.g. tanh'(x) = 1 − tanh(x)² rounds to 0 in float64 for |x| > ~19, while
 * sech²(x) written in e^{−2|x|} keeps full relative precision (THEORY.md §1).
 */
export interface Activation {
  readonly name: ActivationName;
  /** σ(x) */
  f(x: number): number;
  /** σ'(x) */
  d1(x: number): number;
  /** σ''(x) */
  d2(x: number): number;
}

export const ACTIVATION_NAMES = ['linear', 'logistic', 'tanh', 'softplus', 'relu'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

const linear: Activation = {
  name: 'linear',
  f: (x) => x,
  d1: () => 1,
  d2: () => 0,
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
};

const softplus: Activation = {
  name: 'softplus',
  // softplus(x) = log(1+e^x) = max(x, 0) + log1p(e^{−|x|})
  f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  d1: logisticF,
  d2: logisticD1,
};

const relu: Activation = {
  name: 'relu',
  f: (x) => (x > 0 ? x : 0),
  // Derivatives taken as 1 for x > 0 and 0 otherwise (the kink at 0 has measure zero).
  d1: (x) => (x > 0 ? 1 : 0),
  d2: () => 0,
};

const TABLE: Record<ActivationName, Activation> = { linear, logistic, tanh, softplus, relu };

export function isActivationName(name: string): name is ActivationName {
  return (ACTIVATION_NAMES as readonly string[]).includes(name);
}

export function activation(name: ActivationName): Activation {
  return TABLE[name];
}
