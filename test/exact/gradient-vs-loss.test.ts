import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LayeredOracle, type LayeredKernels } from '../../src/exact/layered/oracle.js';
import { GraphOracle } from '../../src/exact/graph.js';
import { RecurrentOracle } from '../../src/exact/recurrent.js';
import { QuadraticOracle } from '../../src/exact/quadratic.js';
import { TeacherStudentOracle } from '../../src/exact/teacher-student.js';
import { BoltzmannOracle } from '../../src/exact/boltzmann/enumeration.js';
import type { Oracle } from '../../src/exact/oracle.js';
import type { GraphNet } from '../../src/nets/graph.js';
import type { LayeredNet } from '../../src/nets/layered.js';
import type { Dataset } from '../../src/nets/dataset.js';
import { ACTIVATION_NAMES, type ActivationName } from '../../src/nets/activations.js';
import { LOSS_NAMES } from '../../src/nets/losses.js';
import type { BoltzmannMachine } from '../../src/nets/boltzmann.js';
import { netFromJson } from '../../src/io/netfile.js';
import { Rng } from '../../src/random/rng.js';
import { problemArb } from '../helpers/random-nets.js';
import { graphProblemArb, randomGraphProblem, randomRecurrent } from '../helpers/random-graphs.js';
import { propertyRuns } from '../helpers/mutation.js';
import { gamma, gradientFromLoss, hvFromGradient, worstExcess, type Extrapolated } from '../helpers/richardson.js';

/**
 * ∇E of every oracle against extrapolated central differences of E itself, and Hv against
 * differences of ∇E, with the error bound of test/helpers/richardson.ts: |R₂ − f'| ≤ |R₁ − R₂| +
 * 15δ/h, plus the exact side's own round-off. A wrong loss value (say E × 1.1) or a wrong
 * gradient moves the two apart by O(1) relative; the allowance is ~1e-8 relative.
 *
 * Round-off δ of one evaluation of E: every operation rounds with relative error ≤ u = ε/2, so a
 * chain of m operations is off by at most γ_m = m u / (1 − m u) relative to the magnitudes it
 * combines (Higham §3.1). On these nets the magnitudes are O(1) per pattern (inputs N(0, 1),
 * weights N(0, 1.5²/fan-in), |σ'| ≤ 1) and every per-pattern loss is ≥ 0, so the magnitudes
 * summed into E are bounded by P + E: δ = γ_m (P + |E|), with m the longest chain of one
 * pattern (one dot product per unit on the way, each transcendental counted as 4 operations,
 * the loss's sum over outputs). The exact gradient's own round-off is that of a chain twice as
 * long (forward and backward) on magnitudes (P + |E|)(1 + ‖∇E‖∞).
 *
 * Step h: 1e-2 on smooth nets (truncation ~ h⁴·E⁽⁵⁾ ≈ 1e-9 and round-off 15δ/h ≈ 1e-11); nets
 * with relu units have kinks, where differences are meaningless, so there h = 1e-6: E is smooth
 * on each side of a kink and the chance that ±h straddles one is ~1e-6 per unit and pattern.
 */

function stepFor(names: readonly ActivationName[]): number {
  return names.includes('relu') ? 1e-6 : 1e-2;
}

function layeredChain(net: LayeredNet): number {
  let m = 0;
  for (let l = 1; l < net.layers.length; l++) m += net.layers[l - 1] + 1 + 4;
  return m + 2 * net.layers[net.layers.length - 1] + 4;
}

function graphChain(net: GraphNet): number {
  return net.size + 4 * net.units + 2 * net.outputs.length + 4;
}

/** Asserts exact ∇E against differences of E. */
function expectGradientMatchesLoss(oracle: Oracle, w: Float64Array, h: number, chain: number, patterns: number, extraDelta = 0, label = ''): void {
  const n = oracle.size;
  const g = new Float64Array(n);
  const E = oracle.gradient(w, g);
  const scale = patterns + Math.abs(E);
  const fd = gradientFromLoss((x) => oracle.loss(x), w, h, gamma(chain) * scale + extraDelta);
  const gInf = Math.max(0, ...g.map(Math.abs));
  const worst = worstExcess(g, fd, () => gamma(2 * chain) * scale * (1 + gInf));
  expect(worst.excess, `${label} ${worst.detail}`).toBeLessThanOrEqual(0);
}

/** Asserts exact Hv against differences of the same oracle's ∇E. */
function expectHvMatchesGradient(oracle: Oracle, w: Float64Array, v: Float64Array, h: number, chain: number, patterns: number, label = ''): Extrapolated {
  const n = oracle.size;
  const g = new Float64Array(n);
  const hv = new Float64Array(n);
  const E = oracle.evaluate(w, v, g, hv);
  const vInf = Math.max(0, ...v.map(Math.abs));
  const gInf = Math.max(0, ...g.map(Math.abs));
  // One gradient entry: a chain of 2m operations on magnitudes (P + |E|)(1 + ‖∇E‖∞).
  const delta = gamma(2 * chain) * (patterns + Math.abs(E)) * (1 + gInf);
  const fd = hvFromGradient((x, out) => oracle.gradient(x, out), w, v, h, delta);
  const hvInf = Math.max(0, ...hv.map(Math.abs));
  const worst = worstExcess(hv, fd, () => gamma(3 * chain) * (patterns + Math.abs(E)) * (1 + gInf + hvInf) * (1 + vInf));
  expect(worst.excess, `${label} ${worst.detail}`).toBeLessThanOrEqual(0);
  return fd;
}

describe.each(['wasm', 'js'] as const)('∇E against differences of E: layered nets (%s kernels)', (kernels: LayeredKernels) => {
  it('every activation and loss, on random nets: the gradient is the derivative of the loss value', () => {
    fc.assert(
      fc.property(problemArb, ({ net, data, w }) => {
        const oracle = new LayeredOracle(net, data, { kernels });
        expectGradientMatchesLoss(oracle, w, stepFor(net.activationNames), layeredChain(net), data.count, 0, `${net.layers.join('-')} ${net.activationNames.join(',')} ${net.lossName}`);
      }),
      { numRuns: propertyRuns(120), seed: 16001 },
    );
  });
});

describe('∇E and Hv against differences on the unit-graph oracle itself (GraphOracle)', () => {
  it('every activation and loss, on random acyclic graphs with skip connections: ∇E is the derivative of E', () => {
    fc.assert(
      fc.property(graphProblemArb, ({ net, data, w }) => {
        expectGradientMatchesLoss(new GraphOracle(net, data), w, stepFor(net.activationNames), graphChain(net), data.count, 0, `${net.activationNames.join(',')} ${net.lossName}`);
      }),
      { numRuns: propertyRuns(150), seed: 16002 },
    );
  });

  it('every activation and loss, on random acyclic graphs: Hv (σ″ terms included) is the derivative of ∇E', () => {
    fc.assert(
      fc.property(graphProblemArb, ({ net, data, w, v }) => {
        expectHvMatchesGradient(new GraphOracle(net, data), w, v, stepFor(net.activationNames), graphChain(net), data.count, `${net.activationNames.join(',')} ${net.lossName}`);
      }),
      { numRuns: propertyRuns(150), seed: 16003 },
    );
  });

  it('each activation alone in the hidden units (so a wrong σ″ of one cannot hide among the others)', () => {
    for (const act of ACTIVATION_NAMES) {
      for (const loss of LOSS_NAMES) {
        for (let seed = 1; seed <= 3; seed++) {
          const { net, data, w, v } = randomGraphFor(act, loss, seed);
          const oracle = new GraphOracle(net, data);
          expectGradientMatchesLoss(oracle, w, stepFor(net.activationNames), graphChain(net), data.count, 0, `${act}/${loss}/${seed}`);
          expectHvMatchesGradient(oracle, w, v, stepFor(net.activationNames), graphChain(net), data.count, `${act}/${loss}/${seed}`);
        }
      }
    }
  });
});

/** A random acyclic graph whose hidden units all have activation `act`. */
function randomGraphFor(act: ActivationName, loss: (typeof LOSS_NAMES)[number], seed: number): ReturnType<typeof randomGraphProblem> {
  return randomGraphProblem(2, 4, 2, [act], loss, 4, 1000 * seed + ACTIVATION_NAMES.indexOf(act));
}

describe('∇E against differences of E: recurrent nets (RecurrentOracle)', () => {
  // The relaxation stops at a residual r with ‖r‖∞ ≤ tol; to first order that moves E_p by
  // (Wᵀ z_p)·r (z_p = ∂E_p/∂x, the adjoint: e_xᵀ W (I − L W)⁻¹ = zᵀ W), so one evaluation of E
  // is off by at most Σ_p ‖Wᵀ z_p‖₁ · tol on top of round-off. z_p is read off a one-pattern
  // gradient: the bias unit's connection into unit i carries ∂E/∂w = z_i · 1.
  function relaxationDelta(net: GraphNet, data: Dataset, w: Float64Array, biasConnection: Int32Array, tol: number): number {
    let total = 0;
    for (let p = 0; p < data.count; p++) {
      const one: Dataset = { count: 1, nIn: data.nIn, nOut: data.nOut, inputs: data.inputs.slice(p * data.nIn, (p + 1) * data.nIn), targets: data.targets.slice(p * data.nOut, (p + 1) * data.nOut) };
      const g = new Float64Array(net.size);
      new RecurrentOracle(net, one, { step: 0.5, tolerance: tol, maxSteps: 100_000 }, 'implicit').gradient(w, g);
      const wtz = new Float64Array(net.units);
      for (let c = 0; c < net.size; c++) wtz[net.from[c]] += w[c] * g[biasConnection[net.to[c]]];
      total += wtz.reduce((s, x) => s + Math.abs(x), 0);
    }
    return total * tol;
  }

  for (const act of ACTIVATION_NAMES) {
    it(`${act} hidden units, every loss: the relaxed gradient is the derivative of the relaxed loss`, () => {
      for (const loss of LOSS_NAMES) {
        for (let seed = 1; seed <= 3; seed++) {
          const { net, data, w, biasConnection } = randomRecurrent(seed, 4, act, 0.6, loss);
          const tol = 1e-13;
          const oracle = new RecurrentOracle(net, data, { step: 0.5, tolerance: tol, maxSteps: 100_000 }, 'relax');
          const extra = relaxationDelta(net, data, w, biasConnection, tol);
          expectGradientMatchesLoss(oracle, w, stepFor(net.activationNames), graphChain(net) * 4, data.count, extra, `${act}/${loss}/${seed}`);
        }
      }
    });
  }
});

describe('∇E and Hv against differences: the quadratic bowl and teacher–student oracles', () => {
  const sizeArb = fc.record({ n: fc.integer({ min: 1, max: 8 }), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }) });
  it('quadratic E = ½ (w − w*)ᵀ H (w − w*): ∇E from E and Hv from ∇E', () => {
    fc.assert(
      fc.property(sizeArb, ({ n, seed }) => {
        const rng = new Rng(seed);
        const B = rng.fillGaussian(new Float64Array(n * n));
        const H = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H[i * n + j] = B[i * n + j] + B[j * n + i];
        const oracle = new QuadraticOracle(H, rng.fillGaussian(new Float64Array(n)));
        const w = rng.fillGaussian(new Float64Array(n));
        const v = rng.fillGaussian(new Float64Array(n));
        // Magnitudes: |d_i H_ij d_j| ~ 1, n² terms: chain 2n, scale n (the "P" of the bound).
        expectGradientMatchesLoss(oracle, w, 1e-2, 2 * n + 2, n * n);
        expectHvMatchesGradient(oracle, w, v, 1e-2, 2 * n + 2, n * n);
      }),
      { numRuns: propertyRuns(100), seed: 16004 },
    );
  });

  it('teacher–student E_g = ½ α² ‖W − W*‖²: ∇E from E and Hv from ∇E', () => {
    fc.assert(
      fc.property(sizeArb, fc.double({ min: 0.1, max: 3, noNaN: true }), ({ n, seed }, alpha) => {
        const rng = new Rng(seed);
        const oracle = new TeacherStudentOracle(rng.fillGaussian(new Float64Array(n)), alpha);
        const w = rng.fillGaussian(new Float64Array(n));
        const v = rng.fillGaussian(new Float64Array(n));
        expectGradientMatchesLoss(oracle, w, 1e-2, n + 4, n * (1 + alpha * alpha));
        expectHvMatchesGradient(oracle, w, v, 1e-2, n + 4, n * (1 + alpha * alpha));
      }),
      { numRuns: propertyRuns(100), seed: 16005 },
    );
  });
});

describe('∇G against differences of G: Boltzmann machines by enumeration', () => {
  const variants = [['binary', 'seed', 1], ['bipolar', 'seed', 0.7], ['binary', 'standard', 1.5], ['bipolar', 'standard', 1]] as const;
  for (const [states, energySign, temperature] of variants) {
    it(`${states} units, ${energySign} sign, T = ${temperature}: ∇G is the derivative of the KL divergence G`, () => {
      for (let seed = 1; seed <= 3; seed++) {
        const rng = new Rng(seed);
        const visible = 3;
        const hidden = 2;
        const N = visible + hidden;
        const K = (N * (N - 1)) / 2;
        const weights = Array.from({ length: K }, () => 0.7 * rng.gaussian());
        const vals = states === 'binary' ? [0, 1] : [-1, 1];
        const patterns = [0, 1, 2].map((i) => Array.from({ length: visible }, (_, b) => vals[((i + 3) >> b) & 1]));
        const loaded = netFromJson({ visible, hidden, states, energySign, temperature, connections: 'full', weights, patterns, patternProbabilities: [0.5, 0.3, 0.2] }, 'test');
        const oracle = new BoltzmannOracle(loaded.net as BoltzmannMachine);
        // G sums q log(q/p) over the patterns; each p is a ratio of sums over 2^N states of
        // exp(−energy/T), energy a K-term sum: chain 2^N + K + 8, magnitudes 1 + G.
        expectGradientMatchesLoss(oracle, loaded.weights, 1e-2, 2 ** N + K + 8, 1, 0, `seed ${seed}`);
      }
    });
  }
});
