import { describe, expect, it } from 'vitest';
import { LayeredOracle } from '../../src/exact/layered/oracle.js';
import { GraphOracle } from '../../src/exact/graph.js';
import { RecurrentOracle } from '../../src/exact/recurrent.js';
import { QuadraticOracle } from '../../src/exact/quadratic.js';
import { TeacherStudentOracle, teacherStudentSampleLoss } from '../../src/exact/teacher-student.js';
import { BoltzmannOracle } from '../../src/exact/boltzmann/enumeration.js';
import { oracleFor } from '../../src/exact/factory.js';
import type { Oracle } from '../../src/exact/oracle.js';
import { graphNet, type GraphNet } from '../../src/nets/graph.js';
import type { BoltzmannMachine } from '../../src/nets/boltzmann.js';
import type { Dataset } from '../../src/nets/dataset.js';
import { netFromJson } from '../../src/io/netfile.js';
import { Rng } from '../../src/random/rng.js';
import { randomProblem } from '../helpers/random-nets.js';
import { randomGraphProblem, randomRecurrent } from '../helpers/random-graphs.js';

/**
 * The Oracle contract (src/exact/oracle.ts) for every oracle: `evaluate` computes E and
 * whichever of ∇E and Hv are asked for, and `loss`, `gradient`, `hv` and every partial request
 * return the same E, ∇E and Hv as the full request (the passes they skip cannot change what they
 * return), overwriting every entry of the output arrays whatever they held before (here NaN).
 * Equal to 1e-12 relative to the largest entry (the same operations in the same order; the
 * margin covers nothing but fused or reordered round-off). Then E itself against closed forms
 * written out here, for the oracles whose E has one (the difference tests of
 * gradient-vs-loss.test.ts check ∇E and Hv against E, so only an independent E can catch a
 * wrong E with a consistently wrong ∇E).
 */
function boltzmann(): { oracle: BoltzmannOracle; w: Float64Array } {
  const rng = new Rng(5);
  const weights = Array.from({ length: 10 }, () => 0.7 * rng.gaussian());
  const loaded = netFromJson({
    visible: 3, hidden: 2, states: 'bipolar', energySign: 'seed', temperature: 0.8, connections: 'full', weights,
    patterns: [[1, -1, 1], [-1, -1, 1], [1, 1, -1]], patternProbabilities: [0.5, 0.3, 0.2],
  }, 'test');
  return { oracle: new BoltzmannOracle(loaded.net as BoltzmannMachine), w: loaded.weights };
}

function cases(): { label: string; oracle: Oracle; w: Float64Array }[] {
  const rng = new Rng(77);
  const n = 5;
  const B = rng.fillGaussian(new Float64Array(n * n));
  const H = B.map((_, k) => B[k] + B[(k % n) * n + Math.floor(k / n)]);
  const layered = randomProblem([3, 4, 2], ['tanh'], 'logistic', 'cross-entropy', 6, 3);
  const graph = randomGraphProblem(2, 3, 2, ['tanh', 'softplus', 'logistic'], 'sse', 5, 9);
  const recurrent = randomRecurrent(4, 3, 'tanh');
  const bm = boltzmann();
  return [
    { label: 'quadratic', oracle: new QuadraticOracle(H, rng.fillGaussian(new Float64Array(n))), w: rng.fillGaussian(new Float64Array(n)) },
    { label: 'teacher-student', oracle: new TeacherStudentOracle(rng.fillGaussian(new Float64Array(n)), 1.7), w: rng.fillGaussian(new Float64Array(n)) },
    { label: 'layered js', oracle: new LayeredOracle(layered.net, layered.data, { kernels: 'js' }), w: layered.w },
    { label: 'layered wasm', oracle: new LayeredOracle(layered.net, layered.data, { kernels: 'wasm' }), w: layered.w },
    { label: 'graph', oracle: new GraphOracle(graph.net, graph.data), w: graph.w },
    { label: 'recurrent relax', oracle: new RecurrentOracle(recurrent.net, recurrent.data), w: recurrent.w },
    { label: 'recurrent implicit', oracle: new RecurrentOracle(recurrent.net, recurrent.data, undefined, 'implicit'), w: recurrent.w },
    { label: 'boltzmann', oracle: bm.oracle, w: bm.w },
  ];
}

const nan = (n: number): Float64Array => new Float64Array(n).fill(Number.NaN);

function expectSame(actual: Float64Array, expected: Float64Array, label: string): void {
  const scale = Math.max(...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${label}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(1e-12 * scale);
  }
}

describe('every oracle keeps the Oracle contract', () => {
  for (const { label, oracle, w } of cases()) {
    it(`${label}: loss, gradient, hv and partial evaluate requests return the full request's E, ∇E and Hv, overwriting their outputs`, () => {
      const n = oracle.size;
      const v = new Rng(13).fillGaussian(new Float64Array(n));
      const g = nan(n);
      const hv = nan(n);
      const E = oracle.evaluate(w, v, g, hv);
      expect(Number.isFinite(E)).toBe(true);
      for (let i = 0; i < n; i++) expect(Number.isFinite(g[i]) && Number.isFinite(hv[i]), `${label}: entry ${i} written`).toBe(true);
      const sameE = (e: number, what: string): void => {
        expect(Math.abs(e - E), `${label} ${what}: E ${e} vs ${E}`).toBeLessThanOrEqual(1e-12 * Math.abs(E));
      };
      sameE(oracle.loss(w), 'loss');
      sameE(oracle.evaluate(w, null, null, null), 'evaluate(w)');
      // v without an hv array (or hv without v) asks for no Hv.
      sameE(oracle.evaluate(w, v, null, null), 'evaluate(w, v)');
      const hvUntouched = nan(n);
      sameE(oracle.evaluate(w, null, null, hvUntouched), 'evaluate(w, null, null, hv)');
      const g2 = nan(n);
      sameE(oracle.gradient(w, g2), 'gradient');
      expectSame(g2, g, `${label} gradient`);
      const g3 = nan(n);
      sameE(oracle.evaluate(w, v, g3, null), 'evaluate(w, v, g)');
      expectSame(g3, g, `${label} evaluate(w, v, g)`);
      const hv2 = nan(n);
      sameE(oracle.hv(w, v, hv2), 'hv');
      expectSame(hv2, hv, `${label} hv`);
      const hv3 = nan(n);
      sameE(oracle.evaluate(w, v, null, hv3), 'evaluate(w, v, null, hv)');
      expectSame(hv3, hv, `${label} evaluate(w, v, null, hv)`);
    });
  }
});

describe('E, ∇E and Hv against closed forms', () => {
  it('quadratic bowl: E = ½ (w − w*)ᵀ H (w − w*), ∇E = H (w − w*), Hv = H v', () => {
    const H = Float64Array.from([2, 1, 0, 1, 3, -1, 0, -1, 4]);
    const wStar = Float64Array.from([1, -1, 0.5]);
    const w = Float64Array.from([0.5, 0, 2]);
    const v = Float64Array.from([1, 2, -1]);
    // d = (−0.5, 1, 1.5); H d = (0, 1, 5); ½ d·Hd = ½ (0 + 1 + 7.5); H v = (4, 8, −6).
    const g = new Float64Array(3);
    const hv = new Float64Array(3);
    expect(new QuadraticOracle(H, wStar).evaluate(w, v, g, hv)).toBe(4.25);
    expect(Array.from(g)).toEqual([0, 1, 5]);
    expect(Array.from(hv)).toEqual([4, 8, -6]);
  });

  it('teacher–student: E_g = ½ α² ‖W − W*‖², ∇E = α² (W − W*), Hv = α² v; one sample ½ ‖(W − W*) x‖²', () => {
    const teacher = Float64Array.from([1, 0, -1, 2, 0.5, 1]);
    const w = Float64Array.from([0, 0, 1, 2, 1.5, -1]);
    const v = Float64Array.from([1, -1, 2, 0, 0.5, 3]);
    const g = new Float64Array(6);
    const hv = new Float64Array(6);
    // W − W* = (−1, 0, 2, 0, 1, −2): ‖·‖² = 10, α² = 2.25.
    expect(new TeacherStudentOracle(teacher, 1.5).evaluate(w, v, g, hv)).toBe(0.5 * 2.25 * 10);
    expect(Array.from(g)).toEqual([-2.25, 0, 4.5, 0, 2.25, -4.5]);
    expect(Array.from(hv)).toEqual([2.25, -2.25, 4.5, 0, 1.125, 6.75]);
    // 2 outputs × 3 inputs, x = (1, 2, −1): rows (−1, 0, 2)·x = −3 and (0, 1, −2)·x = 4.
    expect(teacherStudentSampleLoss(w, teacher, Float64Array.from([1, 2, -1]), 2, 3)).toBe(0.5 * (9 + 16));
  });

  it('unit graph with sse outputs of different activations: each output compared with its own target through its own σ', () => {
    // Units: 0 input, 1 bias, 2 tanh output, 3 linear output, 4 logistic output (outputs in order 3, 2, 4).
    const net: GraphNet = graphNet({
      units: 5, activations: ['linear', 'linear', 'tanh', 'linear', 'logistic'], inputs: [0], bias: 1, outputs: [3, 2, 4],
      connections: [{ from: 0, to: 2 }, { from: 1, to: 2 }, { from: 0, to: 3 }, { from: 2, to: 3 }, { from: 0, to: 4 }],
      loss: 'sse',
    });
    const data: Dataset = { count: 2, nIn: 1, nOut: 3, inputs: Float64Array.from([0.5, -1.5]), targets: Float64Array.from([0.3, -0.2, 0.9, -1, 0.4, 0.1]) };
    const w = Float64Array.from([0.8, -0.3, 1.2, 0.7, -2]);
    let expected = 0;
    for (let p = 0; p < 2; p++) {
      const input = data.inputs[p];
      const y2 = Math.tanh(0.8 * input - 0.3);
      const y3 = 1.2 * input + 0.7 * y2;
      const y4 = 1 / (1 + Math.exp(2 * input));
      const t = data.targets.subarray(3 * p, 3 * p + 3);
      expected += 0.5 * ((y3 - t[0]) ** 2 + (y2 - t[1]) ** 2 + (y4 - t[2]) ** 2);
    }
    const E = new GraphOracle(net, data).loss(w);
    expect(Math.abs(E - expected), `E ${E} vs ${expected}`).toBeLessThanOrEqual(1e-14 * expected);
  });
});

describe('oracleFor', () => {
  it('gives each kind of net its oracle: layered (kernels as asked, auto by default), graph, recurrent (relaxation or implicit), Boltzmann', () => {
    const layered = randomProblem([2, 3, 1], ['tanh'], 'linear', 'sse', 3, 1);
    const auto = oracleFor(layered.net, layered.data);
    expect(auto).toBeInstanceOf(LayeredOracle);
    expect((oracleFor(layered.net, layered.data, undefined, undefined, { kernels: 'js' }) as LayeredOracle).kernels).toBe('js');
    expect((oracleFor(layered.net, layered.data, undefined, undefined, { kernels: 'wasm' }) as LayeredOracle).kernels).toBe('wasm');
    // 'auto' picks wasm where it loads, as it does here (the wasm kernels case above built).
    expect((auto as LayeredOracle).kernels).toBe('wasm');
    const graph = randomGraphProblem(2, 2, 1, ['tanh'], 'sse', 3, 2);
    expect(oracleFor(graph.net, graph.data)).toBeInstanceOf(GraphOracle);
    const rec = randomRecurrent(1, 2, 'tanh');
    const relax = oracleFor(rec.net, rec.data, { step: 0.4, tolerance: 1e-10, maxSteps: 500 });
    expect(relax).toBeInstanceOf(RecurrentOracle);
    expect([(relax as RecurrentOracle).method, (relax as RecurrentOracle).relaxation.step]).toEqual(['relax', 0.4]);
    expect((oracleFor(rec.net, rec.data, undefined, 'implicit') as RecurrentOracle).method).toBe('implicit');
    expect(oracleFor(boltzmann().oracle.machine, rec.data)).toBeInstanceOf(BoltzmannOracle);
  });
});
