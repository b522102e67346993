/**
 * A Boltzmann machine: N = visible + hidden units with states in {0, 1} ("binary") or {−1, +1}
 * ("bipolar"), symmetric pairwise weights w_k on connections (i_k, j_k), i_k < j_k, and
 * temperature T. Energy of a global state α:
 *
 *   seed convention (default)  E_α = + Σ_k s_i s_j w_k        (the seed's sign)
 *   standard convention        E_α = − Σ_k s_i s_j w_k        (Hinton & Sejnowski's)
 *
 * P(α) = e^{−E_α/T}/Z. Units 0 … visible−1 are visible; the environment clamps them to pattern
 * v with probability q(v). The learning objective is G = KL(P⁺ ‖ P⁻) over visible states.
 * The flat parameter vector is w_0 … w_{K−1} in connection order.
 */
export interface BoltzmannMachine {
  readonly kind: 'boltzmann';
  readonly visible: number;
  readonly hidden: number;
  readonly units: number;
  readonly states: 'binary' | 'bipolar';
  /** +1 for the seed's E = +Σ s s w, −1 for the standard E = −Σ s s w. */
  readonly energySign: 1 | -1;
  readonly temperature: number;
  /** Connection k joins units first[k] < second[k]. */
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly size: number;
  /** Visible patterns (count × visible, unit states) and their probabilities q(v) (sum 1). */
  readonly patterns: Float64Array;
  readonly patternCount: number;
  readonly patternProbabilities: Float64Array;
}

/** The largest machine the exact (enumeration) oracle accepts: 2^20 global states. */
export const ENUMERATION_LIMIT = 20;

/** The two values a unit can take: [off, on]. */
export function unitValues(m: BoltzmannMachine): [number, number] {
  return m.states === 'binary' ? [0, 1] : [-1, 1];
}
