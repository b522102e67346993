import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { buildSimulationSpec } from '../../src/scenario/problems.js';
import { SCENARIO_DIR } from '../../src/scenario/load.js';
import { simulate, type SimulationSpec } from '../../src/sim/simulate.js';
import { Chip } from '../../src/sim/chip.js';
import { runTrials } from '../../src/sim/loop.js';
import { TrainMode, type TrainSpec } from '../../src/sim/modes/train.js';
import type { Row } from '../../src/sim/probe.js';
import { layeredClassifier } from '../../src/scenario/classification.js';
import { randomProblem } from '../helpers/random-nets.js';

/** A small MNIST 7×7 training run: 49-8-10, online antithetic WP alongside exact SGD. */
function mnistSpec(overrides: Record<string, unknown> = {}): SimulationSpec {
  const s = scenarioSchema.parse({
    name: 'fused',
    problem: { kind: 'mnist', resolution: 7, batch: 1, trainCount: 200, testCount: 50 },
    network: { hidden: [8], activation: 'tanh', output: 'linear', loss: 'softmax-cross-entropy' },
    perturbation: { sigma: 0.01, antithetic: true, code: { name: 'cdma', rho: 1 } },
    estimator: { name: 'wp' },
    mode: 'train',
    train: { learningRate: 0.0005, sgdLearningRate: 0.01 },
    trials: 600,
    probeEvery: 150,
    seed: 3,
    ...overrides,
  });
  return buildSimulationSpec(s, SCENARIO_DIR);
}

/** The same problem without its fused reads and one-pass SGD step: the environment's plain path (w ± Δw arrays, problem.loss). */
function plain(spec: SimulationSpec): SimulationSpec {
  return { ...spec, problem: { ...spec.problem, trialReads: undefined, sampleDescent: undefined } };
}

async function rowsOf(spec: SimulationSpec): Promise<{ rows: Row[]; evaluations: number; measurements: number }> {
  const rows: Row[] = [];
  const r = await simulate(spec, { chunkMs: 1e9, onRow: (row) => rows.push(row) });
  expect(r.status).toBe('complete');
  return { rows, evaluations: r.evaluations, measurements: r.hardware.measurements };
}

/** Every entry of a and b equal to `tol` relative (both null where one is). */
function closeRows(a: Row[], b: Row[], tol: number): void {
  expect(a.length).toBe(b.length);
  for (let r = 0; r < a.length; r++) {
    for (let c = 0; c < a[r].length; c++) {
      const x = a[r][c];
      const y = b[r][c];
      if (x === null || y === null) expect(x).toBe(y);
      else expect(Math.abs(x - y), `row ${r} column ${c}: ${x} against ${y}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(y)));
    }
  }
}

describe('the fused trial reads (MNIST on the forward-only pass)', () => {
  it('are used on an ideal chip: w and Δw live in the reads', () => {
    const spec = mnistSpec();
    const chip = new Chip(spec);
    expect(chip.reads).not.toBeNull();
    expect(chip.w).toBe(chip.reads?.w);
    expect(chip.environment.dw).toBe(chip.reads?.dw);
    expect(Array.from(chip.w)).toEqual(Array.from(spec.problem.w0));
  });

  it('agree with the plain path (w ± Δw arrays, problem.loss, exact SGD by sampleGradient) to round-off: every row, evaluations and measurements', async () => {
    for (const overrides of [
      {},
      // The JavaScript kernels: reads, store and exact SGD's step in scalar loops.
      { kernels: 'js' },
      // ±σ drawn on the weight store's sweep, as cdma at ρ = 1 above.
      { perturbation: { sigma: 0.01, antithetic: true, distribution: 'rademacher' } },
      // One-sided Gaussian trials, a noisy chip with an ADC on ΔE: the measurements come in the same order.
      { perturbation: { sigma: 0.01, antithetic: false }, hardware: { noise: 1e-4, adc: { bits: 16, range: 1 } } },
    ]) {
      const fused = await rowsOf(mnistSpec(overrides));
      const reference = await rowsOf(plain(mnistSpec(overrides)));
      // The two paths sum the first layer's products in different orders (W x + ΔW x against
      // (W + ΔW) x): ~1e-16 relative per read, grown by 600 steps of a learning net.
      closeRows(fused.rows, reference.rows, 1e-8);
      expect(fused.evaluations).toBe(reference.evaluations);
      expect(fused.measurements).toBe(reference.measurements);
    }
  });

  it('are left out where the chip does not apply Δw as it is (generator mismatch), with the same numbers otherwise', async () => {
    const spec = mnistSpec({ hardware: { mismatch: { gain: 0.1, offset: 0 } } });
    const chip = new Chip(spec);
    expect(chip.reads).not.toBeNull();
    const a = await rowsOf(spec);
    const b = await rowsOf(plain(mnistSpec({ hardware: { mismatch: { gain: 0.1, offset: 0 } } })));
    // Only exact SGD's step differs in its summation order here.
    closeRows(a.rows, b.rows, 1e-8);
  });

  it('give the same bytes for the same seed', async () => {
    const a = await rowsOf(mnistSpec());
    const b = await rowsOf(mnistSpec());
    expect(JSON.stringify(a.rows)).toBe(JSON.stringify(b.rows));
  });
});

describe("the train mode's direct WP step", () => {
  it('gives the bits of the step through the integrated change D and the optimizer', async () => {
    const run = async (direct: boolean): Promise<Row[]> => {
      const spec = mnistSpec();
      const chip = new Chip(spec);
      const mode = new TrainMode(chip, 0.0005, spec.mode as TrainSpec, spec.probeEvery, {});
      if (!direct) Object.defineProperty(mode, 'directStep', { value: false });
      const rows: Row[] = [];
      const out = await runTrials(chip, mode, spec.trials, { chunkMs: 1e9, onRow: (r) => rows.push(r) });
      expect(out.status).toBe('complete');
      return rows;
    };
    const direct = await run(true);
    const throughD = await run(false);
    expect(JSON.stringify(direct)).toBe(JSON.stringify(throughD));
    // The rows move: the runs learned something to compare.
    expect(direct.at(-1)?.[2]).not.toBe(direct[1][2]);
  });
});

describe('scoring on the forward-only pass (MNIST rows)', () => {
  it('gives the accuracy and mean loss of the per-pattern pass, on both kernels, ideal and varied nets alike', () => {
    for (const [layers, out, loss] of [[[12, 7, 4], 'linear', 'softmax-cross-entropy'], [[5, 6, 1], 'logistic', 'cross-entropy']] as const) {
      const train = randomProblem([...layers], ['tanh'], out, loss, 40, 5);
      const test = randomProblem([...layers], ['tanh'], out, loss, 60, 6);
      const reference = layeredClassifier(train.net, train.data, test.data);
      const variation = { amplitude: new Float64Array(20).fill(1.1), slope: new Float64Array(20).fill(0.9), xShift: new Float64Array(20).fill(0.05), yShift: new Float64Array(20) };
      const variedReference = layeredClassifier(train.net, train.data, test.data, variation);
      for (const kernels of ['wasm', 'js'] as const) {
        const fast = layeredClassifier(train.net, train.data, test.data, null, kernels);
        const w = train.w;
        expect(fast.trainAccuracy(w)).toBe(reference.trainAccuracy(w));
        expect(fast.test?.accuracy(w)).toBe(reference.test?.accuracy(w));
        const l = reference.test?.meanLoss(w) as number;
        expect(Math.abs((fast.test?.meanLoss(w) as number) - l)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(l)));
        // A varied chip scores through its own neurons; the ideal net on the forward pass.
        const varied = layeredClassifier(train.net, train.data, test.data, variation, kernels);
        expect(varied.test?.meanLoss(w)).toBe(variedReference.test?.meanLoss(w));
        expect(varied.test?.accuracy(w, true)).toBe(reference.test?.accuracy(w));
        // Accuracy moves with w (the scores are not stuck at one value).
        expect([0.3, 0.5, 0.7, 0.9].some((a) => fast.test?.accuracy(w.map((x) => x * a)) !== fast.test?.accuracy(w))).toBe(true);
      }
    }
  });

  it('scores a data set larger than one scoring batch (512 patterns) the same way: 1 100 patterns in three batches, the last partial', () => {
    const train = randomProblem([6, 5, 3], ['tanh'], 'linear', 'softmax-cross-entropy', 30, 7);
    const test = randomProblem([6, 5, 3], ['tanh'], 'linear', 'softmax-cross-entropy', 1100, 8);
    const reference = layeredClassifier(train.net, train.data, test.data);
    for (const kernels of ['wasm', 'js'] as const) {
      const fast = layeredClassifier(train.net, train.data, test.data, null, kernels);
      const w = train.w;
      expect(fast.test?.accuracy(w)).toBe(reference.test?.accuracy(w));
      const l = reference.test?.meanLoss(w) as number;
      // A mean of 1 100 per-pattern losses summed in another order: round-off of ~1e-13 relative.
      expect(Math.abs((fast.test?.meanLoss(w) as number) - l)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(l)));
    }
  });
});
