/**
 * The learning rules a synapse applies to its own weight (docs/theory.md, "Weight
 * perturbation"). The classic WP rule, w_i ← w_i − (η/⟨Δw²⟩) a Δw_i with a the broadcast odd part
 * of ΔE, is integrated over the chip's window τθ by the train mode (src/sim/modes/train.ts) and
 * applied here by the Optimizer. All are local: synapse i reads its own Δw_i or ĝ_i, the
 * broadcast scalar and the chip-wide step size, and writes only w_i. A stuck synapse (a fault of
 * the chip, mask 1) keeps its weight.
 */

/** A step on the synapses' own gradient estimates: w_i ← w_i − η ĝ_i. */
export function estimateStep(w: Float64Array, gHat: Float64Array, eta: number, stuck: Uint8Array): void {
  // Stryker disable next-line EqualityOperator: i <= w.length is equivalent: the extra pass reads past the held slots (undefined) and its writes to the length-n arrays are dropped.
  for (let i = 0; i < w.length; i++) if (!stuck[i]) w[i] -= eta * gHat[i];
}

/** How the synapses turn their integrated gradient estimate into a weight change. */
export type OptimizerSpec =
  | { name: 'sgd' }
  | { name: 'momentum'; beta: number }
  | { name: 'adam'; beta1: number; beta2: number; epsilon: number };

/**
 * The optimizer's per-synapse state and step, all local: synapse i keeps m_i (and s_i for Adam)
 * and reads its own estimate G_i, η and the step count (a chip-wide clock). For an estimate G:
 *   sgd       w_i ← w_i − η G_i
 *   momentum  m_i ← β m_i + G_i,                 w_i ← w_i − η m_i
 *   adam      m_i ← β₁ m_i + (1 − β₁) G_i,  s_i ← β₂ s_i + (1 − β₂) G_i²,
 *             w_i ← w_i − η m̂_i/(√ŝ_i + ε)   with m̂ = m/(1 − β₁ᵏ), ŝ = s/(1 − β₂ᵏ) at step k.
 * `stepScaled` takes D = η G (the rule's accumulated change); sgd applies it as it is, so a run
 * with sgd gives the same bits as the plain rule.
 */
export class Optimizer {
  private readonly m: Float64Array;
  private readonly s: Float64Array;
  private steps = 0;

  constructor(readonly spec: OptimizerSpec, size: number) {
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent: sgd never reads m, so allocating it for sgd changes memory only.
    this.m = new Float64Array(spec.name === 'sgd' ? 0 : size);
    // Stryker disable next-line ConditionalExpression: equivalent: only adam reads s, so allocating it for the others changes memory only.
    this.s = new Float64Array(spec.name === 'adam' ? size : 0);
  }

  /** Applies the change for D = η G (the learning rate already folded in). */
  stepScaled(w: Float64Array, d: Float64Array, eta: number, stuck: Uint8Array): void {
    const spec = this.spec;
    const k = ++this.steps;
    if (spec.name === 'sgd') {
      // Stryker disable next-line EqualityOperator: i <= w.length is equivalent: the extra pass reads past the held slots (undefined) and its writes to the length-n arrays are dropped.
      for (let i = 0; i < w.length; i++) if (!stuck[i]) w[i] -= d[i];
      return;
    }
    const m = this.m;
    if (spec.name === 'momentum') {
      // Stryker disable next-line EqualityOperator: i <= w.length is equivalent: the extra pass reads past the held slots (undefined) and its writes to the length-n arrays are dropped.
      for (let i = 0; i < w.length; i++) {
        m[i] = spec.beta * m[i] + d[i] / eta;
        if (!stuck[i]) w[i] -= eta * m[i];
      }
      return;
    }
    const { beta1, beta2, epsilon } = spec;
    const c1 = 1 / (1 - beta1 ** k);
    const c2 = 1 / (1 - beta2 ** k);
    const s = this.s;
    // Stryker disable next-line EqualityOperator: i <= w.length is equivalent: the extra pass reads past the held slots (undefined) and its writes to the length-n arrays are dropped.
    for (let i = 0; i < w.length; i++) {
      const g = d[i] / eta;
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      s[i] = beta2 * s[i] + (1 - beta2) * g * g;
      if (!stuck[i]) w[i] -= (eta * m[i] * c1) / (Math.sqrt(s[i] * c2) + epsilon);
    }
  }
}
