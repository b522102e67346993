import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, activation } from '../../src/nets/activations.js';

/** Relative difference with an absolute floor at the smallest normal double. */
function rel(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 2.2250738585072014e-308);
}

const xs = [0, 1e-300, -1e-300, 1e-12, -3e-9, 0.1, -0.25, 0.49, 0.5, 0.51, 1, -1, 2.5, -7, 19, -19.5, 25, -30, 40, -40, 300, -700];

describe('activations', () => {
  for (const name of ACTIVATION_NAMES) {
    const act = activation(name);
    it(`${name}: σ' and σ'' match central differences of σ and σ'`, () => {
      for (const x of [-3, -1.2, -0.3, 0.2, 0.7, 2.4]) {
        if (name === 'relu' && Math.abs(x) < 1e-3) continue;
        const h = 1e-5;
        expect(Math.abs(act.d1(x) - (act.f(x + h) - act.f(x - h)) / (2 * h))).toBeLessThan(1e-8);
        expect(Math.abs(act.d2(x) - (act.d1(x + h) - act.d1(x - h)) / (2 * h))).toBeLessThan(1e-8);
      }
    });

    it(`${name}: the batched pass equals f, d1, d2 to a few ulps, tails and zero included`, () => {
      const n = xs.length;
      const x = Float64Array.from(xs);
      const y = new Float64Array(n);
      const s1 = new Float64Array(n);
      const s2 = new Float64Array(n);
      act.derivatives(n, x, y, s1, s2);
      for (let k = 0; k < n; k++) {
        expect(rel(y[k], act.f(xs[k])), `σ(${xs[k]})`).toBeLessThan(1e-14);
        expect(rel(s1[k], act.d1(xs[k])), `σ'(${xs[k]})`).toBeLessThan(1e-14);
        expect(rel(s2[k], act.d2(xs[k])), `σ''(${xs[k]})`).toBeLessThan(1e-14);
      }
    });
  }

  it('derivatives stay nonzero in saturated tails, where 1 − y² or y(1 − y) would round to 0', () => {
    const tanh = activation('tanh');
    const logistic = activation('logistic');
    const x = Float64Array.from([25, -25, 40, -40]);
    const y = new Float64Array(4);
    const s1 = new Float64Array(4);
    const s2 = new Float64Array(4);
    tanh.derivatives(4, x, y, s1, s2);
    expect(rel(s1[0], 4 * Math.exp(-50))).toBeLessThan(1e-14);
    expect(s2[3]).toBeGreaterThan(0);
    logistic.derivatives(4, x, y, s1, s2);
    expect(rel(s1[2], Math.exp(-40))).toBeLessThan(1e-14);
    expect(1 - tanh.f(25) ** 2).toBe(0); // the naive formula's failure this guards against
  });
});
