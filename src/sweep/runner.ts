import { InputError } from '../errors.js';
import { loadScenario } from '../scenario/load.js';
import { buildSimulationSpec, scenarioBaseDir } from '../scenario/problems.js';
import { Simulation } from '../sim/simulation.js';
import { recordRun } from '../output/record.js';
import type { SweepRun } from './grid.js';

/** One sweep run's outcome: deterministic fields only (no wall time), so sweeps merge byte-identically. */
export interface SweepRow {
  index: number;
  assignments: { path: string; value: unknown }[];
  seed: number;
  /** complete | interrupted | diverged (from the run), invalid (the scenario was rejected), failed (an internal error). */
  status: string;
  error: string;
  trialsRun: number;
  evaluations: number;
  metrics: Record<string, number>;
}

/** The run directory name of a sweep run. */
export function runId(index: number): string {
  return `r${String(index).padStart(5, '0')}`;
}

/**
 * Runs one point of a sweep into `<sweepDir>/runs/<runId>` and returns its row. A run that
 * cannot be set up (an invalid grid combination) or throws is recorded with its status and error;
 * the sweep goes on.
 */
export async function runSweepPoint(scenarioArg: string, run: SweepRun, sweepDir: string): Promise<SweepRow> {
  const row: SweepRow = {
    index: run.index, assignments: run.assignments, seed: run.seed,
    status: 'failed', error: '', trialsRun: 0, evaluations: 0, metrics: {},
  };
  try {
    const overrides = run.assignments.map((a) => `${a.path}=${JSON.stringify(a.value)}`);
    const { scenario, path } = loadScenario(scenarioArg, overrides, { seed: run.seed });
    const sim = new Simulation(buildSimulationSpec(scenario, scenarioBaseDir(path)));
    const { result, summary } = await recordRun(sim, scenario, sim.spec.problem.description, { outDir: `${sweepDir}/runs`, runId: runId(run.index) });
    row.status = result.status;
    row.error = result.reason ?? '';
    row.trialsRun = result.trialsRun;
    row.evaluations = result.evaluations;
    if (summary.final !== null) {
      for (const [k, x] of Object.entries(summary.final)) if (k !== 'trial' && k !== 'evaluations') row.metrics[k] = x;
    }
  } catch (err) {
    row.status = err instanceof InputError ? 'invalid' : 'failed';
    row.error = err instanceof Error ? err.message : String(err);
  }
  return row;
}
