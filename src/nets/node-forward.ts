import type { LayeredNet } from './layered.js';

/**
 * The forward pass that node perturbation needs (docs/theory.md, "Learning curves of WP, node
 * perturbation and SGD"): one sample through a layered net with every unit's summed input
 * perturbed,
 *   x_l = W_l y_{l−1} + b_l + ξ_l,   y_l = σ_l(x_l),   y_0 = input,
 * returning that sample's loss. Units are numbered layer by layer from layer 1 (unit j of
 * layer l is unitOffsets[l−1] + j); activities y_0 … y_{L−1} (the presynaptic sides) are stored
 * layer by layer from layer 0 (activityOffsets[l−1] is where y_{l−1} starts).
 */
export interface NodeForwardWork {
  readonly units: number;
  readonly unitOffsets: readonly number[];
  readonly activityOffsets: readonly number[];
  /** Summed inputs x of every unit (with ξ added), units order. */
  readonly x: Float64Array;
  /** Activities y_0 … y_{L−1}: the presynaptic activity of every weight. */
  readonly activities: Float64Array;
  /** The output layer's part of x (a view). */
  readonly xOutput: Float64Array;
  /** Output activity y_L. */
  readonly output: Float64Array;
  /** Scratch for the loss's ∂E/∂x. */
  readonly dx: Float64Array;
}

/** Allocates the workspace of one net (once; the pass allocates nothing). */
export function nodeForwardWork(net: LayeredNet): NodeForwardWork {
  const L = net.layers.length - 1;
  const unitOffsets: number[] = [];
  const activityOffsets: number[] = [];
  let units = 0;
  let acts = 0;
  for (let l = 1; l <= L; l++) {
    unitOffsets.push(units);
    units += net.layers[l];
    activityOffsets.push(acts);
    acts += net.layers[l - 1];
  }
  const nOut = net.layers[L];
  const x = new Float64Array(units);
  return {
    units, unitOffsets, activityOffsets, x,
    xOutput: x.subarray(units - nOut),
    activities: new Float64Array(acts),
    output: new Float64Array(nOut),
    dx: new Float64Array(nOut),
  };
}

/**
 * E of one sample (input at inputs[inOff …], target at targets[tOff …]) with unit perturbations
 * xi (length work.units, or null for the unperturbed pass). Fills work.x, work.activities and
 * work.output; returns the loss.
 */
/**
 * Device variation of a chip's neurons, fixed per chip, one entry per unit (units order): hidden
 * unit j computes y = L_j σ(k_j (x − x₀_j)) + y₀_j; an output unit's pre-activation, which the
 * loss reads, becomes k_j (x − x₀_j) (the loss is defined on pre-activations, so L and y₀ of the
 * output layer are not modelled).
 */
export interface UnitVariation {
  readonly amplitude: Float64Array;
  readonly slope: Float64Array;
  readonly xShift: Float64Array;
  readonly yShift: Float64Array;
}

export function nodePerturbedLoss(
  net: LayeredNet, w: Float64Array,
  inputs: Float64Array, inOff: number, targets: Float64Array, tOff: number,
  xi: Float64Array | null, work: NodeForwardWork, variation: UnitVariation | null = null,
): number {
  const { layers, activations, weightOffsets, biasOffsets } = net;
  const L = layers.length - 1;
  const { x, activities, output, unitOffsets, activityOffsets } = work;
  for (let k = 0; k < layers[0]; k++) activities[k] = inputs[inOff + k];
  for (let l = 1; l <= L; l++) {
    const nIn = layers[l - 1];
    const nOut = layers[l];
    const wOff = weightOffsets[l - 1];
    const bOff = biasOffsets[l - 1];
    const yOff = activityOffsets[l - 1];
    const xOff = unitOffsets[l - 1];
    const act = activations[l - 1];
    for (let o = 0; o < nOut; o++) {
      let s = w[bOff + o];
      const row = wOff + o * nIn;
      for (let i = 0; i < nIn; i++) s += w[row + i] * activities[yOff + i];
      if (xi !== null) s += xi[xOff + o];
      const j = xOff + o;
      if (variation !== null) s = variation.slope[j] * (s - variation.xShift[j]);
      x[j] = s;
      let y = act.f(s);
      if (variation !== null && l < L) y = variation.amplitude[j] * y + variation.yShift[j];
      if (l < L) activities[activityOffsets[l] + o] = y;
      else output[o] = y;
    }
  }
  return net.loss.evaluate(1, layers[L], activations[L - 1], work.xOutput, targets, tOff, work.dx, null, null);
}
