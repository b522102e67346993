import { describe, expect, it } from 'vitest';
import { createPopulation, synapseConstants, type Broadcast, type EstimatorSpec, type PerturbationName, type SynapsePopulation } from '../../src/synapse/index.js';
import { WASM_MIN_SYNAPSES } from '../../src/synapse/wasm-state.js';
import { Rng } from '../../src/random/rng.js';

/** Whether a population's slots live in one kernels memory (one shared buffer) rather than plain arrays. */
const onKernels = (p: SynapsePopulation): boolean => {
  const arrays = Object.values(p.state);
  return arrays.every((a) => a.buffer === arrays[0].buffer);
};

describe('population updates on the wasm kernels (wp, moment)', () => {
  const specs: EstimatorSpec[] = [{ name: 'wp' }, { name: 'moment' }, { name: 'node' }];
  for (const spec of specs) {
    // uniform: the only law with (κ − 3)/(κ − 1) ≠ 0, so the diagonal correction of ẑ's feature is exercised.
    for (const law of ['gaussian', 'rademacher', 'uniform'] as PerturbationName[]) {
      for (const antithetic of [false, true]) {
        it(`${spec.name} ${law}${antithetic ? ' antithetic' : ''}: one population on the kernels has the bits of one-synapse populations in JavaScript, odd and even sizes at the threshold`, () => {
          for (const n of [WASM_MIN_SYNAPSES, WASM_MIN_SYNAPSES + 7]) {
            const rng = new Rng(n);
            const v = rng.fillGaussian(new Float64Array(n));
            const constants = synapseConstants(law, 0.1, antithetic, v);
            const whole = createPopulation(spec, constants, v);
            const singles = Array.from({ length: n }, (_, i) => createPopulation(spec, constants, v.subarray(i, i + 1)));
            expect(onKernels(whole), `n = ${n} on the kernels`).toBe(true);
            expect(singles.some(onKernels)).toBe(false);
            const b: Broadcast = { trial: 0, dEPlus: 0, dEMinus: 0, p: 0, sums: new Float64Array(0) };
            for (let t = 0; t < 25; t++) {
              const dw = rng.fillGaussian(new Float64Array(n), 0.1);
              Object.assign(b, { trial: t + 1, dEPlus: rng.gaussian(), dEMinus: antithetic ? rng.gaussian() : NaN, p: rng.gaussian() });
              whole.update(b, dw);
              singles.forEach((s, i) => s.update(b, dw.subarray(i, i + 1)));
            }
            for (const [name, arr] of Object.entries(whole.state)) {
              expect(singles.every((s, i) => Object.is(s.state[name][0], arr[i])), `state ${name}, n = ${n}`).toBe(true);
            }
            const g = whole.gradient(new Float64Array(n));
            expect(singles.every((s, i) => Object.is(s.gradient(new Float64Array(1))[0], g[i])), `ĝ, n = ${n}`).toBe(true);
          }
        });
      }
    }
  }

  it('a population below the threshold keeps plain arrays', () => {
    const v = new Rng(1).fillGaussian(new Float64Array(WASM_MIN_SYNAPSES - 1));
    expect(onKernels(createPopulation({ name: 'moment' }, synapseConstants('gaussian', 0.1, false, v), v))).toBe(false);
  });
});
