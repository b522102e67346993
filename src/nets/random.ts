import type { Rng } from '../random/rng.js';
import type { ActivationName } from './activations.js';
import type { Dataset } from './dataset.js';
import { layeredNet, type LayeredNet } from './layered.js';
import type { LossName } from './losses.js';

/**
 * Weights for a layered net: W_l entries ~ N(0, gain²/n_{l−1}) (LeCun-style fan-in scaling),
 * biases ~ N(0, gain²/n_{l−1}) too, so pre-activations are O(gain) whatever the widths.
 */
export function randomLayeredWeights(net: LayeredNet, rng: Rng, gain = 1): Float64Array {
  const w = new Float64Array(net.size);
  for (let l = 1; l < net.layers.length; l++) {
    const scale = gain / Math.sqrt(net.layers[l - 1]);
    const end = net.biasOffsets[l - 1] + net.layers[l];
    for (let k = net.weightOffsets[l - 1]; k < end; k++) w[k] = scale * rng.gaussian();
  }
  return w;
}

/**
 * A random data set valid for the loss: inputs ~ N(0, 1); targets one-hot (softmax-CE),
 * uniform in [0, 1] (cross-entropy) or N(0, 1) (sse).
 */
export function randomDataset(nIn: number, nOut: number, count: number, loss: LossName, rng: Rng): Dataset {
  const inputs = rng.fillGaussian(new Float64Array(count * nIn));
  const targets = new Float64Array(count * nOut);
  for (let p = 0; p < count; p++) {
    if (loss === 'softmax-cross-entropy') targets[p * nOut + rng.int(nOut)] = 1;
    else if (loss === 'cross-entropy') for (let o = 0; o < nOut; o++) targets[p * nOut + o] = rng.uniform();
    else for (let o = 0; o < nOut; o++) targets[p * nOut + o] = rng.gaussian();
  }
  return { count, nIn, nOut, inputs, targets };
}

/** A complete random problem (net, data, w) for benchmarks and examples. */
export function randomLayeredProblem(
  layers: readonly number[],
  activations: readonly ActivationName[],
  loss: LossName,
  patterns: number,
  rng: Rng,
): { net: LayeredNet; data: Dataset; w: Float64Array } {
  const net = layeredNet(layers, activations, loss);
  const w = randomLayeredWeights(net, rng);
  const data = randomDataset(layers[0], layers[layers.length - 1], patterns, loss, rng);
  return { net, data, w };
}
