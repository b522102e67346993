import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Quantizer } from '../../src/sim/hardware.js';
import { Rng } from '../../src/random/rng.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { buildSimulationSpec } from '../../src/scenario/problems.js';
import { SCENARIO_DIR } from '../../src/scenario/load.js';
import { Chip } from '../../src/sim/chip.js';
import type { Row } from '../../src/sim/probe.js';
import { simulate, type SimulationResult } from '../../src/sim/simulate.js';
import { ROOT, tempDir, wpsim, writeFile } from '../helpers/cli.js';

async function run(raw: Record<string, unknown>): Promise<{ sim: Chip; rows: Row[]; result: SimulationResult }> {
  const s = scenarioSchema.parse(raw);
  const spec = buildSimulationSpec(s, SCENARIO_DIR);
  const sim = new Chip(spec);
  const rows: Row[] = [];
  const result = await simulate(spec, { chunkMs: 1e9, onRow: (r) => rows.push(r) }, sim);
  rowHeaders.set(rows, result.header);
  return { sim, rows, result };
}

const rowHeaders = new WeakMap<Row[], readonly string[]>();

function ready(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.json`), 'utf8'));
}

function col(rows: Row[], name: string): number[] {
  const k = (rowHeaders.get(rows) ?? []).indexOf(name);
  return rows.map((r) => r[k] as number);
}

const quadratic = {
  name: 'hw',
  problem: { kind: 'quadratic', size: 10, spectrum: { min: 0.3, max: 2 } },
  init: { gain: 0.02 },
  perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: true },
  estimator: { name: 'moment' },
  trials: 40_000,
  probeEvery: 40_000,
  seed: 3,
};

describe('hardware model', () => {
  it('with zero noise and unlimited precision it changes nothing: bit-identical CSVs', () => {
    const dir = tempDir();
    const plain = writeFile(dir, 'plain.json', { ...quadratic, name: 'plain', trials: 5000, probeEvery: 500 });
    const ideal = writeFile(dir, 'ideal.json', {
      ...quadratic, name: 'ideal', trials: 5000, probeEvery: 500,
      hardware: { noise: 0, adc: null, weights: null, mismatch: { gain: 0, offset: 0 }, faults: { dead: 0, stuck: 0 } },
    });
    const a = wpsim(['run', plain, '--out', join(dir, 'out'), '--quiet']).stdout.trim();
    const b = wpsim(['run', ideal, '--out', join(dir, 'out'), '--quiet']).stdout.trim();
    for (const f of ['probes.csv', 'synapses.csv']) expect(readFileSync(join(b, f))).toEqual(readFileSync(join(a, f)));
  });

  it('a b-bit quantiser has errors uniform on ±step/2 (RMS step/√12) with step = 2·range/2^b, and counts clips', () => {
    const rng = new Rng(4);
    for (const bits of [4, 8, 12, 16]) {
      const q = new Quantizer(bits, 1);
      expect(q.step).toBe(2 / 2 ** bits);
      let sq = 0;
      let worst = 0;
      const n = 100_000;
      for (let k = 0; k < n; k++) {
        const x = 0.3 * rng.gaussian();
        const value = q.apply(x);
        if (q.clipped) continue; // beyond full scale: counted, not a rounding error
        const e = value - x;
        sq += e * e;
        worst = Math.max(worst, Math.abs(e));
      }
      expect(worst).toBeLessThanOrEqual(q.step / 2 + 1e-15);
      // RMS of a uniform error: step/√12; its sampling sd over n draws is ~ step/√12 · 0.45/√n.
      expect(Math.abs(Math.sqrt(sq / n) / (q.step / Math.sqrt(12)) - 1)).toBeLessThan(0.02);
    }
    const q = new Quantizer(8, 1);
    expect(q.apply(1.5)).toBe(1);
    expect(q.clipped).toBe(true);
    expect(q.apply(-3)).toBe(-1);
    expect(q.clipped).toBe(true);
    q.apply(0.3);
    expect(q.clipped).toBe(false);
  });

  it('ADC quantisation adds exactly the z error its 2^-b step predicts', async () => {
    // Quantising ΔE⁺ and ΔE⁻ adds independent errors uniform on ±step/2 (variance step²/12); the
    // even part ½(ΔE⁺ + ΔE⁻) carries their mean, variance step²/24, independent of the features.
    // The moment estimate ẑ_i = Cov(a, y_i)/σ⁴ then moves by Σ_t q_t (y_it − E y_i)/(σ⁴T), whose
    // variance is step²/24 · Var(y_i)/(σ⁸T) with Var(Δw_i p) = σ⁴(|v|² + v_i²). So
    // E‖ẑ_q − ẑ‖² = step²(n + 1)/(24σ⁴T) for |v| = 1. The same seed gives the same perturbations with
    // and without the ADC, so the difference isolates the quantisation.
    const n = 40;
    const T = 40_000;
    const sigma = 0.05;
    const base = { ...quadratic, problem: { kind: 'quadratic', size: n, spectrum: { min: 0.3, max: 2 } }, trials: T, probeEvery: T, perturbation: { distribution: 'gaussian', sigma, antithetic: true } };
    const ideal = (await run(base)).sim.population.hv!(new Float64Array(n));
    const ratios: number[] = [];
    for (const bits of [8, 10, 12]) {
      const range = 0.2;
      const { sim, result } = await run({ ...base, hardware: { adc: { bits, range }, sumAdc: null } });
      expect(result.hardware.deltaEClips).toBe(0);
      const zq = sim.population.hv!(new Float64Array(n));
      let d2 = 0;
      for (let i = 0; i < n; i++) d2 += (zq[i] - ideal[i]) ** 2;
      const step = (2 * range) / 2 ** bits;
      ratios.push(d2 / ((step * step * (n + 1)) / (24 * sigma ** 4 * T)));
    }
    // Each ratio is a scaled χ²_n / n (relative sd √(2/n) ≈ 0.22); their mean has sd ≈ 0.13.
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    expect(mean).toBeGreaterThan(0.6);
    expect(mean).toBeLessThan(1.4);
  });

  it('dead synapses keep their estimates at zero and are reported; the live ones still converge', async () => {
    const { sim, rows, result } = await run({ ...quadratic, trials: 100_000, probeEvery: 100_000, hardware: { faults: { dead: 0.3, stuck: 0 } } });
    expect(result.hardware.dead).toBe(3);
    const z = sim.population.hv!(new Float64Array(10));
    const g = sim.population.gradient(new Float64Array(10));
    for (let i = 0; i < 10; i++) {
      if (sim.hardware.dead[i]) {
        expect(z[i]).toBe(0);
        expect(g[i]).toBe(0);
      }
    }
    // A dead synapse never perturbs, so the live ones see p = Σ_live Δw_j v_j: they converge to
    // (H v_live) on the live synapses, v_live = v with the dead entries zeroed.
    const vLive = sim.direction.map((x, i) => (sim.hardware.dead[i] ? 0 : x));
    const target = new Float64Array(10);
    sim.spec.problem.oracle.hv(sim.w, vLive, target);
    const live = (x: Float64Array): number[] => Array.from(x).filter((_, i) => !sim.hardware.dead[i]);
    const num = Math.hypot(...live(z).map((x, k) => x - live(target)[k]));
    expect(num / Math.hypot(...live(target))).toBeLessThan(0.1);
    // The probe's live-synapse column is the error against the exact Hv (full v) on the live
    // synapses: what a user of the chip gets, the dead synapses' missing p included.
    const hvFull = new Float64Array(10);
    sim.spec.problem.oracle.hv(sim.w, sim.direction, hvFull);
    const errFull = Math.hypot(...live(z).map((x, k) => x - live(hvFull)[k])) / Math.hypot(...live(hvFull));
    expect(col(rows, 'z_rel_err_live')[0]).toBeCloseTo(errFull, 10);
    expect(errFull).toBeGreaterThan(num / Math.hypot(...live(target)));
    expect(result.warnings.join(' ')).toMatch(/3 dead synapse/);
  });

  it('clips are counted in summary.json', () => {
    const dir = tempDir();
    const path = writeFile(dir, 'clip.json', { ...quadratic, trials: 2000, probeEvery: 2000, hardware: { adc: { bits: 8, range: 1e-3 } } });
    const runDir = wpsim(['run', path, '--out', join(dir, 'out'), '--quiet']).stdout.trim();
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    expect(summary.hardware.deltaEClips).toBeGreaterThan(0);
    expect(summary.hardware.sumClips).toBeGreaterThan(0);
    expect(summary.hardware.measurements).toBe(summary.evaluations);
  });
});

describe('modes', () => {
  it('eigen: the synapses find λ_max within 2% and its eigenvector within 10° on a quadratic with a known spectrum', async () => {
    const { rows, result } = await run(ready('eigen-quadratic'));
    const last = rows[rows.length - 1];
    const at = (name: string): number => last[result.header.indexOf(name)] as number;
    expect(at('lambda_exact')).toBeCloseTo(4, 10);
    expect(Math.abs(at('lambda_avg') - 4) / 4).toBeLessThan(0.02);
    expect(at('angle_deg')).toBeLessThan(10);
    expect(result.results.lambdaEstimate).toBe(at('lambda_avg'));
  });

  it('train: WP lowers the mean generalization error over seeds, and exact GD with the same η does better per trial', async () => {
    const base = ready('train-teacher-student');
    // Closed forms (docs/theory.md, "Learning curves of WP, node perturbation and SGD"), N = 20,
    // M = 1, η = 0.002: per trial the mean error falls by γ_sgd ≈ 0.99609 and γ_wp ≈ 0.99794, so by
    // trial 500 exact GD is ahead by a factor ≈ 2.5 on average. A single seed can invert at the
    // first rows (about 2% of seeds do), so the comparison is of the means over 8 seeds.
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const meanWp: number[] = [];
    const meanGd: number[] = [];
    for (const seed of seeds) {
      const { rows } = await run({ ...base, seed, trials: 4000, probeEvery: 500 });
      col(rows, 'gen_error').forEach((x, k) => (meanWp[k] = (meanWp[k] ?? 0) + x / seeds.length));
      col(rows, 'gd_gen_error').forEach((x, k) => (meanGd[k] = (meanGd[k] ?? 0) + x / seeds.length));
    }
    // Rows start at trial 0 (both at w0); at every later logged trial exact GD is ahead on
    // average, and WP has fallen tenfold by the end.
    expect(meanGd[0]).toBe(meanWp[0]);
    meanWp.slice(1).forEach((x, k) => expect(meanGd[k + 1], `trial ${500 * (k + 1)}`).toBeLessThan(x));
    expect(meanWp[meanWp.length - 1]).toBeLessThan(0.1 * meanWp[0]);
  });

  it('train with η = "auto" uses 1/λ̂ from the on-chip eigen phase and lowers E', async () => {
    const { rows, result } = await run({ ...ready('train-auto-eta'), trials: 20_000 });
    const eta = result.results.learningRate as number;
    expect(Math.abs(1 / eta - 4) / 4).toBeLessThan(0.05);
    const e = col(rows, 'train_error');
    expect(e[e.length - 1]).toBeLessThan(0.2 * e[0]);
  });

  it('2SPSA baseline columns are reported at equal numbers of evaluations', async () => {
    const { rows } = await run({ ...ready('spsa-baseline'), trials: 40_000, probeEvery: 10_000 });
    const evals = col(rows, 'evaluations');
    const spsaEvals = col(rows, 'spsa_evaluations');
    spsaEvals.forEach((x, k) => {
      expect(x).toBeLessThanOrEqual(evals[k]);
      expect(x).toBeGreaterThan(evals[k] - 4);
    });
    const err = col(rows, 'spsa_z_rel_err');
    expect(err[err.length - 1]).toBeLessThan(err[0]);
    expect(err[err.length - 1]).toBeLessThan(0.2);
  });
});

void ROOT;

describe('σ study', () => {
  it('shows the U curve: noise dominates at small σ, third-derivative bias at large σ', () => {
    const dir = tempDir();
    const csv = join(dir, 'sigma.csv');
    const r = wpsim(['sigma-study', 'sigma-u-curve', '--sigmas', '1e-4,3e-3,3e-1', '--csv', csv]);
    expect(r.status).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((l) => l.split(','));
    const z = rows.map((row) => Number(row[header.indexOf('z_rel_err')]));
    const se = rows.map((row) => Number(row[header.indexOf('z_se_rel')]));
    expect(z[0]).toBeGreaterThan(5 * z[1]);
    expect(z[2]).toBeGreaterThan(1.5 * z[1]);
    // In the middle the error is statistical (about its standard error); at σ = 0.3 it is not.
    expect(z[1]).toBeLessThan(3 * se[1]);
    expect(z[2]).toBeGreaterThan(2 * se[2]);
  });
});
