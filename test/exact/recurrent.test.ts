import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { RecurrentOracle, RelaxationError, DEFAULT_RELAXATION } from '../../src/exact/recurrent.js';
import { GraphOracle } from '../../src/exact/graph.js';
import { FiniteDifferenceHv } from '../../src/approx/finite-difference.js';
import { graphNet, type GraphNet } from '../../src/nets/graph.js';
import type { ActivationName } from '../../src/nets/activations.js';
import type { Dataset } from '../../src/nets/dataset.js';
import { relErr } from '../../src/linalg/blas1.js';
import { Rng } from '../../src/random/rng.js';
import { loadNetFile, netFromJson } from '../../src/io/netfile.js';
import { seededDirection } from '../../src/io/vector.js';
import { ROOT, tempDir, wpsim, writeFile } from '../helpers/cli.js';
import { randomRecurrent } from '../helpers/random-graphs.js';
import { UNDER_MUTATION } from '../helpers/mutation.js';
import { hessianTimes, implicitDerivatives } from '../helpers/implicit-recurrent.js';

describe('R{recurrent backprop}', () => {
  for (const act of ['tanh', 'logistic', 'softplus'] as ActivationName[]) {
    it(`${act}: Hv by relaxation matches the implicit-function solves and central differences of the relaxed gradient to 1e-8`, () => {
      for (let seed = 1; seed <= 6; seed++) {
        const { net, data, w, v } = randomRecurrent(seed, 4, act);
        const relax = new RecurrentOracle(net, data, DEFAULT_RELAXATION, 'relax');
        const implicit = new RecurrentOracle(net, data, DEFAULT_RELAXATION, 'implicit');
        const n = net.size;
        const [g1, h1, g2, h2] = [0, 0, 0, 0].map(() => new Float64Array(n));
        relax.evaluate(w, v, g1, h1);
        implicit.evaluate(w, v, g2, h2);
        expect(relErr(g2, g1), `seed ${seed}`).toBeLessThan(1e-8);
        expect(relErr(h2, h1), `seed ${seed}`).toBeLessThan(1e-8);
        // Richardson-extrapolated central differences of the relaxed gradient: O(r⁴) truncation,
        // and the relaxation's 1e-12 tolerance enters only as ~1e-12/r.
        const fd = new FiniteDifferenceHv(relax);
        const r = 1e-3;
        const d1 = fd.hv(w, v, r, 'central', new Float64Array(n));
        const d2 = fd.hv(w, v, r / 2, 'central', new Float64Array(n));
        const rich = d2.map((x, k) => (4 * x - d1[k]) / 3);
        expect(relErr(rich, h1), `seed ${seed}`).toBeLessThan(1e-8);
      }
    });
  }

  it('the implicit method solves its linear systems by LU (no relaxation steps beyond the forward fixed points); relax relaxes them', () => {
    // Both routes give the same vectors to the tolerance, so only the work done tells them apart.
    for (const act of ['tanh', 'softplus'] as ActivationName[]) {
      const { net, data, w, v } = randomRecurrent(2, 4, act);
      const n = net.size;
      const relax = new RecurrentOracle(net, data, DEFAULT_RELAXATION, 'relax');
      const implicit = new RecurrentOracle(net, data, DEFAULT_RELAXATION, 'implicit');
      relax.loss(w);
      const forwardSteps = relax.lastSteps;
      expect(forwardSteps).toBeGreaterThan(data.count);
      implicit.loss(w);
      expect(implicit.lastSteps).toBe(forwardSteps);
      implicit.evaluate(w, v, new Float64Array(n), new Float64Array(n));
      expect(implicit.lastSteps).toBe(forwardSteps);
      relax.evaluate(w, v, new Float64Array(n), new Float64Array(n));
      // The adjoint, R-forward and R-adjoint systems of every pattern, relaxed: at least one
      // step each.
      expect(relax.lastSteps).toBeGreaterThanOrEqual(forwardSteps + 3 * data.count);
    }
  });

  // The independent route: E, ∇E and the dense Hessian from the implicit-function theorem at a
  // Newton-solved fixed point (test/helpers/implicit-recurrent.ts), sharing no drive vector,
  // relaxation or R-equation with the oracle. The oracle stops its relaxations at residual
  // ≤ tol, which moves its fixed point (and its linear solves) by ≤ κ·tol with κ = ‖(I − L W)⁻¹‖∞;
  // Hv depends on them with O(1) relative sensitivity on these nets, so the relative gap is
  // c·κ·tol: measured c ≤ 1.8 over 240 nets (5 activations × 3 losses × 4 seeds, relax and
  // implicit, tol 1e-12 and 1e-14); the bar is c = 20.
  for (const act of ['tanh', 'logistic', 'softplus', 'relu', 'linear'] as ActivationName[]) {
    it(`${act}: Hv by relaxation and by the oracle's LU solves equals H·v from the implicit-function theorem at the fixed point alone (σ″ and all)`, () => {
      for (const loss of ['sse', 'cross-entropy', 'softmax-cross-entropy'] as const) {
        for (let seed = 1; seed <= 3; seed++) {
          const { net, data, w, v } = randomRecurrent(seed, 4, act, 0.6, loss);
          const ref = implicitDerivatives(net, data, w);
          const hvRef = hessianTimes(ref.hessian, v);
          const bar = 20 * ref.sensitivity * DEFAULT_RELAXATION.tolerance;
          for (const method of ['relax', 'implicit'] as const) {
            const oracle = new RecurrentOracle(net, data, DEFAULT_RELAXATION, method);
            const g = new Float64Array(net.size);
            const hv = new Float64Array(net.size);
            const E = oracle.evaluate(w, v, g, hv);
            const label = `${act}/${loss}/seed ${seed}/${method}`;
            expect(Math.abs(E - ref.loss), label).toBeLessThan(bar * Math.max(1, ref.loss));
            expect(relErr(g, ref.gradient), label).toBeLessThan(bar);
            expect(relErr(hv, hvRef), label).toBeLessThan(bar);
          }
          // The assembled H is symmetric to round-off (a check on the reference itself).
          const K = net.size;
          let asym = 0;
          let size = 0;
          for (let c = 0; c < K; c++) for (let d = 0; d < K; d++) {
            asym = Math.max(asym, Math.abs(ref.hessian[c * K + d] - ref.hessian[d * K + c]));
            size = Math.max(size, Math.abs(ref.hessian[c * K + d]));
          }
          expect(asym).toBeLessThanOrEqual(1e-12 * size);
        }
      }
    });
  }

  it('an acyclic net declared recurrent gives the feedforward R{backprop} values', () => {
    const f = JSON.parse(readFileSync(join(ROOT, 'scenarios/nets/skip-graph.json'), 'utf8'));
    const ff = netFromJson(f, 'ff');
    const rec = netFromJson({ ...f, recurrent: true }, 'rec');
    const n = ff.weights.length;
    const v = new Rng(3).fillGaussian(new Float64Array(n));
    const [a, b, ga, gb] = [0, 0, 0, 0].map(() => new Float64Array(n));
    const ea = new GraphOracle(ff.net as GraphNet, ff.data).evaluate(ff.weights, v, ga, a);
    const eb = new RecurrentOracle(rec.net as GraphNet, rec.data).evaluate(ff.weights, v, gb, b);
    expect(Math.abs(ea - eb)).toBeLessThan(1e-12);
    expect(relErr(gb, ga)).toBeLessThan(1e-11);
    expect(relErr(b, a)).toBeLessThan(1e-11);
  });

  it('a divergent or oscillating net is an error naming the residual and the steps, never a number', () => {
    const { net, data, w } = randomRecurrent(2, 4, 'tanh', 0.6);
    // 40× the weights: the linear output units' feedback grows without bound.
    const oracle = new RecurrentOracle(net, data, { step: 1, tolerance: 1e-12, maxSteps: 500 });
    expect(() => oracle.loss(w.map((x) => 40 * x))).toThrow(/relaxation: the forward relaxation must converge .* got "non-finite state \(diverged\) after \d+ steps"/);
    // Two tanh units in a negative-feedback loop iterated with dt = 1: a bounded oscillation.
    const loop = graphNet({
      units: 4, activations: ['linear', 'tanh', 'tanh', 'linear'], inputs: [0], bias: -1, outputs: [3],
      connections: [{ from: 0, to: 1 }, { from: 2, to: 1 }, { from: 1, to: 2 }, { from: 1, to: 3 }], loss: 'sse', recurrent: true,
    });
    const loopData: Dataset = { count: 1, nIn: 1, nOut: 1, inputs: Float64Array.from([0.1]), targets: Float64Array.from([0]) };
    const osc = new RecurrentOracle(loop, loopData, { step: 1, tolerance: 1e-12, maxSteps: 500 });
    expect(() => osc.loss(Float64Array.from([1, -5, 5, 1]))).toThrow(/got "residual [1-9]\.\d+e[-+]\d+ after 500 steps"/);
    // The same loop relaxed with a small step converges: the error is about the dynamics, not the net alone.
    const damped = new RecurrentOracle(loop, loopData, { step: 0.05, tolerance: 1e-12, maxSteps: 100_000 });
    expect(Number.isFinite(damped.loss(Float64Array.from([1, -5, 5, 1])))).toBe(true);
  });
});

describe.skipIf(UNDER_MUTATION)('wpsim hv on recurrent nets', () => {
  const NET = join(ROOT, 'scenarios/nets/recurrent-loop.json');
  it('--method rop and relax print the library RecurrentOracle\'s Hv; implicit, fd-central and the implicit-function Hessian agree with it', () => {
    const out = (m: string): number[] => JSON.parse(wpsim(['hv', NET, '--json', '--method', m]).stdout).hv;
    const { net, data, weights, relaxation } = loadNetFile(NET);
    const graph = net as GraphNet;
    const v = seededDirection(weights.length, 1);
    const lib = new Float64Array(weights.length);
    new RecurrentOracle(graph, data, relaxation, 'relax').hv(weights, v, lib);
    const relax = out('relax');
    expect(relax).toEqual(Array.from(lib));
    expect(out('rop')).toEqual(Array.from(lib));
    // The independent route: H·v assembled at the Newton fixed point (bar as in the tests above).
    const ref = implicitDerivatives(graph, data, weights);
    const bar = 20 * ref.sensitivity * (relaxation ?? DEFAULT_RELAXATION).tolerance;
    expect(relErr(relax, hessianTimes(ref.hessian, v))).toBeLessThan(bar);
    expect(relErr(out('implicit'), relax)).toBeLessThan(1e-9);
    expect(relErr(out('fd-central'), relax)).toBeLessThan(1e-6);
  });

  it('a divergent recurrent net exits 2 with the residual reached', () => {
    const f = JSON.parse(readFileSync(NET, 'utf8'));
    const dir = tempDir();
    const path = writeFile(dir, 'diverge.json', { ...f, weights: f.weights.map((x: number) => 30 * x), relaxation: { step: 1, tolerance: 1e-12, maxSteps: 300 } });
    const r = wpsim(['hv', path, '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/relaxation: the forward relaxation must converge .*residual .* after 300 steps/);
    expect(wpsim(['hv', join(ROOT, 'scenarios/nets/xor-2-2-1.json'), '--method', 'implicit']).stderr).toMatch(/recurrent nets only/);
  });
});
