import { mnistSplit, type MnistResolution } from '../data/mnist.js';
import { layeredOracle } from '../exact/factory.js';
import type { LayeredKernels } from '../exact/layered/oracle.js';
import { layeredForward, type LayeredForward } from '../exact/layered/forward.js';
import { SampleBackprop } from '../exact/layered/sample-gradient.js';
import { WasmSampleDescent } from '../exact/layered/sample-descent-wasm.js';
import type { Dataset } from '../nets/dataset.js';
import type { LayeredNet } from '../nets/layered.js';
import { nodeForwardWork, nodePerturbedLoss, type NodeForwardWork, type UnitVariation } from '../nets/node-forward.js';
import { randomLayeredWeights } from '../nets/random.js';
import type { Rng } from '../random/rng.js';
import { Rng as RngClass } from '../random/rng.js';
import type { Classifier, NodeAccess, SimProblem, TrialReads } from '../sim/problem.js';
import { NodeRule } from '../synapse/node.js';

/** Whether pattern p's outputs pick its class: argmax of outputs against argmax of the one-hot target, or output > ½ for one output. */
function correct(output: Float64Array, targets: Float64Array, offset: number): boolean {
  const m = output.length;
  if (m === 1) return output[0] > 0.5 === targets[offset] > 0.5;
  let best = 0;
  let label = 0;
  for (let k = 1; k < m; k++) {
    if (output[k] > output[best]) best = k;
    if (targets[offset + k] > targets[offset + label]) label = k;
  }
  return best === label;
}

/** Accuracy and mean loss of weights w on a data set, one pattern at a time through the net's forward pass (with the chip's variation, if given). */
export function scoreOn(
  net: LayeredNet, data: Dataset, w: Float64Array, work: NodeForwardWork = nodeForwardWork(net), variation: UnitVariation | null = null,
): { accuracy: number; meanLoss: number } {
  let right = 0;
  let loss = 0;
  for (let p = 0; p < data.count; p++) {
    loss += nodePerturbedLoss(net, w, data.inputs, p * data.nIn, data.targets, p * data.nOut, null, work, variation);
    if (correct(work.output, data.targets, p * data.nOut)) right++;
  }
  return { accuracy: right / data.count, meanLoss: loss / data.count };
}

/** Patterns per batch when a data set is scored on the forward-only pass (bounds its memory). */
const SCORE_BATCH = 512;

/**
 * Accuracy and mean loss of weights w on a data set through a forward-only evaluator of it, in
 * batches of up to SCORE_BATCH patterns (one batched pass each, then each pattern's outputs):
 * the same numbers as `scoreOn` to round-off.
 */
function scoreOnForward(net: LayeredNet, data: Dataset, w: Float64Array, forward: LayeredForward): { accuracy: number; meanLoss: number } {
  const L = net.layers.length - 1;
  const act = net.activations[L - 1];
  const nL = net.layers[L];
  const batch = Math.min(SCORE_BATCH, data.count);
  const indices = new Int32Array(batch);
  const outputs = new Float64Array(batch * nL);
  const y = new Float64Array(nL);
  let right = 0;
  let loss = 0;
  for (let start = 0; start < data.count; start += batch) {
    const m = Math.min(batch, data.count - start);
    for (let c = 0; c < m; c++) indices[c] = start + c;
    forward.selectPatterns(indices.subarray(0, m));
    loss += forward.loss(w, null, 0);
    forward.batchOutputs(outputs);
    for (let c = 0; c < m; c++) {
      for (let k = 0; k < nL; k++) y[k] = act.f(outputs[c * nL + k]);
      if (correct(y, data.targets, (start + c) * data.nOut)) right++;
    }
  }
  return { accuracy: right / data.count, meanLoss: loss / data.count };
}

/**
 * The classifier of a layered net on its training data (and a held-out split where given); the
 * chip's neurons vary by `variation`. With `kernels` the ideal net is scored on the
 * forward-only pass on those kernels (MNIST's rows), else by the per-pattern pass of node-forward.ts.
 */
export function layeredClassifier(
  net: LayeredNet, train: Dataset, test?: Dataset, variation: UnitVariation | null = null, kernels: LayeredKernels | null = null,
): Classifier {
  const work = nodeForwardWork(net);
  const forwards = new Map<Dataset, LayeredForward>();
  const score = (data: Dataset, w: Float64Array, ideal: boolean): { accuracy: number; meanLoss: number } => {
    if (kernels === null || (!ideal && variation !== null)) return scoreOn(net, data, w, work, ideal ? null : variation);
    let forward = forwards.get(data);
    if (forward === undefined) {
      forward = layeredForward(net, data, { kernels, batchCapacity: Math.min(SCORE_BATCH, data.count) });
      forwards.set(data, forward);
    }
    return scoreOnForward(net, data, w, forward);
  };
  // A row asks for the accuracy and the mean loss at the same w: one scoring serves both.
  let last: { data: Dataset; ideal: boolean; w: Float64Array; score: { accuracy: number; meanLoss: number } } | null = null;
  const on = (data: Dataset, w: Float64Array, ideal = false): { accuracy: number; meanLoss: number } => {
    if (last !== null && last.data === data && last.ideal === ideal && sameValues(last.w, w)) return last.score;
    const result = score(data, w, ideal);
    last = { data, ideal, w: Float64Array.from(w), score: result };
    return result;
  };
  return {
    trainAccuracy: (w, ideal) => on(train, w, ideal).accuracy,
    ...(test !== undefined
      ? { test: { accuracy: (w: Float64Array, ideal?: boolean) => on(test, w, ideal).accuracy, meanLoss: (w: Float64Array, ideal?: boolean) => on(test, w, ideal).meanLoss } }
      : {}),
  };
}

/** Whether a and b hold equal numbers (NaN equal to NaN; a net gives the same outputs for 0 and −0). */
function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/**
 * A chip's neurons (docs/hardware.md, "Device variation"): for every unit, amplitude L and slope
 * k ~ N(1, s²), shifts x₀, y₀ ~ N(0, s²), from the "variation" stream; null for s = 0.
 */
export function unitVariation(net: LayeredNet, spread: number, seed: number): UnitVariation | null {
  if (spread === 0) return null;
  const units = net.layers.slice(1).reduce((a, b) => a + b, 0);
  const rng = RngClass.derive(seed, 'variation');
  const draw = (mean: number): Float64Array => Float64Array.from({ length: units }, () => mean + spread * rng.gaussian());
  return { amplitude: draw(1), slope: draw(1), xShift: draw(0), yShift: draw(0) };
}

/**
 * The chip's loss on a fixed data set when its neurons vary: E summed over the patterns through
 * the varied forward pass (the exact oracle stays the ideal net's).
 */
export function variedLoss(net: LayeredNet, data: Dataset, variation: UnitVariation): (w: Float64Array) => number {
  const work = nodeForwardWork(net);
  return (w) => {
    let e = 0;
    for (let p = 0; p < data.count; p++) e += nodePerturbedLoss(net, w, data.inputs, p * data.nIn, data.targets, p * data.nOut, null, work, variation);
    return e;
  };
}

/**
 * Node perturbation on a layered net, one pattern (the first of `data`): the loss with every
 * unit's summed input perturbed, and e_i = ξ_post(i) y_pre(i) from the unperturbed activities.
 */
function nodeAccess(net: LayeredNet, data: Dataset, variation: UnitVariation | null): NodeAccess {
  const rule = new NodeRule(net);
  const perturbed = nodeForwardWork(net);
  const plain = nodeForwardWork(net);
  return {
    units: rule.units,
    loss: (w, xi) => nodePerturbedLoss(net, w, data.inputs, 0, data.targets, 0, xi, perturbed, variation),
    correlates: (w, xi, out) => {
      nodePerturbedLoss(net, w, data.inputs, 0, data.targets, 0, null, plain, variation);
      out.fill(0);
      rule.accumulate(1, xi, 1, plain.activities, 1, out);
    },
  };
}

export interface MnistProblemSpec {
  resolution: MnistResolution;
  trainCount: number;
  testCount: number;
  splitSeed: number;
  batch: number;
}

/**
 * MNIST as the chip sees it: the training split streamed in a seeded order, reshuffled every
 * epoch (the "data" stream), `batch` patterns per presentation (1: online learning). The chip's
 * loss is the presented patterns' summed loss; the exact SGD baseline's gradient is theirs too.
 * The oracle (the exact reference of rows and probes) is E over the whole training split; the
 * classifier scores the held-out test split.
 */
export function mnistProblem(
  spec: MnistProblemSpec, net: LayeredNet, seed: number, gain: number, description: string, kernels: LayeredKernels = 'auto', variation: UnitVariation | null = null,
): SimProblem {
  const { train, test } = mnistSplit({ resolution: spec.resolution, trainCount: spec.trainCount, testCount: spec.testCount, splitSeed: spec.splitSeed });
  const w0 = randomLayeredWeights(net, RngClass.derive(seed, 'init'), gain);
  const oracle = layeredOracle(net, train, kernels);
  const B = Math.min(spec.batch, train.count);
  const batch: Dataset = { count: B, nIn: train.nIn, nOut: train.nOut, inputs: new Float64Array(B * train.nIn), targets: new Float64Array(B * train.nOut) };
  const batchOracle = layeredOracle(net, batch, kernels);
  const order = new Int32Array(train.count).map((_, k) => k);
  let next = train.count;
  const work = nodeForwardWork(net);
  // The ideal chip's loss on the forward-only pass (single patterns), and exact SGD's step by
  // single-pattern backprop when one pattern is presented; the batch oracle takes the data only
  // when it is used (`stale`).
  const forward = variation === null ? layeredForward(net, batch, { kernels, batchCapacity: 0 }) : null;
  const backprop = B === 1 ? new SampleBackprop(net) : null;
  let stale = true;
  const step = new Float64Array(B === 1 ? 0 : net.size);
  const batchGradient = (w: Float64Array, g: Float64Array): number => {
    if (backprop !== null) return backprop.lossAndGradient(w, batch.inputs, 0, batch.targets, 0, g);
    if (stale) batchOracle.setData(batch);
    stale = false;
    return batchOracle.gradient(w, g);
  };
  return {
    name: 'mnist',
    size: net.size,
    w0,
    freshData: true,
    restartSamples: () => {
      for (let k = 0; k < order.length; k++) order[k] = k;
      next = train.count;
    },
    nextSample: (rng: Rng) => {
      for (let b = 0; b < B; b++) {
        if (next >= train.count) {
          // A new epoch: Fisher–Yates on the data stream.
          for (let k = train.count - 1; k > 0; k--) {
            const j = rng.int(k + 1);
            const tmp = order[k];
            order[k] = order[j];
            order[j] = tmp;
          }
          next = 0;
        }
        const p = order[next++];
        // Copied by loops: no subarray views allocated per sample.
        for (let i = 0; i < train.nIn; i++) batch.inputs[b * train.nIn + i] = train.inputs[p * train.nIn + i];
        for (let k = 0; k < train.nOut; k++) batch.targets[b * train.nOut + k] = train.targets[p * train.nOut + k];
      }
      stale = true;
    },
    loss: (w) => {
      let e = 0;
      if (forward !== null) for (let b = 0; b < B; b++) e += forward.sampleLoss(w, null, 0, b);
      else for (let b = 0; b < B; b++) e += nodePerturbedLoss(net, w, batch.inputs, b * batch.nIn, batch.targets, b * batch.nOut, null, work, variation);
      return e;
    },
    sampleGradient: (w, g) => {
      batchGradient(w, g);
    },
    sampleDescent: (w, eta) => {
      if (backprop !== null) return backprop.descend(w, batch.inputs, 0, batch.targets, 0, eta);
      const E = batchGradient(w, step);
      for (let i = 0; i < w.length; i++) w[i] -= eta * step[i];
      return E;
    },
    ...(variation === null ? { trialReads: () => mnistTrialReads(net, batch, kernels) } : {}),
    oracle,
    kernels: oracle.kernels,
    referenceName: 'train_set_error',
    nodes: B === 1 ? nodeAccess(net, batch, variation) : undefined,
    classifier: layeredClassifier(net, train, test, variation, kernels),
    description,
  };
}

/**
 * The chip's fused reads on the presented patterns (an ideal chip's neurons): a forward-only
 * evaluator of its own whose weight store holds the chip's w and Δw; E summed over the batch's
 * patterns in order, as `loss` sums them.
 */
function mnistTrialReads(net: LayeredNet, batch: Dataset, kernels: LayeredKernels): TrialReads {
  const forward = layeredForward(net, batch, { kernels, batchCapacity: 0 });
  const { w, dw } = forward.weightStore();
  const one = new Float64Array(3);
  return {
    w,
    dw,
    ...(batch.count === 1 ? { descent: sampleDescent(net, batch, forward.kernels) } : {}),
    losses: (antithetic, out) => {
      if (batch.count === 1) {
        forward.trialSampleLosses(w, dw, 0, antithetic, out);
        return;
      }
      out.fill(0);
      for (let b = 0; b < batch.count; b++) {
        forward.trialSampleLosses(w, dw, b, antithetic, one);
        out[0] += one[0];
        out[1] += one[1];
        if (antithetic) out[2] += one[2];
      }
    },
    step: (factor) => forward.stepWeights(factor),
    drawSigns: (rng, scale) => forward.drawSigns(rng, scale),
    drawGaussian: (rng, scale) => forward.drawGaussian(rng, scale),
  };
}

/** Exact SGD on the presented pattern, on the kernels of the chip's reads. */
function sampleDescent(net: LayeredNet, batch: Dataset, kernels: 'js' | 'wasm'): { w: Float64Array; step(eta: number): number } {
  if (kernels === 'wasm') {
    const descent = new WasmSampleDescent(net);
    return { w: descent.w, step: (eta) => descent.descend(batch.inputs, 0, batch.targets, 0, eta) };
  }
  const backprop = new SampleBackprop(net);
  const w = new Float64Array(net.size);
  return { w, step: (eta) => backprop.descend(w, batch.inputs, 0, batch.targets, 0, eta) };
}
