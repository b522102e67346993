import { describe, expect, it, vi } from 'vitest';

// This file runs where the wasm kernels "cannot load" and, for one population, where the memory
// for its slots cannot be allocated: the populations keep plain arrays and their JavaScript loop.
let failAllocation = false;
vi.mock('../../src/wasm/kernels.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/wasm/kernels.js')>();
  return {
    ...original,
    wasmKernelsUnavailable: () => (failAllocation ? null : 'WebAssembly disabled for this test'),
    instantiateKernels: (bytes: number) => {
      if (failAllocation) throw new RangeError('WebAssembly.Memory(): could not allocate memory');
      return original.instantiateKernels(bytes);
    },
  };
});

const { createPopulation, synapseConstants } = await import('../../src/synapse/index.js');
const { Rng } = await import('../../src/random/rng.js');
const { WASM_MIN_SYNAPSES } = await import('../../src/synapse/wasm-state.js');

describe('population slots where the kernels cannot serve them', () => {
  for (const why of ['the kernels cannot load', 'the memory cannot be allocated']) {
    it(`${why}: plain arrays, the same sums as expected by hand`, () => {
      failAllocation = why.includes('memory');
      const n = WASM_MIN_SYNAPSES + 8;
      const rng = new Rng(9);
      const v = rng.fillGaussian(new Float64Array(n));
      const pop = createPopulation({ name: 'wp' }, synapseConstants('gaussian', 0.1, false, v), v);
      const arrays = Object.values(pop.state);
      expect(arrays.some((a) => a.buffer !== arrays[0].buffer)).toBe(true);
      const dw = rng.fillGaussian(new Float64Array(n), 0.1);
      pop.update({ trial: 1, dEPlus: 0.5, dEMinus: NaN, p: 0, sums: new Float64Array(0) }, dw);
      for (let i = 0; i < n; i++) expect(pop.state.sumDwDE[i]).toBe(dw[i] * 0.5);
      failAllocation = false;
    });
  }
});
