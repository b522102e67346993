/**
 * Node perturbation, the per-unit correlation rule (docs/theory.md, "Learning curves of WP, node
 * perturbation and SGD"). Every unit j's summed input is perturbed by c_j (its own code value or
 * draw); the environment broadcasts ΔE, the change of the cost. Unit j estimates
 *   δ̂_j = ΔE c_j / ⟨c_j²⟩          (E[δ̂_j] = ∂E/∂x_j + O(σ²); exact in mean for a linear unit
 *                                   with squared error, whatever σ),
 * and each synapse j←k forms δ̂_j y_k from its unit's estimate and its own presynaptic activity
 * y_k (a bias: δ̂_j alone). A synapse reads nothing else: locality holds per unit.
 *
 * Parameter layout: the layered net-file order (docs/formats.md): for l = 1 … L, W_l as
 * n_l × n_{l−1} row-major (W_l[o, i] feeds input i into unit o), then b_l. Units are numbered
 * layer by layer from layer 1; activities y_0 … y_{L−1} are stored layer by layer from layer 0.
 */
export interface NodeLayout {
  readonly layers: readonly number[];
  readonly weightOffsets: readonly number[];
  readonly biasOffsets: readonly number[];
}

export class NodeRule {
  /** Number of perturbed units, Σ_{l ≥ 1} n_l. */
  readonly units: number;
  /** Per-unit estimates δ̂ of the last accumulate call. */
  readonly delta: Float64Array;
  private readonly unitOffsets: number[] = [];
  private readonly activityOffsets: number[] = [];

  constructor(readonly layout: NodeLayout) {
    let units = 0;
    let acts = 0;
    for (let l = 1; l < layout.layers.length; l++) {
      this.unitOffsets.push(units);
      units += layout.layers[l];
      this.activityOffsets.push(acts);
      acts += layout.layers[l - 1];
    }
    this.units = units;
    this.delta = new Float64Array(units);
  }

  /**
   * One step: δ̂_j = dE·c_j/meanSquare for every unit, then G_{j←k} += scale·δ̂_j y_k and
   * G_{b_j} += scale·δ̂_j. `perturbation` has one entry per unit, `activities` holds y_0 … y_{L−1};
   * meanSquare is ⟨c_j²⟩ per step (a code's `meanSquare`, or σ² for iid draws). Returns G.
   */
  accumulate(
    dE: number, perturbation: Float64Array, meanSquare: number, activities: Float64Array, scale: number, G: Float64Array,
  ): Float64Array {
    const { layers, weightOffsets, biasOffsets } = this.layout;
    const delta = this.delta;
    const k = dE / meanSquare;
    // Stryker disable next-line EqualityOperator: j <= units is equivalent: the extra pass reads past the held slots (undefined) and its writes to the length-n arrays are dropped.
    for (let j = 0; j < this.units; j++) delta[j] = k * perturbation[j];
    // Stryker disable next-line EqualityOperator: equivalent: at l = layers.length the layer width is undefined, so the inner loops do not run.
    for (let l = 1; l < layers.length; l++) {
      const nIn = layers[l - 1];
      const nOut = layers[l];
      const wOff = weightOffsets[l - 1];
      const bOff = biasOffsets[l - 1];
      const uOff = this.unitOffsets[l - 1];
      const yOff = this.activityOffsets[l - 1];
      for (let o = 0; o < nOut; o++) {
        const d = scale * delta[uOff + o];
        const row = wOff + o * nIn;
        for (let i = 0; i < nIn; i++) G[row + i] += d * activities[yOff + i];
        G[bOff + o] += d;
      }
    }
    return G;
  }
}
