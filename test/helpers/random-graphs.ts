import fc from 'fast-check';
import { Rng } from '../../src/random/rng.js';
import { ACTIVATION_NAMES, type ActivationName } from '../../src/nets/activations.js';
import { LOSS_NAMES, type LossName } from '../../src/nets/losses.js';
import { graphNet, type GraphNet } from '../../src/nets/graph.js';
import type { Dataset } from '../../src/nets/dataset.js';
import { outputActivation } from './random-nets.js';

export interface RandomGraphProblem {
  net: GraphNet;
  data: Dataset;
  w: Float64Array;
  v: Float64Array;
  /** For each unit, the connection from the bias unit into it, or −1. */
  biasConnection: Int32Array;
}

function targetsFor(loss: LossName, count: number, nOut: number, rng: Rng): Float64Array {
  const t = new Float64Array(count * nOut);
  for (let p = 0; p < count; p++) {
    if (loss === 'softmax-cross-entropy') t[p * nOut + rng.int(nOut)] = 1;
    else for (let o = 0; o < nOut; o++) t[p * nOut + o] = loss === 'cross-entropy' ? rng.uniform() : rng.gaussian();
  }
  return t;
}

/**
 * A seeded random acyclic unit graph that is not a layered net: `nIn` inputs, a bias unit,
 * `hidden` hidden units and `nOut` outputs, unit ids shuffled (so the topological order is not
 * the id order), each non-input unit fed by the bias and by each earlier unit with probability
 * 0.6 (skip connections, and outputs feeding later outputs). Hidden activations are drawn from
 * `acts`; output activations follow the loss (sse: drawn too, so outputs may differ).
 */
export function randomGraphProblem(
  nIn: number, hidden: number, nOut: number, acts: readonly ActivationName[], loss: LossName, patterns: number, seed: number,
): RandomGraphProblem {
  const rng = new Rng(seed);
  const units = nIn + 1 + hidden + nOut;
  // rank r → unit id perm[r]
  const perm = Array.from({ length: units }, (_, i) => i);
  for (let i = units - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const activations = new Array<ActivationName>(units);
  const connections: { from: number; to: number }[] = [];
  for (let r = 0; r < units; r++) {
    const id = perm[r];
    const isOutput = r >= nIn + 1 + hidden;
    activations[id] = r <= nIn ? 'linear' : isOutput ? outputActivation(loss, acts[rng.int(acts.length)]) : acts[rng.int(acts.length)];
    if (r <= nIn) continue;
    for (let s = 0; s < r; s++) if (s === nIn || rng.uniform() < 0.6) connections.push({ from: perm[s], to: id });
  }
  const inputs = perm.slice(0, nIn);
  const bias = perm[nIn];
  const outputs = perm.slice(nIn + 1 + hidden);
  const net = graphNet({ units, activations, inputs, bias, outputs, connections, loss });
  const fanIn = new Int32Array(units);
  for (const c of connections) fanIn[c.to]++;
  const w = Float64Array.from(connections, (c) => (1.5 * rng.gaussian()) / Math.sqrt(fanIn[c.to]));
  const data: Dataset = { count: patterns, nIn, nOut, inputs: rng.fillGaussian(new Float64Array(patterns * nIn)), targets: targetsFor(loss, patterns, nOut, rng) };
  return { net, data, w, v: rng.fillGaussian(new Float64Array(net.size)), biasConnection: biasConnections(net) };
}

/** fast-check arbitrary over random acyclic unit graphs of every activation and loss. */
export const graphProblemArb = fc
  .record({
    nIn: fc.integer({ min: 1, max: 3 }),
    hidden: fc.integer({ min: 0, max: 5 }),
    nOut: fc.integer({ min: 1, max: 3 }),
    acts: fc.array(fc.constantFrom(...ACTIVATION_NAMES), { minLength: 1, maxLength: 3 }),
    loss: fc.constantFrom(...LOSS_NAMES),
    patterns: fc.integer({ min: 1, max: 5 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map((r) => randomGraphProblem(r.nIn, r.hidden, r.nOut, r.acts, r.loss, r.patterns, r.seed));

/**
 * A random recurrent net: 2 inputs, a bias unit, `hidden` hidden units and 2 outputs, with
 * every hidden/output unit receiving from inputs, bias and a random half of all non-input units
 * (self-loops and cycles included). Weights ~ N(0, scale²/(N/2)) keep the fixed point stable.
 */
export function randomRecurrent(
  seed: number, hidden: number, act: ActivationName, scale = 0.6, loss: LossName = 'sse', patterns = 4,
): RandomGraphProblem {
  const rng = new Rng(seed);
  const units = 3 + hidden + 2;
  const out = outputActivation(loss, 'linear');
  const activations: ActivationName[] = Array.from({ length: units }, (_, i) => (i < 3 ? 'linear' : i < 3 + hidden ? act : out));
  const connections: { from: number; to: number }[] = [];
  for (let to = 3; to < units; to++) {
    for (let from = 0; from < units; from++) {
      if (from < 3 || rng.uniform() < 0.5) connections.push({ from, to });
    }
  }
  const net = graphNet({ units, activations, inputs: [0, 1], bias: 2, outputs: [units - 2, units - 1], connections, loss, recurrent: true });
  const w = new Float64Array(net.size);
  for (let c = 0; c < net.size; c++) w[c] = (scale * rng.gaussian()) / Math.sqrt(units / 2);
  const P = patterns;
  const inputs = rng.fillGaussian(new Float64Array(2 * P));
  const targets = loss === 'sse' ? rng.fillGaussian(new Float64Array(2 * P)) : targetsFor(loss, P, 2, rng);
  const data: Dataset = { count: P, nIn: 2, nOut: 2, inputs, targets };
  return { net, data, w, v: rng.fillGaussian(new Float64Array(net.size)), biasConnection: biasConnections(net) };
}

function biasConnections(net: GraphNet): Int32Array {
  const out = new Int32Array(net.units).fill(-1);
  for (let c = 0; c < net.size; c++) if (net.from[c] === net.bias) out[net.to[c]] = c;
  return out;
}
