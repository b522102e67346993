import { describe, expect, it } from 'vitest';
import { layeredForward } from '../../src/exact/layered/forward.js';
import { randomProblem } from '../helpers/random-nets.js';

/**
 * The forward evaluator's input checks (src/exact/layered/forward-common.ts): a minibatch is at
 * most the data set's count of integer pattern indices in [0, count), and setData keeps the
 * shape. Each refusal names what was wrong; the accepted edges work.
 */
describe('layered forward evaluator: minibatch and data checks', () => {
  const a = randomProblem([3, 4, 2], ['tanh'], 'linear', 'sse', 5, 31);
  for (const kernels of ['js', 'wasm'] as const) {
    it(`${kernels}: selectPatterns refuses too many, negative, fractional or out-of-range indices; accepts [0, count)`, () => {
      const f = layeredForward(a.net, a.data, { kernels });
      expect(() => f.selectPatterns([0, 1, 2, 3, 4, 0])).toThrow('selectPatterns: 6 indices for 5 patterns');
      expect(() => f.selectPatterns([1, -1])).toThrow('selectPatterns: index -1 is not a pattern of 0 … 4');
      expect(() => f.selectPatterns([1.5])).toThrow('selectPatterns: index 1.5 is not a pattern of 0 … 4');
      expect(() => f.selectPatterns([5])).toThrow('selectPatterns: index 5 is not a pattern of 0 … 4');
      f.selectPatterns([4, 0]);
      const both = f.loss(a.w, null, 0);
      expect(both).toBeCloseTo(f.sampleLoss(a.w, null, 0, 4) + f.sampleLoss(a.w, null, 0, 0), 12);
      f.selectPatterns(null);
      let all = 0;
      for (let p = 0; p < 5; p++) all += f.sampleLoss(a.w, null, 0, p);
      expect(f.loss(a.w, null, 0)).toBeCloseTo(all, 12);
    });

    it(`${kernels}: setData refuses another pattern count or width`, () => {
      const f = layeredForward(a.net, a.data, { kernels });
      const message = 'setData: the new data set must have the same pattern count and widths';
      for (const other of [
        { ...a.data, count: 4 },
        randomProblem([2, 4, 2], ['tanh'], 'linear', 'sse', 5, 32).data,
        randomProblem([3, 4, 1], ['tanh'], 'linear', 'sse', 5, 33).data,
      ]) expect(() => f.setData(other)).toThrow(message);
    });
  }
});
