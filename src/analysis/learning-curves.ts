import { InputError } from '../errors.js';

/**
 * Closed-form learning curves of online learning on linear teacher–student regression
 * (Werfel, Xie & Seung 2005; derived in docs/theory.md, "Learning curves of WP, node
 * perturbation and SGD"). Student W and teacher W* are M × N; each trial draws a fresh input
 * x ~ N(0, α² I_N) and changes W by one of
 *
 *   sgd    ΔW = −η D x xᵀ                                  (D = W − W*, the exact per-sample gradient)
 *   wp     ΔW = −η ĝ,  ĝ = ΔE·Ξ/σ        (all MN weights perturbed by σΞ, Ξ iid, E Ξ² = 1, E Ξ⁴ = κ)
 *   node   ΔW = −η δ̂ xᵀ, δ̂ = ΔE·ξ/σ      (the M output units' summed inputs perturbed by σξ)
 *
 * with ΔE the antithetic odd part ½(E(+) − E(−)) or the one-sided E(+) − E(0). S_t = E‖D_t‖²_F
 * then obeys exactly S_{t+1} = γ S_t + c, with u = ηα²,
 *
 *   γ = 1 − 2u + u² K,   K_sgd = N + 2,   K_wp = (MN − 1 + κ)(N + 2),   K_node = (M − 1 + κ)(N + 2),
 *
 * and c = 0 for sgd and antithetic pairs; for one-sided ΔE with Gaussian perturbations
 *
 *   c_wp = η² σ² α⁴ N(N+2) M(M+2)(MN+4) / 4,   c_node = η² σ² α² N M(M+2)(M+4) / 4.
 *
 * The generalisation error (the expected per-sample error) is ε_t = ½ α² S_t.
 */
export const LEARNING_RULES = ['sgd', 'wp', 'node'] as const;
export type LearningRule = (typeof LEARNING_RULES)[number];

export interface LearningCurveParams {
  /** Learning rate η. */
  eta: number;
  /** Inputs N. */
  inputs: number;
  /** Outputs M. */
  outputs: number;
  /** Input variance α² (default 1). */
  inputVariance?: number;
  /** Fourth moment κ of the perturbation law (default 3, Gaussian; 1 for ±σ). */
  kappa?: number;
  /** Perturbation scale σ; only the one-sided noise floor depends on it (default 0). */
  sigma?: number;
  /** Antithetic pairs (default true): no noise floor. One-sided floors assume Gaussian perturbations. */
  antithetic?: boolean;
}

function checked(rule: LearningRule, p: LearningCurveParams) {
  const { eta, inputs, outputs, inputVariance = 1, kappa = 3, sigma = 0, antithetic = true } = p;
  if (!LEARNING_RULES.includes(rule)) throw new InputError('rule', `must be one of ${LEARNING_RULES.join(', ')}`, rule);
  if (!(Number.isFinite(eta) && eta > 0)) throw new InputError('eta', 'must be a finite number > 0', eta);
  if (!Number.isInteger(inputs) || inputs < 1) throw new InputError('inputs', 'must be a positive integer', inputs);
  if (!Number.isInteger(outputs) || outputs < 1) throw new InputError('outputs', 'must be a positive integer', outputs);
  if (!(Number.isFinite(inputVariance) && inputVariance > 0)) throw new InputError('inputVariance', 'must be a finite number > 0', inputVariance);
  if (!(Number.isFinite(kappa) && kappa >= 1)) throw new InputError('kappa', 'must be a finite fourth moment ≥ 1', kappa);
  if (!(Number.isFinite(sigma) && sigma >= 0)) throw new InputError('sigma', 'must be a finite number ≥ 0', sigma);
  if (!antithetic && sigma > 0 && kappa !== 3 && rule !== 'sgd') {
    throw new InputError('kappa', 'must be 3 (Gaussian) for the one-sided noise floor, the only law derived', kappa);
  }
  return { eta, N: inputs, M: outputs, A: inputVariance, kappa, sigma, antithetic };
}

/** K of γ = 1 − 2u + u²K: the second moment of the update per unit of ‖D‖², over (ηα²)². */
export function curvatureFactor(rule: LearningRule, p: LearningCurveParams): number {
  const { N, M, kappa } = checked(rule, p);
  if (rule === 'sgd') return N + 2;
  if (rule === 'wp') return (M * N - 1 + kappa) * (N + 2);
  return (M - 1 + kappa) * (N + 2);
}

/** γ: E‖D_{t+1}‖² = γ E‖D_t‖² + c. */
export function decayFactor(rule: LearningRule, p: LearningCurveParams): number {
  const { eta, A } = checked(rule, p);
  const u = eta * A;
  return 1 - 2 * u + u * u * curvatureFactor(rule, p);
}

/** −ln γ: the error decays as e^{−rate·t} while it is far above the noise floor. */
export function decayRate(rule: LearningRule, p: LearningCurveParams): number {
  return -Math.log(decayFactor(rule, p));
}

/** c: the one-sided noise added to E‖D‖² per trial (0 for sgd and antithetic pairs). */
export function floorIncrement(rule: LearningRule, p: LearningCurveParams): number {
  const { eta, N, M, A, sigma, antithetic } = checked(rule, p);
  if (rule === 'sgd' || antithetic) return 0;
  const e2s2 = eta * eta * sigma * sigma;
  if (rule === 'wp') return (e2s2 * A * A * N * (N + 2) * M * (M + 2) * (M * N + 4)) / 4;
  return (e2s2 * A * N * M * (M + 2) * (M + 4)) / 4;
}

/** The learning rate that minimises γ: ηα² = 1/K, giving γ = 1 − 1/K. Stable iff ηα² < 2/K. */
export function optimalEta(rule: LearningRule, p: Omit<LearningCurveParams, 'eta'>): number {
  return 1 / ((p.inputVariance ?? 1) * curvatureFactor(rule, { ...p, eta: 1 }));
}

/**
 * Expected generalisation error ε_t = ½α² S_t after t trials from S_0 = ‖D_0‖²_F:
 * S_t = γ^t S_0 + c (1 − γ^t)/(1 − γ).
 */
export function expectedError(rule: LearningRule, p: LearningCurveParams, initialSquaredDistance: number, t: number): number {
  const { A } = checked(rule, p);
  const g = decayFactor(rule, p);
  const c = floorIncrement(rule, p);
  const gt = g ** t;
  const floor = c === 0 ? 0 : g === 1 ? c * t : (c * (1 - gt)) / (1 - g);
  return 0.5 * A * (gt * initialSquaredDistance + floor);
}
