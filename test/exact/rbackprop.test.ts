import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LayeredOracle, chooseLayeredKernels, type LayeredKernels } from '../../src/exact/layered/oracle.js';
import { WASM_PASS_MAX_BYTES, wasmPassLayout } from '../../src/exact/layered/wasm-pass.js';
import { layeredNet } from '../../src/nets/layered.js';
import { wasmKernelsUnavailable } from '../../src/wasm/kernels.js';
import { GraphOracle } from '../../src/exact/graph.js';
import { FiniteDifferenceHv } from '../../src/approx/finite-difference.js';
import { denseHessian, asymmetry } from '../../src/analysis/dense.js';
import { layeredToGraph } from '../../src/nets/graph.js';
import { dot, nrm2, relErr } from '../../src/linalg/blas1.js';
import { ACTIVATION_NAMES } from '../../src/nets/activations.js';
import { LOSS_NAMES } from '../../src/nets/losses.js';
import { problemArb, randomProblem, outputActivation } from '../helpers/random-nets.js';

/**
 * Tolerance for central differences at step r against the exact Hv: truncation r²/6·|∇³E[v,v]|
 * plus round-off ~ ε·|∇E|/r per entry. With r = 1e-5 both are ~1e-10 relative to the problem's
 * scale; 1e-6 × (‖Hv‖ + ‖∇E‖ + ‖v‖) leaves four orders of margin and still fails on any
 * missing R-term (those are O(1) relative).
 */
function centralTolerance(hv: Float64Array, g: Float64Array, v: Float64Array): number {
  return 1e-6 * (nrm2(hv.length, hv) + nrm2(g.length, g) + nrm2(v.length, v));
}

// Every property below runs on both implementations of the layered pass: the WebAssembly SIMD
// kernels (the default) and the JavaScript one.
describe.each(['wasm', 'js'] as const)('R{backprop} on layered nets (%s kernels)', (kernels: LayeredKernels) => {
  it('matches central differences of the gradient on random nets of every activation and loss', () => {
    fc.assert(
      fc.property(problemArb, ({ net, data, w, v }) => {
        const oracle = new LayeredOracle(net, data, { kernels });
        const n = net.size;
        const hv = new Float64Array(n);
        const g = new Float64Array(n);
        oracle.evaluate(w, v, g, hv);
        const fd = new FiniteDifferenceHv(oracle).hv(w, v, 1e-5, 'central', new Float64Array(n));
        const diff = fd.map((x, k) => x - hv[k]);
        expect(nrm2(n, diff)).toBeLessThan(centralTolerance(hv, g, v));
      }),
      { numRuns: 300, seed: 20261128 },
    );
  });

  it('equals the unit-graph form of the same net (loss, gradient, Hv) to round-off', () => {
    fc.assert(
      fc.property(problemArb, ({ net, data, w, v }) => {
        const layered = new LayeredOracle(net, data, { kernels });
        const graph = new GraphOracle(layeredToGraph(net), data);
        const n = net.size;
        const [g1, g2, h1, h2] = [0, 0, 0, 0].map(() => new Float64Array(n));
        const e1 = layered.evaluate(w, v, g1, h1);
        const e2 = graph.evaluate(w, v, g2, h2);
        expect(Math.abs(e1 - e2)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e1)));
        expect(relErr(g2, g1)).toBeLessThan(1e-12);
        expect(relErr(h2, h1)).toBeLessThan(1e-12);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('gives u·Hv = v·Hu (H symmetric) to round-off', () => {
    fc.assert(
      fc.property(problemArb, ({ net, data, w, v, u }) => {
        const oracle = new LayeredOracle(net, data, { kernels });
        const n = net.size;
        const hv = new Float64Array(n);
        oracle.hv(w, v, hv);
        const hu = new Float64Array(n);
        oracle.hv(w, u, hu);
        const scale = nrm2(n, u) * nrm2(n, hv) + nrm2(n, v) * nrm2(n, hu);
        expect(Math.abs(dot(n, u, hv) - dot(n, v, hu))).toBeLessThanOrEqual(1e-13 * scale + 1e-300);
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('builds a dense Hessian from n Hv products that is symmetric to round-off', () => {
    for (const loss of LOSS_NAMES) {
      for (const act of ACTIVATION_NAMES) {
        const p = randomProblem([3, 4, 3, 2], [act, act], outputActivation(loss, act), loss, 5, 99);
        const oracle = new LayeredOracle(p.net, p.data, { kernels });
        const H = denseHessian(oracle, p.w);
        expect(asymmetry(H, p.net.size)).toBeLessThan(1e-13);
      }
    }
  });

  it('matches a Richardson-extrapolated central difference (independent float64 route) to 1e-9', () => {
    // Richardson on central differences cancels the r² term: (4 D(r/2) − D(r)) / 3 has error
    // O(r⁴) + O(ε/r). Measured on these nets it falls as r⁴ (tanh/sse: 3e-5 at r = 1e-2, 3e-9 at
    // 1e-3) down to ~1e-12 at r = 3e-4, where round-off (~ε‖∇E‖/r) is still far below: 1e-9 is
    // then a bar R{backprop} must clear by its own accuracy, with two decades of margin.
    for (const loss of LOSS_NAMES) {
      for (const act of ACTIVATION_NAMES) {
        if (act === 'relu') continue; // kinks make high-order differences meaningless
        const p = randomProblem([4, 6, 5, 3], [act, act], outputActivation(loss, act), loss, 8, 1234);
        const oracle = new LayeredOracle(p.net, p.data, { kernels });
        const n = p.net.size;
        const hv = new Float64Array(n);
        oracle.hv(p.w, p.v, hv);
        const fd = new FiniteDifferenceHv(oracle);
        const r = 3e-4;
        const d1 = fd.hv(p.w, p.v, r, 'central', new Float64Array(n));
        const d2 = fd.hv(p.w, p.v, r / 2, 'central', new Float64Array(n));
        const rich = d2.map((x, k) => (4 * x - d1[k]) / 3);
        expect(relErr(rich, hv), `${act}/${loss}`).toBeLessThan(1e-9);
      }
    }
  });

  it('keeps full precision in saturated tanh units (σ\' from x, not from y)', () => {
    // At |x| ≈ 25, 1 − tanh(x)² is exactly 0 in float64 but sech²(x) ≈ 7.7e-22 is not.
    const p = randomProblem([1, 1, 1], ['tanh'], 'linear', 'sse', 1, 5);
    p.w.set([25, 0, 1, 0]); // x_1 = 25·input
    p.data.inputs[0] = 1;
    const oracle = new LayeredOracle(p.net, p.data, { kernels });
    const g = new Float64Array(4);
    oracle.gradient(p.w, g);
    // ∂E/∂w_0 = (y_out − t) · w_out · sech²(25) · input, with y_out = tanh(25) (output weight 1,
    // bias 0) and sech²(25) = 4e^{−50}/(1 + e^{−50})² ≈ 7.7e-22 written independently here.
    const sech2 = (4 * Math.exp(-50)) / (1 + Math.exp(-50)) ** 2;
    const expected = (Math.tanh(25) - p.data.targets[0]) * 1 * sech2 * 1;
    expect(Math.abs(g[0] - expected)).toBeLessThanOrEqual(1e-14 * Math.abs(expected));
    expect(Math.abs(expected)).toBeGreaterThan(1e-22);
  });
});

describe('the two layered passes (wasm and js)', () => {
  it('has the wasm kernels available here, so the tests above exercise them', () => {
    expect(wasmKernelsUnavailable()).toBeNull();
    const p = randomProblem([2, 3, 1], ['tanh'], 'linear', 'sse', 3, 1);
    expect(new LayeredOracle(p.net, p.data).kernels).toBe('wasm');
  });

  it('agree to round-off on random nets of every activation and loss, any pattern count', () => {
    // P from 1 to 17 covers every padding of the wasm pass (P̃ = P rounded up to 8).
    const arb = fc.record({ problem: problemArb, patterns: fc.integer({ min: 1, max: 17 }), seed: fc.integer({ min: 0, max: 1e6 }) })
      .map(({ problem, patterns, seed }) => randomProblem(
        [...problem.net.layers], [...problem.net.activationNames.slice(0, -1)], problem.net.activationNames.at(-1)!,
        problem.net.lossName, patterns, seed,
      ));
    fc.assert(
      fc.property(arb, ({ net, data, w, v }) => {
        const wasm = new LayeredOracle(net, data, { kernels: 'wasm' });
        const js = new LayeredOracle(net, data, { kernels: 'js' });
        const n = net.size;
        const [g1, g2, h1, h2] = [0, 0, 0, 0].map(() => new Float64Array(n));
        const e1 = wasm.evaluate(w, v, g1, h1);
        const e2 = js.evaluate(w, v, g2, h2);
        expect(Math.abs(e1 - e2)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(e2)));
        expect(relErr(g1, g2)).toBeLessThan(1e-13);
        expect(relErr(h1, h2)).toBeLessThan(1e-13);
        // Loss-only and gradient-only calls take the shorter sweeps and must agree too.
        expect(Math.abs(wasm.loss(w) - e2)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(e2)));
        const g3 = new Float64Array(n);
        wasm.gradient(w, g3);
        expect(relErr(g3, g2)).toBeLessThan(1e-13);
      }),
      { numRuns: 300, seed: 424242 },
    );
  });

  it('auto falls back to js where the wasm pass would outgrow its 2 GiB memory, and wasm says so', () => {
    const net = layeredNet([784, 256, 10], ['tanh', 'linear'], 'softmax-cross-entropy');
    // Per pattern: Y_0, eight n_l-row blocks per layer, ∂E/∂Y and R{∂E/∂Y} of the hidden layer, T.
    const perPattern = 8 * (784 + 8 * (256 + 10) + 2 * 256 + 10);
    expect(wasmPassLayout(net, 4000).bytes - wasmPassLayout(net, 2000).bytes).toBe(2000 * perPattern);
    const fits = Math.floor((WASM_PASS_MAX_BYTES - wasmPassLayout(net, 0).bytes) / perPattern / 8) * 8;
    expect(chooseLayeredKernels('auto', net, fits)).toBe('wasm');
    expect(chooseLayeredKernels('auto', net, fits + 8)).toBe('js');
    expect(chooseLayeredKernels('wasm', net, fits + 8)).toBe('wasm');
    const data = { count: fits + 8, nIn: 784, nOut: 10, inputs: new Float64Array(0), targets: new Float64Array(0) };
    expect(() => new LayeredOracle(net, data, { kernels: 'wasm' })).toThrow(/above its limit.*use the js kernels/);
  });

  it('agree after setData replaces the patterns (inputs and targets reloaded)', () => {
    const a = randomProblem([3, 5, 4], ['logistic'], 'linear', 'softmax-cross-entropy', 7, 3);
    const b = randomProblem([3, 5, 4], ['logistic'], 'linear', 'softmax-cross-entropy', 7, 4);
    const wasm = new LayeredOracle(a.net, a.data, { kernels: 'wasm' });
    wasm.setData(b.data);
    const js = new LayeredOracle(a.net, b.data, { kernels: 'js' });
    const [h1, h2] = [0, 0].map(() => new Float64Array(a.net.size));
    const e1 = wasm.hv(a.w, a.v, h1);
    const e2 = js.hv(a.w, a.v, h2);
    expect(Math.abs(e1 - e2)).toBeLessThanOrEqual(1e-13 * Math.abs(e2));
    expect(relErr(h1, h2)).toBeLessThan(1e-13);
  });

  it('propagate NaN in the weights to E, the gradient and Hv', () => {
    const p = randomProblem([2, 3, 2], ['tanh'], 'linear', 'softmax-cross-entropy', 5, 8);
    p.w[1] = Number.NaN;
    for (const kernels of ['wasm', 'js'] as const) {
      const oracle = new LayeredOracle(p.net, p.data, { kernels });
      const g = new Float64Array(p.net.size);
      const hv = new Float64Array(p.net.size);
      expect(oracle.evaluate(p.w, p.v, g, hv)).toBeNaN();
      expect(g.some(Number.isNaN)).toBe(true);
      expect(hv.some(Number.isNaN)).toBe(true);
    }
  });
});
