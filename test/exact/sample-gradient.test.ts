import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LayeredOracle } from '../../src/exact/layered/oracle.js';
import { SampleBackprop } from '../../src/exact/layered/sample-gradient.js';
import { WasmSampleDescent } from '../../src/exact/layered/sample-descent-wasm.js';
import type { Dataset } from '../../src/nets/dataset.js';
import { problemArb, randomProblem } from '../helpers/random-nets.js';
import { gradientFromLoss, worstExcess } from '../helpers/richardson.js';

/** Pattern p alone as a data set. */
function onePattern(data: Dataset, p: number): Dataset {
  return {
    count: 1, nIn: data.nIn, nOut: data.nOut,
    inputs: data.inputs.slice(p * data.nIn, (p + 1) * data.nIn),
    targets: data.targets.slice(p * data.nOut, (p + 1) * data.nOut),
  };
}

const arb = fc.record({ problem: problemArb, patterns: fc.integer({ min: 1, max: 5 }), seed: fc.integer({ min: 0, max: 1e6 }) })
  .map(({ problem, patterns, seed }) => randomProblem([...problem.net.layers], [...problem.net.activationNames.slice(0, -1)],
    problem.net.activationNames.at(-1)!, problem.net.lossName, patterns, seed));

describe('SampleBackprop: E_p and ∇E_p of one pattern', () => {
  it('equals the batched pass (LayeredOracle, both kernels) on one pattern, on random nets of every activation and loss', () => {
    fc.assert(
      fc.property(arb, ({ net, data, w }) => {
        const backprop = new SampleBackprop(net);
        const g = new Float64Array(net.size);
        const ref = new Float64Array(net.size);
        for (let p = 0; p < data.count; p++) {
          const E = backprop.lossAndGradient(w, data.inputs, p * data.nIn, data.targets, p * data.nOut, g);
          for (const kernels of ['js', 'wasm'] as const) {
            const Eref = new LayeredOracle(net, onePattern(data, p), { kernels }).gradient(w, ref);
            // Round-off of sums of a few dozen terms: 1e-12 relative to the largest entry (≥ 1).
            expect(Math.abs(E - Eref)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(Eref)));
            const scale = Math.max(1, ...Array.from(ref, Math.abs));
            for (let i = 0; i < net.size; i++) expect(Math.abs(g[i] - ref[i])).toBeLessThanOrEqual(1e-12 * scale);
          }
        }
      }),
      { numRuns: 150, seed: 17019 },
    );
  });

  it('descend steps w by −η ∇E_p with the bits of stepping by lossAndGradient, and returns E_p before the step', () => {
    const { net, data, w } = randomProblem([6, 5, 4, 3], ['tanh', 'logistic'], 'linear', 'softmax-cross-entropy', 3, 41);
    const backprop = new SampleBackprop(net);
    const g = new Float64Array(net.size);
    for (let p = 0; p < data.count; p++) {
      const E = backprop.lossAndGradient(w, data.inputs, p * data.nIn, data.targets, p * data.nOut, g);
      const expected = w.map((x, i) => x - 0.3 * g[i]);
      expect(backprop.descend(w, data.inputs, p * data.nIn, data.targets, p * data.nOut, 0.3)).toBe(E);
      expect(Buffer.from(w.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    }
  });

  it('on the wasm kernels (WasmSampleDescent) equals the JavaScript step to round-off, E_p and every weight, on random nets of every activation and loss', () => {
    fc.assert(
      fc.property(arb, fc.double({ min: 1e-3, max: 0.5, noNaN: true }), ({ net, data, w }, eta) => {
        const backprop = new SampleBackprop(net);
        const wasm = new WasmSampleDescent(net);
        wasm.w.set(w);
        const js = Float64Array.from(w);
        for (let p = 0; p < data.count; p++) {
          const E = backprop.descend(js, data.inputs, p * data.nIn, data.targets, p * data.nOut, eta);
          const Ew = wasm.descend(data.inputs, p * data.nIn, data.targets, p * data.nOut, eta);
          expect(Math.abs(Ew - E)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(E)));
          const scale = Math.max(1, ...Array.from(js, Math.abs));
          for (let i = 0; i < net.size; i++) expect(Math.abs(wasm.w[i] - js[i])).toBeLessThanOrEqual(1e-12 * scale);
        }
      }),
      { numRuns: 150, seed: 17020 },
    );
  });

  it('equals Richardson-extrapolated central differences of E_p (an independent route)', () => {
    for (const [layers, hidden, out, loss] of [
      [[5, 4, 3], ['tanh'], 'linear', 'softmax-cross-entropy'],
      [[3, 4, 2, 2], ['logistic', 'softplus'], 'logistic', 'cross-entropy'],
      [[4, 3, 2], ['tanh'], 'tanh', 'sse'],
    ] as const) {
      const { net, data, w } = randomProblem([...layers], [...hidden], out, loss, 2, 31);
      const backprop = new SampleBackprop(net);
      const g = new Float64Array(net.size);
      const E = (x: Float64Array): number => backprop.lossAndGradient(x, data.inputs, data.nIn, data.targets, data.nOut, new Float64Array(net.size));
      backprop.lossAndGradient(w, data.inputs, data.nIn, data.targets, data.nOut, g);
      // δ: a few ulps of E per evaluation.
      const fd = gradientFromLoss(E, w, 1e-3, 8 * Number.EPSILON * Math.max(1, Math.abs(E(w))));
      const worst = worstExcess(g, fd, () => 0);
      expect(worst.excess, worst.detail).toBeLessThanOrEqual(0);
    }
  });
});
