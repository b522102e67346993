import { InputError } from '../errors.js';
import { runScenario } from '../app/run-scenario.js';
import { RunDirectorySink } from '../output/run-dir-sink.js';
import { loadScenario } from '../scenario/load.js';
import { scenarioBaseDir } from '../scenario/problems.js';
import type { SweepDefinition, SweepRun } from './grid.js';

/** One sweep run's outcome: deterministic fields only (no wall time), so sweeps merge byte-identically. */
export interface SweepRow {
  index: number;
  assignments: { path: string; value: unknown }[];
  seed: number;
  /** complete | interrupted | diverged | failed (from the run), invalid (the scenario was rejected), failed (an internal error or a dead worker). */
  status: string;
  error: string;
  trialsRun: number;
  evaluations: number;
  metrics: Record<string, number | null>;
}

/** The run directory name of a sweep run. */
export function runId(index: number): string {
  return `r${String(index).padStart(5, '0')}`;
}

/** The row of a run that produced nothing (rejected, or its worker died). */
export function emptyRow(run: SweepRun, status: string, error: string): SweepRow {
  return { index: run.index, assignments: run.assignments, seed: run.seed, status, error, trialsRun: 0, evaluations: 0, metrics: {} };
}

/** What a worker is sent: the sweep's base scenario and overrides, one run, and where to write it. */
export interface SweepTask {
  scenario: string;
  set: string[];
  run: SweepRun;
  sweepDir: string;
}

export function sweepTask(def: SweepDefinition, run: SweepRun, sweepDir: string): SweepTask {
  return { scenario: def.scenario, set: def.set ?? [], run, sweepDir };
}

/**
 * Runs one point of a sweep into `<sweepDir>/runs/<runId>` and returns its row. A run that
 * cannot be set up (an invalid grid combination) or throws is recorded with its status and error;
 * the sweep goes on.
 */
export async function runSweepPoint(task: SweepTask): Promise<SweepRow> {
  const { run, sweepDir } = task;
  try {
    const overrides = [...task.set, ...run.assignments.map((a) => `${a.path}=${JSON.stringify(a.value)}`)];
    const { scenario, path } = loadScenario(task.scenario, overrides, { seed: run.seed });
    const { result } = await runScenario(scenario, {
      baseDir: scenarioBaseDir(path),
      sinks: [new RunDirectorySink({ outDir: `${sweepDir}/runs`, runId: runId(run.index) })],
    });
    const row = emptyRow(run, result.status, result.reason ?? '');
    row.trialsRun = result.trialsRun;
    row.evaluations = result.evaluations;
    const last = result.lastRow;
    if (last !== null) {
      result.header.forEach((k, j) => {
        if (k !== 'trial' && k !== 'evaluations') row.metrics[k] = last[j];
      });
    }
    return row;
  } catch (err) {
    return emptyRow(run, err instanceof InputError ? 'invalid' : 'failed', err instanceof Error ? err.message : String(err));
  }
}
