import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../src/app/run-scenario.js';
import { RunDirectorySink } from '../../src/output/run-dir-sink.js';
import { buildSimulationSpec } from '../../src/scenario/problems.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { Chip } from '../../src/sim/chip.js';
import { simulate } from '../../src/sim/simulate.js';
import { hadamardOrder } from '../../src/synapse/codes.js';
import { FdmaCode } from '../../src/synapse/fdma.js';
import { Rng } from '../../src/random/rng.js';
import { relErr } from '../../src/linalg/blas1.js';
import { centralGradient } from '../helpers/richardson.js';
import { ROOT, tempDir } from '../helpers/cli.js';

/**
 * Perturbation codes inside the simulator (estimate mode, the wp correlator ĝ_i =
 * Σ_t Δw_i a_t / Σ_t Δw_i²), against what theory says each code gives
 * (docs/theory.md, "Perturbation codes").
 */
const quadratic = {
  name: 'codes',
  problem: { kind: 'quadratic', size: 11, spectrum: { min: 0.5, max: 3 } },
  estimator: { name: 'wp' },
  seed: 4,
};

async function finalGradient(raw: Record<string, unknown>): Promise<{ g: Float64Array; exact: Float64Array; w: Float64Array; chip: Chip; header: readonly string[]; last: (number | null)[] }> {
  const spec = buildSimulationSpec(scenarioSchema.parse(raw), ROOT);
  const chip = new Chip(spec);
  const result = await simulate(spec, { chunkMs: 1e9 }, chip);
  expect(result.status, result.reason ?? '').toBe('complete');
  const n = chip.size;
  const exact = new Float64Array(n);
  spec.problem.oracle.gradient(chip.w, exact);
  return { g: chip.population.gradient(new Float64Array(n)), exact, w: chip.w, chip, header: result.header, last: result.lastRow ?? [] };
}

describe('perturbation codes in the loop', () => {
  it('walsh with antithetic pairs recovers the exact gradient of a quadratic after one code period (≤ 1e-10)', async () => {
    const period = hadamardOrder(11);
    const { g, exact } = await finalGradient({
      ...quadratic, perturbation: { sigma: 1e-4, antithetic: true, code: { name: 'walsh' } }, trials: period, probeEvery: period,
    });
    expect(relErr(g, exact)).toBeLessThan(1e-10);
  });

  it('tdma after n antithetic steps equals the central-difference gradient of E', async () => {
    const sigma = 1e-3;
    const raw = { ...quadratic, problem: { kind: 'xor' }, perturbation: { sigma, antithetic: true, code: { name: 'tdma' } }, trials: 9, probeEvery: 9 };
    const { g, w, chip } = await finalGradient(raw);
    const E = (x: Float64Array): number => chip.spec.problem.loss(x);
    const central = centralGradient(E, w, sigma);
    // The same two evaluations per weight, in another order of operations: equal to round-off.
    expect(relErr(g, central)).toBeLessThan(1e-12);
  });

  it('cdma with ρ = 1 reproduces the Rademacher runs byte for byte', async () => {
    const run = async (perturbation: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Buffer[]> => {
      const scenario = scenarioSchema.parse({ ...quadratic, perturbation, trials: 3000, probeEvery: 500, ...extra });
      const sink = new RunDirectorySink({ outDir: tempDir() });
      await runScenario(scenario, { baseDir: ROOT, sinks: [sink] });
      return ['probes.csv', 'synapses.csv'].map((f) => readFileSync(join(sink.path as string, f)));
    };
    // A code is one sequence over the run; the law's run is one block, which draws from the run's own stream.
    const law = await run({ distribution: 'rademacher', sigma: 0.01, antithetic: true }, { blockSize: 3000 });
    const code = await run({ sigma: 0.01, antithetic: true, code: { name: 'cdma', rho: 1 } });
    expect(code[0].equals(law[0])).toBe(true);
    expect(code[1].equals(law[1])).toBe(true);
  });

  it('fdma with the analog high-pass filter: on a frozen iris net the angle to ∇E falls below 10° within one beat period, at the floor the filter predicts', async () => {
    // 83 synapses on 170–330 Hz (no second-order intermodulation: fMax < 2 fMin, 3 fMax < 1/dt);
    // spacing 160/82 Hz, so one beat period of the closest pair is 82/160 s ≈ 513 steps of 1 ms.
    const dt = 1e-3;
    const tauHp = 1.6;
    const raw = {
      name: 'fdma', problem: { kind: 'iris' }, estimator: { name: 'wp' }, seed: 1,
      perturbation: { sigma: 1e-3, code: { name: 'fdma', fMin: 170, fMax: 330 } },
      chip: { dt, cost: 'analog', tauHp },
      trials: 513, probeEvery: 513,
    };
    const { g, exact, header, last } = await finalGradient(raw);
    const angle = (x: Float64Array, y: Float64Array): number =>
      (Math.acos(x.reduce((s, xi, i) => s + xi * y[i], 0) / Math.hypot(...x) / Math.hypot(...y)) * 180) / Math.PI;
    expect(angle(g, exact)).toBeLessThan(10);
    // The filter C̃[n] = k(C̃[n−1] + C[n] − C[n−1]) has H(ω) = k(1 − e^{−iω})/(1 − k e^{−iω}); correlating
    // its output with synapse i's own sinusoid keeps the in-phase part, so ĝ_i → g_i Re H(2π f_i dt).
    // The frequencies are the first draws of the perturbation stream.
    const code = new FdmaCode(83, 1e-3, 170, 330, dt, Rng.derive(1, 'perturbation'));
    const k = tauHp / (tauHp + 1);
    const predicted = exact.map((gi, i) => {
      const w = 2 * Math.PI * code.frequencies[i] * dt;
      // H = k (1 − e^{−iω}) / (1 − k e^{−iω}); Re H via complex division.
      const [nr, ni] = [k * (1 - Math.cos(w)), k * Math.sin(w)];
      const [dr, di] = [1 - k * Math.cos(w), k * Math.sin(w)];
      return gi * ((nr * dr + ni * di) / (dr * dr + di * di));
    });
    expect(Math.abs(angle(g, exact) - angle(predicted, exact))).toBeLessThan(0.3);
    expect(angle(predicted, exact)).toBeGreaterThan(1);
    expect(header[header.length - 1]).toBe('chip_time');
    expect(last[last.length - 1]).toBeCloseTo(0.513, 12);
  });
});
