import { scenarioSchema, type Scenario } from '../../src/scenario/schema.js';
import { buildDirection, buildProblem } from '../../src/scenario/problems.js';
import { SCENARIO_DIR } from '../../src/scenario/load.js';
import { Chip } from '../../src/sim/chip.js';
import { runTrials } from '../../src/sim/loop.js';
import { simulationWarnings } from '../../src/sim/simulate.js';
import { EstimateMode } from '../../src/sim/modes/estimate.js';
import type { ExactReference, Row } from '../../src/sim/probe.js';
import type { SynapsePopulation } from '../../src/synapse/estimator.js';

export interface SimRun {
  population: SynapsePopulation;
  /** The exact values at the run's (w, v). */
  exact: ExactReference;
  header: readonly string[];
  rows: Row[];
  v: Float64Array;
  warnings: string[];
  g: Float64Array;
  z: Float64Array;
  gSe: Float64Array | null;
  zSe: Float64Array | null;
  hDiag: Float64Array | null;
}

/** A scenario object with test defaults: a 12-weight quadratic, moment estimator, seed 1. */
export function scenario(overrides: Record<string, unknown>): Scenario {
  return scenarioSchema.parse({
    name: 'test',
    problem: { kind: 'quadratic', size: 12, spectrum: { min: 0.5, max: 2 } },
    init: { gain: 1 },
    perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: false },
    estimator: { name: 'moment' },
    trials: 10_000,
    probeEvery: 1000,
    seed: 1,
    ...overrides,
  });
}

/**
 * Runs a scenario in-process and returns the final estimates and all probe rows. The problem,
 * w0 and v come from the scenario's seed; `streamSeed` (default: the same) seeds the
 * perturbation and data streams, so replicates of one problem differ only in their draws.
 */
export async function runScenario(s: Scenario, streamSeed = s.seed, baseDir = SCENARIO_DIR): Promise<SimRun> {
  const problem = buildProblem(s, baseDir);
  const v = buildDirection(s, problem);
  const spec = {
    problem,
    v,
    perturbation: { law: s.perturbation.distribution, sigma: s.perturbation.sigma, antithetic: s.perturbation.antithetic },
    estimator: s.estimator,
    seed: streamSeed,
    trials: s.trials,
    probeEvery: s.probeEvery,
  };
  const chip = new Chip(spec);
  const mode = new EstimateMode(chip, s.probeEvery, { seedIntercept: s.estimator.name === 'seed' ? s.estimator.intercept : null, spsa: null });
  const rows: Row[] = [];
  const outcome = await runTrials(chip, mode, s.trials, { chunkMs: 1e9, onRow: (r) => rows.push(r) });
  if (outcome.status !== 'complete') throw new Error(`test run ended ${outcome.status}: ${outcome.reason}`);
  const n = problem.size;
  const pop = chip.population;
  const read = (r: ((out: Float64Array) => Float64Array) | undefined): Float64Array | null => (r === undefined ? null : r(new Float64Array(n)));
  return {
    population: pop,
    exact: mode.reference,
    header: mode.header,
    rows,
    v,
    warnings: simulationWarnings(spec, 0),
    g: pop.gradient(new Float64Array(n)),
    z: read(pop.hv) ?? new Float64Array(n),
    gSe: read(pop.gradientStdErr),
    zSe: read(pop.hvStdErr),
    hDiag: read(pop.hessianDiagonal),
  };
}

/** χ² = Σ ((x̂_i − x_i)/se_i)²: ≈ n (sd √(2n)) when x̂ is unbiased with honest standard errors. */
export function chiSquare(est: ArrayLike<number>, exact: ArrayLike<number>, se: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < exact.length; i++) c += ((est[i] - exact[i]) / se[i]) ** 2;
  return c;
}

/** Mean and standard error of the mean per component over replicate estimates. */
export function replicateStats(reps: Float64Array[]): { mean: Float64Array; se: Float64Array } {
  const R = reps.length;
  const n = reps[0].length;
  const mean = new Float64Array(n);
  const se = new Float64Array(n);
  for (const r of reps) for (let i = 0; i < n; i++) mean[i] += r[i] / R;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const r of reps) s += (r[i] - mean[i]) ** 2;
    se[i] = Math.sqrt(s / (R - 1) / R);
  }
  return { mean, se };
}

/** Least-squares slope of log(y) against log(x). */
export function logLogSlope(x: number[], y: number[]): number {
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const mx = lx.reduce((a, b) => a + b) / lx.length;
  const my = ly.reduce((a, b) => a + b) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < lx.length; k++) {
    sxy += (lx[k] - mx) * (ly[k] - my);
    sxx += (lx[k] - mx) ** 2;
  }
  return sxy / sxx;
}
