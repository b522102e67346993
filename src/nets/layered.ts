import { activation, type Activation, type ActivationName } from './activations.js';
import { loss, type Loss, type LossName } from './losses.js';

/**
 * A dense layered network n0 → n1 → … → nL. Layer l (1 ≤ l ≤ L) computes, per pattern,
 *   x_l = W_l y_{l−1} + b_l,   y_l = σ_l(x_l),   y_0 = input.
 *
 * Flat parameter layout (the net-file contract, docs/formats.md): for l = 1 … L in order,
 * W_l as n_l × n_{l−1} row-major (W_l[o, i] multiplies input i into output o), then b_l (n_l).
 */
export interface LayeredNet {
  readonly kind: 'layered';
  readonly layers: readonly number[];
  readonly activationNames: readonly ActivationName[];
  readonly activations: readonly Activation[];
  readonly lossName: LossName;
  readonly loss: Loss;
  /** Offset of W_l in the flat vector, index l−1. */
  readonly weightOffsets: readonly number[];
  /** Offset of b_l in the flat vector, index l−1. */
  readonly biasOffsets: readonly number[];
  /** Total number of parameters. */
  readonly size: number;
}

/** Builds the layout; sizes and names must already be validated (see netfile.ts). */
export function layeredNet(
  layers: readonly number[],
  activationNames: readonly ActivationName[],
  lossName: LossName,
): LayeredNet {
  const weightOffsets: number[] = [];
  const biasOffsets: number[] = [];
  let size = 0;
  for (let l = 1; l < layers.length; l++) {
    weightOffsets.push(size);
    size += layers[l] * layers[l - 1];
    biasOffsets.push(size);
    size += layers[l];
  }
  return {
    kind: 'layered',
    layers: [...layers],
    activationNames: [...activationNames],
    activations: activationNames.map(activation),
    lossName,
    loss: loss(lossName),
    weightOffsets,
    biasOffsets,
    size,
  };
}

/** Number of parameters of a layered net with these layer sizes. */
export function layeredSize(layers: readonly number[]): number {
  let size = 0;
  for (let l = 1; l < layers.length; l++) size += layers[l] * (layers[l - 1] + 1);
  return size;
}
