import { describe, expect, it } from 'vitest';
import { buildSimulationSpec } from '../../src/scenario/problems.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { Chip } from '../../src/sim/chip.js';
import { simulate } from '../../src/sim/simulate.js';
import { relErr } from '../../src/linalg/blas1.js';
import { unitVariation, variedLoss } from '../../src/scenario/classification.js';
import { layeredNet } from '../../src/nets/layered.js';
import { irisDataset } from '../../src/scenario/datasets.js';
import { centralGradient } from '../helpers/richardson.js';
import { ROOT } from '../helpers/cli.js';

/** Device variation (docs/hardware.md, "Device variation"): what the chip measures, and what its updates suffer. */
describe('device variation', () => {
  it('a chip with varied neurons estimates the gradient of ITS loss, not the ideal net\'s', async () => {
    const raw = {
      name: 'var', problem: { kind: 'iris' }, estimator: { name: 'wp' }, seed: 2,
      perturbation: { sigma: 1e-4, antithetic: true, code: { name: 'walsh' } },
      hardware: { variation: { activation: 0.2 } }, trials: 128, probeEvery: 128,
    };
    const spec = buildSimulationSpec(scenarioSchema.parse(raw), ROOT);
    const chip = new Chip(spec);
    await simulate(spec, { chunkMs: 1e9 }, chip);
    const n = chip.size;
    const g = chip.population.gradient(new Float64Array(n));
    // The varied chip's gradient by central differences of its own loss.
    const net = layeredNet([4, 10, 3], ['tanh', 'linear'], 'softmax-cross-entropy');
    const E = variedLoss(net, irisDataset(), unitVariation(net, 0.2, 2)!);
    const w = chip.w;
    const h = 1e-5;
    const gChip = centralGradient(E, w, h);
    const gIdeal = new Float64Array(n);
    spec.problem.oracle.gradient(w, gIdeal);
    // Walsh codes over one period with antithetic pairs are exact up to the O(σ²) third-order term.
    expect(relErr(g, gChip)).toBeLessThan(1e-4);
    expect(relErr(g, gIdeal)).toBeGreaterThan(0.05);
  });

  it('update noise: with η → 0 each weight random-walks with variance (updates) × update², as a χ² test over 400 synapses', async () => {
    const updates = 100;
    const s = 0.01;
    const raw = {
      name: 'noise', problem: { kind: 'quadratic', size: 400, spectrum: { min: 1, max: 1 } }, estimator: { name: 'wp' }, seed: 3,
      perturbation: { sigma: 1e-3 }, mode: 'train', train: { learningRate: 1e-300 },
      hardware: { variation: { update: s } }, trials: updates, probeEvery: updates,
    };
    const spec = buildSimulationSpec(scenarioSchema.parse(raw), ROOT);
    const chip = new Chip(spec);
    await simulate(spec, { chunkMs: 1e9 }, chip);
    // Σ (Δw_i)² / (updates s²) ~ χ²(400): mean 400, sd √800 ≈ 28; bounds at ±5 sd.
    let chi2 = 0;
    for (let i = 0; i < chip.size; i++) chi2 += (chip.w[i] - spec.problem.w0[i]) ** 2 / (updates * s * s);
    expect(chi2).toBeGreaterThan(400 - 5 * Math.sqrt(800));
    expect(chi2).toBeLessThan(400 + 5 * Math.sqrt(800));
  });
});
