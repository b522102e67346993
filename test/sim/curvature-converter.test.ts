import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { buildSimulationSpec } from '../../src/scenario/problems.js';
import { SCENARIO_DIR } from '../../src/scenario/load.js';
import { Chip } from '../../src/sim/chip.js';
import { LambdaTracker } from '../../src/sim/modes/curvature.js';
import type { Row } from '../../src/sim/probe.js';
import { simulate } from '../../src/sim/simulate.js';

/**
 * The curvature sums (v·ẑ, ‖ẑ‖², the CG scalars) go through the summing wire's converter, and so
 * does p = Δw·v on every trial (docs/hardware.md, "Curvature in the loop"; docs/theory.md, "What
 * one on-chip product costs"). With step Δ = 2·range/2^bits and Δ below σ‖v‖, both rounding errors
 * are uniform on ±Δ/2 and independent of the signal, so a Rayleigh quotient read from the wire
 * differs from the ideal wire's, on the same draws, by a zero-mean error of variance
 *
 *   Δ²/12 (the rounding of v·ẑ)  +  (tr H² + 4‖Hv‖²) Δ²/(24 T σ²) (p's rounding, carried into ẑ:
 *   (1/Tσ⁴) Σ_t (a_t − ā_{t−1}) p_t e_t, with E[(a − Ea)² p²] = σ⁶(tr H² + 4‖Hv‖²)/2).
 */
const LAMBDAS = [4, 2, 1.5, 1.2, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3];
const SIGMA = 0.02;
const TR_H2 = LAMBDAS.reduce((a, b) => a + b * b, 0);

/** Wilson–Hilferty: the χ²_k quantile at standard normal quantile z. */
function chi2Quantile(k: number, z: number): number {
  const a = 2 / (9 * k);
  return k * (1 - a + z * Math.sqrt(a)) ** 3;
}

function scenario(seed: number, sumAdc: { bits: number; range: number } | null, train: unknown, mode: 'estimate' | 'train' = 'train'): unknown {
  return {
    name: 'converter', problem: { kind: 'quadratic', eigenvalues: LAMBDAS, basis: 'axes' }, init: { gain: 1 },
    perturbation: { distribution: 'gaussian', sigma: SIGMA, antithetic: true }, estimator: { name: 'moment' },
    mode, ...(mode === 'train' ? { train } : {}), hardware: sumAdc === null ? undefined : { sumAdc },
    trials: 1, probeEvery: 1, seed,
  };
}

describe('the curvature sums through an n-bit summing-wire converter', () => {
  it('a Rayleigh quotient read through b bits differs from the ideal wire by the predicted quantisation error (b = 13, 14, 16: steps ≤ σ/2)', () => {
    const T = 2000;
    const windows = 60;
    const range = 32;
    // v: the top eigenvector (axis 0), so ‖Hv‖² = λ_max² and v·ẑ → λ_max = 4 (‖ẑ‖² ≈ 16 < range).
    const v = new Float64Array(LAMBDAS.length);
    v[0] = 1;
    for (const bits of [13, 14, 16]) {
      const step = (2 * range) / 2 ** bits;
      const predicted = step ** 2 / 12 + ((TR_H2 + 4 * LAMBDAS[0] ** 2) * step ** 2) / (24 * T * SIGMA ** 2);
      let chi2 = 0;
      for (let r = 0; r < windows; r++) {
        const quotients = [null, { bits, range }].map((adc) => {
          const chip = new Chip(buildSimulationSpec(scenarioSchema.parse(scenario(100 + r, adc, null, 'estimate')), SCENARIO_DIR));
          chip.setDirection(v);
          for (let t = 0; t < T; t++) chip.updatePopulation(chip.environment.step());
          const z = (chip.population.hv as (out: Float64Array) => Float64Array)(new Float64Array(v.length));
          const tracker = new LambdaTracker(chip, 1);
          tracker.refresh();
          expect(chip.hardware.counters.sumClips).toBe(0);
          if (adc !== null) {
            // The quotient itself is read from the wire: a level of the converter, within Δ/2 of v·ẑ.
            expect(Math.abs(tracker.rayleigh / step - Math.round(tracker.rayleigh / step))).toBeLessThan(1e-9);
            expect(Math.abs(tracker.rayleigh - z[0])).toBeLessThanOrEqual(step / 2);
          }
          return tracker.rayleigh;
        });
        chi2 += (quotients[1] - quotients[0]) ** 2 / predicted;
      }
      // Σ d²/Var ~ χ²_windows: two-sided at the 1e-5 level.
      expect(chi2).toBeGreaterThan(chi2Quantile(windows, -4.42));
      expect(chi2).toBeLessThan(chi2Quantile(windows, 4.42));
    }
  }, 120_000);

  it("a CG step's curvature pᵀHp/pᵀp read through the wire differs from the ideal wire's by the predicted quantisation error", async () => {
    const K = 1000;
    const T = 2000;
    const seeds = 40;
    const range = 1024;
    const bits = 18;
    const step = (2 * range) / 2 ** bits;
    let chi2 = 0;
    for (let s = 1; s <= seeds; s++) {
      const train = { learningRate: 1, rule: 'estimator', every: K, curvature: { newton: { iterations: 1, productTrials: T } } };
      const runs = await Promise.all([null, { bits, range }].map(async (adc) => {
        const spec = buildSimulationSpec(scenarioSchema.parse({ ...(scenario(s, adc, train) as object), trials: K + T, probeEvery: K + T }), SCENARIO_DIR);
        const chip = new Chip(spec);
        const result = await simulate(spec, { chunkMs: 1e9 }, chip);
        const cg = (result.tables.find((t) => t.file === 'cg.csv') as { rows: (number | string)[][] }).rows;
        expect(cg.length).toBe(1);
        expect(chip.hardware.counters.sumClips).toBe(0);
        // The CG direction the synapses held (v = p/‖p‖ from the wire), and its exact ‖Hv‖².
        const v = chip.direction;
        const hv = new Float64Array(v.length);
        spec.problem.oracle.hv(chip.w, v, hv);
        const g = new Float64Array(v.length);
        spec.problem.oracle.gradient(spec.problem.w0, g);
        return { curvature: cg[0][3] as number, hv2: hv.reduce((a, b) => a + b * b, 0), g2: g.reduce((a, b) => a + b * b, 0) };
      }));
      const [ideal, wire] = runs;
      // p·ẑ carries p's rounding; pᵀHp and pᵀp (= ‖ĝ‖² ≈ ‖g‖²) are rounded once each.
      const predicted = ((TR_H2 + 4 * wire.hv2) * step ** 2) / (24 * T * SIGMA ** 2) + ((1 + ideal.curvature ** 2) * step ** 2) / (12 * ideal.g2 ** 2);
      chi2 += (wire.curvature - ideal.curvature) ** 2 / predicted;
    }
    expect(chi2).toBeGreaterThan(chi2Quantile(seeds, -4.42));
    expect(chi2).toBeLessThan(chi2Quantile(seeds, 4.42));
  }, 120_000);

  it('a coarse converter is visible: with a step far above σ the wire reads p as 0, ẑ vanishes and λ̂ with it', async () => {
    const run = async (sumAdc: { bits: number; range: number } | null): Promise<{ errors: number[]; status: string; lambda: unknown }> => {
      const rows: Row[] = [];
      const spec = buildSimulationSpec(scenarioSchema.parse({
        ...(scenario(1, sumAdc, { learningRate: 'auto', rule: 'estimator', every: 4000, curvature: { track: { every: 4000, safety: 0.5, average: 4 } } }) as object),
        eigen: { every: 4000, updates: 6 }, trials: 24_000, probeEvery: 4000,
      }), SCENARIO_DIR);
      const result = await simulate(spec, { chunkMs: 1e9, onRow: (r) => rows.push(r) }, new Chip(spec));
      const k = result.header.indexOf('lambda_rel_err');
      return { errors: rows.map((r) => r[k] as number).filter((x) => Number.isFinite(x)), status: result.status, lambda: result.results.lambdaEstimate };
    };
    const ideal = await run(null);
    expect(ideal.status).toBe('complete');
    expect(ideal.errors.at(-1)).toBeLessThan(0.15);
    // 6 bits over ±20: Δ = 0.625, thirty times σ = 0.02, so every |p| < Δ/2 reads 0: ẑ has no
    // signal, the pre-phase's λ̂ is noise around 0 and the chip cannot set η (or sets it far off).
    const coarse = await run({ bits: 6, range: 20 });
    expect(Math.abs(coarse.lambda as number)).toBeLessThan(0.2 * 4);
    if (coarse.status === 'complete') for (const e of coarse.errors) expect(e).toBeGreaterThan(0.5);
    else expect(coarse.status).toBe('diverged');
  }, 60_000);
});
