import { describe, expect, it } from 'vitest';
import { chooseLayeredKernels, LayeredOracle } from '../../src/exact/layered/oracle.js';
import { randomProblem } from '../helpers/random-nets.js';

/**
 * LayeredOracle's own logic (src/exact/layered/oracle.ts), beyond the equations its passes are
 * tested for: which kernels it picks, that loss(w) on wasm is the forward-only pass, and that
 * setData replaces the patterns of both passes (or refuses another shape).
 */
describe('LayeredOracle', () => {
  const a = randomProblem([3, 4, 2], ['tanh'], 'linear', 'sse', 5, 21);
  const b = randomProblem([3, 4, 2], ['tanh'], 'linear', 'sse', 5, 22);

  it("'auto' runs wasm where the module loads and the pass fits WASM_PASS_MAX_BYTES, js beyond; explicit requests are kept", () => {
    expect(chooseLayeredKernels('auto', a.net, 5)).toBe('wasm');
    expect(chooseLayeredKernels('auto', a.net, 1e12)).toBe('js');
    expect(chooseLayeredKernels('js', a.net, 5)).toBe('js');
    expect(chooseLayeredKernels('wasm', a.net, 1e12)).toBe('wasm');
    expect(new LayeredOracle(a.net, a.data).kernels).toBe('wasm');
    expect(new LayeredOracle(a.net, a.data, { kernels: 'js' }).kernels).toBe('js');
  });

  for (const kernels of ['js', 'wasm'] as const) {
    it(`${kernels}: loss(w) is the forward-only pass on the oracle's kernels (built once), evaluate the full pass`, () => {
      const oracle = new LayeredOracle(a.net, a.data, { kernels });
      const E = oracle.loss(a.w);
      const forward = oracle.forward();
      expect(forward.kernels).toBe(kernels);
      expect(oracle.forward()).toBe(forward);
      if (kernels === 'wasm') expect(E).toBe(forward.loss(a.w, null, 0));
      else expect(E).toBe(oracle.evaluate(a.w, null, null, null));
    });

    it(`${kernels}: setData replaces the patterns of the full and the forward pass alike; another shape is refused`, () => {
      const oracle = new LayeredOracle(a.net, a.data, { kernels });
      oracle.loss(a.w);
      oracle.setData(b.data);
      const fresh = new LayeredOracle(a.net, b.data, { kernels });
      expect(oracle.loss(a.w)).toBe(fresh.loss(a.w));
      expect(oracle.forward().loss(a.w, null, 0)).toBe(fresh.forward().loss(a.w, null, 0));
      const g = new Float64Array(a.net.size);
      const g2 = new Float64Array(a.net.size);
      expect(oracle.gradient(a.w, g)).toBe(fresh.gradient(a.w, g2));
      expect(Array.from(g)).toEqual(Array.from(g2));
      const message = 'setData: the new data set must have the same pattern count and widths';
      for (const other of [
        { ...b.data, count: 4 },
        randomProblem([2, 4, 2], ['tanh'], 'linear', 'sse', 5, 23).data,
        randomProblem([3, 4, 1], ['tanh'], 'linear', 'sse', 5, 24).data,
      ]) expect(() => oracle.setData(other)).toThrow(message);
    });
  }
});
