import { describe, expect, it } from 'vitest';
import { runScenario, scenario } from '../helpers/sim.js';

/**
 * probes.csv's g_chi2_dof and z_chi2_dof: χ²/dof of the estimates against the exact values in
 * units of their own standard errors. With m = 200 synapses an honest estimator gives χ²/dof with
 * mean 1 and sd √(2/m) = 0.1 (asymptotically in T); the bounds at ±4 sd reject standard errors
 * that are 1.5× too large (χ²/dof ≈ 0.44) or 0.7× too small (≈ 2.0).
 */
describe('the χ²/dof columns', () => {
  it('are near 1 for the moment estimator on a 200-weight quadratic (two-sided, ±4 sd)', async () => {
    const m = 200;
    const run = await runScenario(scenario({
      problem: { kind: 'quadratic', size: m, spectrum: { min: 0.5, max: 2 } },
      perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: true },
      trials: 20_000, probeEvery: 20_000, seed: 7,
    }));
    const last = run.rows[run.rows.length - 1];
    const at = (name: string): number => last[run.header.indexOf(name)] as number;
    const sd = Math.sqrt(2 / m);
    for (const column of ['g_chi2_dof', 'z_chi2_dof']) {
      expect(at(column), column).toBeGreaterThan(1 - 4 * sd);
      expect(at(column), column).toBeLessThan(1 + 4 * sd);
    }
    // The column is the χ² of synapses.csv's values over the synapse count.
    let chi2 = 0;
    for (let i = 0; i < m; i++) chi2 += ((run.z[i] - run.exact.z[i]) / (run.zSe as Float64Array)[i]) ** 2;
    expect(at('z_chi2_dof')).toBeCloseTo(chi2 / m, 12);
  });
});
