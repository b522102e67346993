import { describe, expect, it } from 'vitest';
import { estimateStep, Optimizer } from '../../src/synapse/learning-rule.js';

/**
 * The synapses' learning rules (src/synapse/learning-rule.ts) against the update equations
 * written out here step by step (docs/theory.md, "Weight perturbation"): sgd, heavy-ball
 * momentum and Adam with its bias corrections (Kingma & Ba 2015, Algorithm 1). A stuck synapse
 * (mask 1) keeps its weight under every rule. Values are exact up to round-off: relative 1e-12.
 */
const W0 = [0.5, -1.25, 2, 0.75];
const STUCK = Uint8Array.from([0, 0, 1, 0]);
// Two steps' worth of changes D = η G, with η = 0.1.
const ETA = 0.1;
const D1 = [0.03, -0.02, 0.5, 0.004];
const D2 = [-0.01, -0.05, 0.25, 0.006];

function close(actual: Float64Array, expected: number[], label: string): void {
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${label}, synapse ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected[i])));
  }
}

function run(spec: ConstructorParameters<typeof Optimizer>[0]): Float64Array {
  const w = Float64Array.from(W0);
  const opt = new Optimizer(spec, w.length);
  opt.stepScaled(w, Float64Array.from(D1), ETA, STUCK);
  opt.stepScaled(w, Float64Array.from(D2), ETA, STUCK);
  return w;
}

describe('learning rules: each synapse steps its own weight, stuck synapses keep theirs', () => {
  it('estimateStep: w_i ← w_i − η ĝ_i', () => {
    const w = Float64Array.from(W0);
    estimateStep(w, Float64Array.from([1, -2, 3, 0.5]), 0.25, STUCK);
    close(w, [0.5 - 0.25, -1.25 + 0.5, 2, 0.75 - 0.125], 'estimateStep');
  });

  it('sgd applies D = ηG as it is (the plain WP rule, bit for bit)', () => {
    const w = run({ name: 'sgd' });
    const expected = W0.map((w0, i) => (STUCK[i] ? w0 : w0 - D1[i] - D2[i]));
    for (let i = 0; i < W0.length; i++) expect(w[i]).toBe(expected[i]);
  });

  it('momentum: m ← βm + G, w ← w − ηm', () => {
    const beta = 0.9;
    const w = run({ name: 'momentum', beta });
    const expected = W0.map((w0, i) => {
      if (STUCK[i]) return w0;
      const m1 = D1[i] / ETA;
      const m2 = beta * m1 + D2[i] / ETA;
      return w0 - ETA * m1 - ETA * m2;
    });
    close(w, expected, 'momentum');
  });

  it('adam: m and s averaged with (1 − β), bias-corrected by 1 − βᵏ at step k, w ← w − η m̂/(√ŝ + ε)', () => {
    const beta1 = 0.8;
    const beta2 = 0.95;
    const epsilon = 1e-3;
    const w = run({ name: 'adam', beta1, beta2, epsilon });
    const expected = W0.map((w0, i) => {
      if (STUCK[i]) return w0;
      let m = 0;
      let s = 0;
      let x = w0;
      [D1[i], D2[i]].forEach((d, k) => {
        const g = d / ETA;
        m = beta1 * m + (1 - beta1) * g;
        s = beta2 * s + (1 - beta2) * g * g;
        const mHat = m / (1 - beta1 ** (k + 1));
        const sHat = s / (1 - beta2 ** (k + 1));
        x -= (ETA * mHat) / (Math.sqrt(sHat) + epsilon);
      });
      return x;
    });
    close(w, expected, 'adam');
  });
});
