import fc from 'fast-check';
import { Rng } from '../../src/random/rng.js';
import { ACTIVATION_NAMES, type ActivationName } from '../../src/nets/activations.js';
import { LOSS_NAMES, type LossName } from '../../src/nets/losses.js';
import { layeredNet, type LayeredNet } from '../../src/nets/layered.js';
import type { Dataset } from '../../src/nets/dataset.js';

export interface RandomProblem {
  net: LayeredNet;
  data: Dataset;
  w: Float64Array;
  v: Float64Array;
  u: Float64Array;
}

/** Output activation a loss allows (cross-entropy: logistic; softmax-CE: linear; sse: any). */
export function outputActivation(loss: LossName, pick: ActivationName): ActivationName {
  if (loss === 'cross-entropy') return 'logistic';
  if (loss === 'softmax-cross-entropy') return 'linear';
  return pick;
}

/** A seeded random layered problem: weights ~ N(0, 1/fan-in), inputs ~ N(0,1), valid targets. */
export function randomProblem(
  layers: number[], hidden: ActivationName[], out: ActivationName, loss: LossName, patterns: number, seed: number,
): RandomProblem {
  const acts = [...hidden.slice(0, layers.length - 2), out];
  const net = layeredNet(layers, acts, loss);
  const rng = new Rng(seed);
  const w = new Float64Array(net.size);
  for (let l = 1; l < layers.length; l++) {
    const scale = 1.5 / Math.sqrt(layers[l - 1]);
    for (let k = net.weightOffsets[l - 1]; k < net.biasOffsets[l - 1] + layers[l]; k++) w[k] = scale * rng.gaussian();
  }
  const nIn = layers[0];
  const nOut = layers[layers.length - 1];
  const inputs = new Float64Array(patterns * nIn);
  rng.fillGaussian(inputs);
  const targets = new Float64Array(patterns * nOut);
  for (let p = 0; p < patterns; p++) {
    if (loss === 'softmax-cross-entropy') {
      targets[p * nOut + rng.int(nOut)] = 1;
    } else if (loss === 'cross-entropy') {
      for (let o = 0; o < nOut; o++) targets[p * nOut + o] = rng.uniform();
    } else {
      for (let o = 0; o < nOut; o++) targets[p * nOut + o] = rng.gaussian();
    }
  }
  const v = rng.fillGaussian(new Float64Array(net.size));
  const u = rng.fillGaussian(new Float64Array(net.size));
  return { net, data: { count: patterns, nIn, nOut, inputs, targets }, w, v, u };
}

/** fast-check arbitrary over random layered problems of every activation/loss pair. */
export const problemArb = fc
  .record({
    layers: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }),
    hidden: fc.array(fc.constantFrom(...ACTIVATION_NAMES), { minLength: 3, maxLength: 3 }),
    out: fc.constantFrom(...ACTIVATION_NAMES),
    loss: fc.constantFrom(...LOSS_NAMES),
    patterns: fc.integer({ min: 1, max: 6 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map((r) => randomProblem(r.layers, r.hidden, outputActivation(r.loss, r.out), r.loss, r.patterns, r.seed));
