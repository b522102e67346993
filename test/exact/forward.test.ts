import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LayeredOracle } from '../../src/exact/layered/oracle.js';
import { layeredForward, type LayeredForward } from '../../src/exact/layered/forward.js';
import type { Dataset } from '../../src/nets/dataset.js';
import { Rng } from '../../src/random/rng.js';
import { problemArb, randomProblem } from '../helpers/random-nets.js';
import { nodeForwardWork, nodePerturbedLoss } from '../../src/nets/node-forward.js';

/** Round-off of an E summed over patterns: a few ulps per term, relative to Σ|E_p| (≥ 1). */
const TOL = 1e-12;

function close(a: number, b: number, scale: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(TOL * Math.max(1, scale));
}

/** Pattern p alone as a data set, for the single-pattern reference. */
function onePattern(data: Dataset, p: number): Dataset {
  return {
    count: 1, nIn: data.nIn, nOut: data.nOut,
    inputs: data.inputs.slice(p * data.nIn, (p + 1) * data.nIn),
    targets: data.targets.slice(p * data.nOut, (p + 1) * data.nOut),
  };
}

// Bigger patterns counts than problemArb's, so the wasm padding (P̃ = P rounded up to 8) varies.
const arb = fc.record({ problem: problemArb, patterns: fc.integer({ min: 1, max: 19 }), seed: fc.integer({ min: 0, max: 1e6 }), s: fc.double({ min: -2, max: 2, noNaN: true }) })
  .map(({ problem, patterns, seed, s }) => ({
    ...randomProblem([...problem.net.layers], [...problem.net.activationNames.slice(0, -1)], problem.net.activationNames.at(-1)!,
      problem.net.lossName, patterns, seed),
    s,
  }));

describe.each(['wasm', 'js'] as const)('forward-only E (%s kernels)', (kernels) => {
  it('equals the full pass E(w + sΔw) on random nets of every activation and loss: batch, minibatch, single patterns, antithetic pairs', () => {
    fc.assert(
      fc.property(arb, ({ net, data, w, v: dw, s }) => {
        const forward = layeredForward(net, data, { kernels });
        expect(forward.kernels).toBe(kernels);
        const oracle = new LayeredOracle(net, data, { kernels });
        const n = net.size;
        const wPlus = new Float64Array(n);
        const wMinus = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          wPlus[i] = w[i] + s * dw[i];
          wMinus[i] = w[i] - dw[i];
        }
        // Full batch; unperturbed and perturbed.
        const E = oracle.loss(wPlus);
        close(forward.loss(w, dw, s), E, Math.abs(E));
        const E0 = oracle.loss(w);
        close(forward.loss(w, null, 0), E0, Math.abs(E0));
        // Each pattern alone, one-sided and antithetic, against a one-pattern oracle.
        const pair = new Float64Array(2);
        for (let p = 0; p < data.count; p++) {
          const single = new LayeredOracle(net, onePattern(data, p), { kernels });
          const Ep = single.loss(wPlus);
          close(forward.sampleLoss(w, dw, s, p), Ep, Math.abs(Ep));
          forward.antitheticSampleLoss(w, dw, p, pair);
          const plus = single.loss(Float64Array.from(w, (x, i) => x + dw[i]));
          close(pair[0], plus, Math.abs(plus));
          close(pair[1], single.loss(wMinus), Math.abs(pair[1]));
        }
        // A minibatch (every other pattern, last first) equals the sum of its patterns' E.
        const batch = Array.from({ length: data.count }, (_, p) => data.count - 1 - p).filter((p) => p % 2 === 0);
        forward.selectPatterns(batch);
        let sum = 0;
        for (const p of batch) sum += new LayeredOracle(net, onePattern(data, p), { kernels }).loss(wPlus);
        close(forward.loss(w, dw, s), sum, Math.abs(sum));
        forward.selectPatterns(null);
        close(forward.loss(w, dw, s), E, Math.abs(E));
      }),
      { numRuns: 200, seed: 17017 },
    );
  });

  it("one trial's fused reads: E_p(w) against a one-pattern oracle, E_p(w ± Δw) the bits of antitheticSampleLoss and sampleLoss", () => {
    fc.assert(
      fc.property(arb, ({ net, data, w, v: dw }) => {
        const forward = layeredForward(net, data, { kernels });
        const out = new Float64Array(3);
        const pair = new Float64Array(2);
        for (let p = 0; p < data.count; p++) {
          const E0 = new LayeredOracle(net, onePattern(data, p), { kernels }).loss(w);
          forward.trialSampleLosses(w, dw, p, true, out);
          close(out[0], E0, Math.abs(E0));
          forward.antitheticSampleLoss(w, dw, p, pair);
          expect([out[1], out[2]]).toEqual([pair[0], pair[1]]);
          out.fill(NaN);
          forward.trialSampleLosses(w, dw, p, false, out);
          close(out[0], E0, Math.abs(E0));
          expect(out[1]).toBe(forward.sampleLoss(w, dw, 1, p));
          expect(out[2]).toBeNaN();
        }
      }),
      { numRuns: 100, seed: 17018 },
    );
  });

  it("lastOutputs: the output layer's X_L of the last single pattern, against the per-pattern pass of node-forward.ts", () => {
    fc.assert(
      fc.property(arb, ({ net, data, w, v: dw }) => {
        const forward = layeredForward(net, data, { kernels });
        const work = nodeForwardWork(net);
        const x = new Float64Array(net.layers.at(-1)!);
        for (let p = 0; p < data.count; p++) {
          forward.sampleLoss(w, null, 0, p);
          forward.lastOutputs(x);
          nodePerturbedLoss(net, w, data.inputs, p * data.nIn, data.targets, p * data.nOut, null, work);
          const scale = Math.max(1, ...Array.from(work.xOutput, Math.abs));
          for (let k = 0; k < x.length; k++) expect(Math.abs(x[k] - work.xOutput[k])).toBeLessThanOrEqual(TOL * scale);
          const pair = new Float64Array(2);
          forward.antitheticSampleLoss(w, dw, p, pair);
          const plus = Float64Array.from(w, (wi, i) => wi + dw[i]);
          nodePerturbedLoss(net, plus, data.inputs, p * data.nIn, data.targets, p * data.nOut, null, work);
          forward.lastOutputs(x);
          for (let k = 0; k < x.length; k++) expect(Math.abs(x[k] - work.xOutput[k])).toBeLessThanOrEqual(TOL * Math.max(1, ...Array.from(work.xOutput, Math.abs)));
        }
      }),
      { numRuns: 100, seed: 17021 },
    );
  });

  it('reads w and Δw in place when they live in its weight store, and gives the same E as copies', () => {
    const { net, data, w, v } = randomProblem([7, 5, 3], ['tanh'], 'linear', 'softmax-cross-entropy', 11, 5);
    const forward = layeredForward(net, data, { kernels });
    const store = forward.weightStore();
    store.w.set(w);
    store.dw.set(v);
    const pair = new Float64Array(2);
    const copyPair = new Float64Array(2);
    forward.antitheticSampleLoss(store.w, store.dw, 3, pair);
    forward.antitheticSampleLoss(Float64Array.from(w), Float64Array.from(v), 3, copyPair);
    expect(pair).toEqual(copyPair);
    expect(forward.sampleLoss(store.w, store.dw, 0.5, 4)).toBe(forward.sampleLoss(Float64Array.from(w), Float64Array.from(v), 0.5, 4));
  });

  it('follows setData (new inputs and targets, the minibatch kept), also through LayeredOracle.loss', () => {
    const a = randomProblem([3, 4, 2], ['softplus'], 'linear', 'sse', 10, 1);
    const b = randomProblem([3, 4, 2], ['softplus'], 'linear', 'sse', 10, 2);
    const forward = layeredForward(a.net, a.data, { kernels });
    forward.selectPatterns([1, 7]);
    forward.setData(b.data);
    const ref = new LayeredOracle(a.net, { ...b.data, count: 2, inputs: Float64Array.from([...b.data.inputs.slice(3, 6), ...b.data.inputs.slice(21, 24)]), targets: Float64Array.from([...b.data.targets.slice(2, 4), ...b.data.targets.slice(14, 16)]) }, { kernels });
    close(forward.loss(a.w, null, 0), ref.loss(a.w), Math.abs(ref.loss(a.w)));
    const oracle = new LayeredOracle(a.net, a.data, { kernels });
    oracle.loss(a.w);
    oracle.setData(b.data);
    const E = new LayeredOracle(a.net, b.data, { kernels: 'js' }).evaluate(a.w, null, null, null);
    close(oracle.loss(a.w), E, Math.abs(E));
  });

  /**
   * The store's Δw after each of `calls` draws equals, byte for byte, the reference draw of the
   * same stream into a plain array, and the stream is left where the reference leaves it;
   * returns the problem and the last Δw.
   */
  function storeDrawsLike(
    layers: number[], calls: number, draw: (f: LayeredForward, rng: Rng) => void, reference: (rng: Rng, out: Float64Array) => void,
  ): { w: Float64Array; forward: LayeredForward; expected: Float64Array } {
    const { net, data, w } = randomProblem(layers, ['tanh'], 'linear', 'sse', 3, 9);
    const forward = layeredForward(net, data, { kernels });
    const store = forward.weightStore();
    const rng = new Rng(77);
    const ref = new Rng(77);
    const expected = new Float64Array(net.size);
    for (let t = 0; t < calls; t++) {
      draw(forward, rng);
      reference(ref, expected);
      expect(Buffer.from(store.dw.buffer, store.dw.byteOffset, store.dw.byteLength).equals(Buffer.from(expected.buffer)), `${layers} call ${t}`).toBe(true);
    }
    expect(rng.nextU32()).toBe(ref.nextU32());
    return { w, forward, expected };
  }

  it("the weight store's sweeps: drawSigns gives rng.fillSigns' bytes, stepWeights adds factor·Δw", () => {
    for (const layers of [[3, 2, 1], [7, 5, 3], [49, 16, 10]]) {
      const { w, forward, expected } = storeDrawsLike(layers, 3, (f, rng) => f.drawSigns(rng, 0.25), (rng, out) => rng.fillSigns(out, 0.25));
      const store = forward.weightStore();
      store.w.set(w);
      forward.stepWeights(-0.3);
      for (let i = 0; i < w.length; i++) expect(store.w[i]).toBe(w[i] + -0.3 * expected[i]);
    }
  });

  it('batchOutputs gives every selected pattern\'s X_L of the last loss call, in selection order (as sampleLoss and lastOutputs give them one by one)', () => {
    const { net, data, w } = randomProblem([5, 4, 3], ['tanh'], 'linear', 'softmax-cross-entropy', 13, 21);
    const forward = layeredForward(net, data, { kernels });
    const single = layeredForward(net, data, { kernels });
    const x = new Float64Array(3);
    for (const selection of [null, [12, 0, 5], [3, 3, 9, 1, 0, 11, 7, 2, 4]]) {
      forward.selectPatterns(selection);
      forward.loss(w, null, 0);
      const patterns = selection ?? Array.from({ length: 13 }, (_, p) => p);
      const out = forward.batchOutputs(new Float64Array(patterns.length * 3));
      patterns.forEach((p, c) => {
        single.sampleLoss(w, null, 0, p);
        single.lastOutputs(x);
        for (let k = 0; k < 3; k++) close(out[c * 3 + k], x[k], Math.max(1, Math.abs(x[k])));
      });
    }
  });

  it("drawGaussian gives rng.fillZigguratGaussian's bytes and leaves the stream where it leaves it, call after call", () => {
    // 5 calls of 11 … 12 070 draws: ~2.7 % miss the fast test, so the larger nets cross many misses.
    for (const layers of [[3, 2, 1], [49, 16, 10], [200, 60, 10]]) {
      storeDrawsLike(layers, 5, (f, rng) => f.drawGaussian(rng, 0.03), (rng, out) => rng.fillZigguratGaussian(out, 0.03));
    }
  });

  it('rejects a minibatch index outside the data set', () => {
    const { net, data } = randomProblem([2, 2, 1], ['tanh'], 'linear', 'sse', 4, 1);
    const forward = layeredForward(net, data, { kernels });
    expect(() => forward.selectPatterns([0, 4])).toThrow(/index 4 is not a pattern of 0 … 3/);
  });
});

describe('forward-only E on the wasm kernels', () => {
  it('holds single patterns only when its batch capacity is 0, and says so when asked for a batch', () => {
    const { net, data, w, v } = randomProblem([3, 4, 2], ['logistic'], 'logistic', 'cross-entropy', 9, 3);
    const forward = layeredForward(net, data, { kernels: 'wasm', batchCapacity: 0 });
    const ref = new LayeredOracle(net, onePattern(data, 2), { kernels: 'js' }).loss(Float64Array.from(w, (x, i) => x + 0.1 * v[i]));
    close(forward.sampleLoss(w, v, 0.1, 2), ref, Math.abs(ref));
    expect(() => forward.selectPatterns([0])).toThrow(/above the batch capacity 0/);
  });

  it('keeps tanh accurate where it saturates and near 0 (relative error of E from tiny and huge pre-activations)', () => {
    // One tanh unit feeding a linear output with sse; compare with Math.tanh.
    const { net, data } = randomProblem([1, 1, 1], ['tanh'], 'linear', 'sse', 1, 1);
    const forward = layeredForward(net, data, { kernels: 'wasm' });
    const x = data.inputs[0];
    const t = data.targets[0];
    for (const a of [1e-300, 1e-12, 1e-5, 0.01, 0.3, 0.6, 0.7, 2, 10, 19, 25, 800, -0.2, -40]) {
      // w = [W1, b1, W2, b2] = [a/x, 0, 1, 0]: the hidden pre-activation is a, E = ½(tanh a − t)²;
      // allowed: ~1 ulp of E plus ~1 ulp of tanh a carried through (tanh a − t).
      const w = Float64Array.from([a / x, 0, 1, 0]);
      const expected = 0.5 * (Math.tanh(a) - t) ** 2;
      expect(Math.abs(forward.loss(w, null, 0) - expected)).toBeLessThanOrEqual(4e-16 * Math.max(1, expected) + 2.3e-16 * Math.abs(Math.tanh(a) * (Math.tanh(a) - t)));
    }
  });
});
