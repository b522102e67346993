import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { layeredNet, type LayeredNet } from '../../src/nets/layered.js';
import type { ActivationName } from '../../src/nets/activations.js';
import type { LossName } from '../../src/nets/losses.js';
import { nodeForwardWork, nodePerturbedLoss } from '../../src/nets/node-forward.js';
import { LayeredOracle } from '../../src/exact/layered/oracle.js';
import { NodeRule } from '../../src/synapse/node.js';
import { WalshCode } from '../../src/synapse/codes.js';
import { Matrix, solve } from 'ml-matrix';

/** A net with one sample: weights N(0, 1/fan-in), input N(0, 1), a target the loss accepts. */
function problem(layers: number[], acts: ActivationName[], lossName: LossName, seed: number) {
  const net = layeredNet(layers, acts, lossName);
  const rng = new Rng(seed);
  const w = new Float64Array(net.size);
  for (let l = 1; l < layers.length; l++) {
    for (let k = net.weightOffsets[l - 1]; k < net.biasOffsets[l - 1] + layers[l]; k++) w[k] = rng.gaussian() / Math.sqrt(layers[l - 1]);
  }
  const nOut = layers[layers.length - 1];
  const inputs = rng.fillGaussian(new Float64Array(layers[0]));
  const targets = new Float64Array(nOut);
  if (lossName === 'sse') rng.fillGaussian(targets);
  else targets[rng.int(nOut)] = 1;
  const data = { count: 1, nIn: layers[0], nOut, inputs, targets };
  const oracle = new LayeredOracle(net, data, { kernels: 'js' });
  const grad = new Float64Array(net.size);
  oracle.gradient(w, grad);
  return { net, w, data, oracle, grad };
}

/**
 * T node-perturbation draws on one sample: Gaussian unit perturbations of sd σ, ΔE one-sided or
 * antithetic odd part; returns the per-parameter mean and standard error of the estimates.
 */
function nodeDraws(net: LayeredNet, w: Float64Array, data: { inputs: Float64Array; targets: Float64Array }, sigma: number, T: number, antithetic: boolean, seed: number) {
  const work = nodeForwardWork(net);
  const rule = new NodeRule(net);
  const rng = new Rng(seed);
  const xi = new Float64Array(work.units);
  const minus = new Float64Array(work.units);
  const e0 = nodePerturbedLoss(net, w, data.inputs, 0, data.targets, 0, null, work);
  const activities = Float64Array.from(work.activities);
  const g = new Float64Array(net.size);
  const sum = new Float64Array(net.size);
  const sum2 = new Float64Array(net.size);
  const U = work.units;
  const dSum = new Float64Array(U);
  const dCross = new Float64Array(U * U);
  for (let t = 0; t < T; t++) {
    rng.fillGaussian(xi, sigma);
    const ePlus = nodePerturbedLoss(net, w, data.inputs, 0, data.targets, 0, xi, work);
    let dE = ePlus - e0;
    if (antithetic) {
      for (let j = 0; j < xi.length; j++) minus[j] = -xi[j];
      dE = 0.5 * (ePlus - nodePerturbedLoss(net, w, data.inputs, 0, data.targets, 0, minus, work));
    }
    g.fill(0);
    rule.accumulate(dE, xi, sigma * sigma, activities, 1, g);
    for (let p = 0; p < net.size; p++) {
      sum[p] += g[p];
      sum2[p] += g[p] * g[p];
    }
    for (let a = 0; a < U; a++) {
      dSum[a] += rule.delta[a];
      for (let b = 0; b < U; b++) dCross[a * U + b] += rule.delta[a] * rule.delta[b];
    }
  }
  const mean = sum.map((s) => s / T);
  const se = sum2.map((s2, p) => Math.sqrt(Math.max(0, s2 / T - mean[p] ** 2) / (T - 1)));
  // The unit estimates δ̂ share every draw, so they are correlated: their joint distance from
  // the exact δ needs the covariance of the mean, Cov(δ̂)/T.
  const deltaMean = dSum.map((s) => s / T);
  const covMean = new Matrix(U, U);
  for (let a = 0; a < U; a++) {
    for (let b = 0; b < U; b++) covMean.set(a, b, (dCross[a * U + b] / T - deltaMean[a] * deltaMean[b]) / (T - 1));
  }
  return { mean, se, deltaMean, covMean };
}

/**
 * Max |z| of the per-parameter estimates against the exact gradient (z in standard errors), and
 * the squared Mahalanobis distance of the unit estimates δ̂ from the exact δ = ∂E/∂b (≈ χ² with
 * one degree of freedom per unit for T large). Each weight's estimate is δ̂_j y_k: all weights of
 * one unit share its z, so Σ z² over weights is not χ²-distributed; the unit vector is.
 */
function zScores(net: LayeredNet, draws: ReturnType<typeof nodeDraws>, exact: Float64Array) {
  let maxZ = 0;
  for (let p = 0; p < draws.mean.length; p++) maxZ = Math.max(maxZ, Math.abs((draws.mean[p] - exact[p]) / draws.se[p]));
  const d: number[] = [];
  for (let l = 1; l < net.layers.length; l++) {
    for (let o = 0; o < net.layers[l]; o++) d.push(draws.deltaMean[d.length] - exact[net.biasOffsets[l - 1] + o]);
  }
  const x = solve(draws.covMean, Matrix.columnVector(d));
  let mahalanobis2 = 0;
  for (let a = 0; a < d.length; a++) mahalanobis2 += d[a] * x.get(a, 0);
  return { maxZ, mahalanobis2 };
}

/** Upper 1e-4 quantiles of χ² with 3 and 6 degrees of freedom. */
const CHI2_9999: Record<number, number> = { 3: 21.108, 6: 27.856 };

describe('node-perturbed forward pass', () => {
  it('unperturbed, equals the exact oracle; perturbing unit j by s equals perturbing its bias b_j by s', () => {
    const cases: [number[], ActivationName[], LossName][] = [
      [[4, 3], ['linear'], 'sse'],
      [[3, 5, 2], ['tanh', 'logistic'], 'cross-entropy'],
      [[4, 6, 5, 3], ['softplus', 'tanh', 'linear'], 'softmax-cross-entropy'],
    ];
    for (const [layers, acts, lossName] of cases) {
      const { net, w, data, oracle } = problem(layers, acts, lossName, layers.length);
      const work = nodeForwardWork(net);
      expect(work.units).toBe(layers.slice(1).reduce((a, b) => a + b, 0));
      const e0 = nodePerturbedLoss(net, w, data.inputs, 0, data.targets, 0, null, work);
      expect(Math.abs(e0 - oracle.loss(w))).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(e0)));
      const xi = new Float64Array(work.units);
      for (let l = 1; l < layers.length; l++) {
        for (let o = 0; o < layers[l]; o++) {
          xi.fill(0);
          xi[work.unitOffsets[l - 1] + o] = 0.37;
          const wb = Float64Array.from(w);
          wb[net.biasOffsets[l - 1] + o] += 0.37;
          const e = nodePerturbedLoss(net, w, data.inputs, 0, data.targets, 0, xi, work);
          expect(Math.abs(e - oracle.loss(wb))).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(e)));
        }
      }
    }
  });
});

describe('node perturbation estimator', () => {
  it('on a linear single-layer net converges to the exact gradient within its standard error (one-sided, σ = 0.3)', () => {
    const { net, w, data, grad } = problem([5, 3], ['linear'], 'sse', 21);
    const T = 40000;
    const draws = nodeDraws(net, w, data, 0.3, T, false, 5);
    const { mean, se } = draws;
    const { maxZ, mahalanobis2 } = zScores(net, draws, grad);
    expect(maxZ).toBeLessThan(4);
    expect(mahalanobis2).toBeLessThan(CHI2_9999[3]);
    // And the standard errors are small enough that a wrong rule would fail: e.g. forgetting the
    // presynaptic factor y_k would miss by many standard errors.
    let worst = 0;
    for (let o = 0; o < 3; o++) for (let i = 0; i < 5; i++) worst = Math.max(worst, Math.abs(grad[o * 5 + i] / data.inputs[i] - grad[o * 5 + i]) / se[o * 5 + i]);
    expect(worst).toBeGreaterThan(10);
  });

  it('on a tanh hidden layer with antithetic pairs converges to the exact gradient within its standard error', () => {
    const { net, w, data, grad } = problem([3, 4, 2], ['tanh', 'linear'], 'softmax-cross-entropy', 22);
    const draws = nodeDraws(net, w, data, 1e-3, 40000, true, 6);
    const { maxZ, mahalanobis2 } = zScores(net, draws, grad);
    expect(maxZ).toBeLessThan(4);
    expect(mahalanobis2).toBeLessThan(CHI2_9999[6]);
  });

  it('with walsh codes on the units and antithetic pairs is exact on a linear net after one period', () => {
    const { net, w, data, grad } = problem([6, 4], ['linear'], 'sse', 23);
    const work = nodeForwardWork(net);
    const rule = new NodeRule(net);
    const code = new WalshCode(work.units, 1e-2, new Rng(3));
    const c = new Float64Array(work.units);
    const minus = new Float64Array(work.units);
    nodePerturbedLoss(net, w, data.inputs, 0, data.targets, 0, null, work);
    const activities = Float64Array.from(work.activities);
    const N = code.period;
    const G = new Float64Array(net.size);
    for (let t = 0; t < N; t++) {
      code.fill(t, c);
      for (let j = 0; j < c.length; j++) minus[j] = -c[j];
      const dE = 0.5 * (nodePerturbedLoss(net, w, data.inputs, 0, data.targets, 0, c, work)
        - nodePerturbedLoss(net, w, data.inputs, 0, data.targets, 0, minus, work));
      rule.accumulate(dE, c, code.meanSquare, activities, 1 / N, G);
    }
    let err = 0;
    let norm = 0;
    for (let p = 0; p < net.size; p++) {
      err += (G[p] - grad[p]) ** 2;
      norm += grad[p] ** 2;
    }
    expect(Math.sqrt(err / norm)).toBeLessThanOrEqual(1e-10);
  });
});
