import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { runScenario } from '../app/run-scenario.js';
import { RunDirectory } from '../output/run-dir.js';
import { RunDirectorySink } from '../output/run-dir-sink.js';
import { loadScenario } from '../scenario/load.js';
import { scenarioBaseDir } from '../scenario/problems.js';
import type { SweepDefinition, SweepRun } from './grid.js';
import type { StopFlag } from './stop.js';

/** One sweep run's outcome: deterministic fields only (no wall time), so sweeps merge byte-identically. */
export interface SweepRow {
  index: number;
  assignments: { path: string; value: unknown }[];
  seed: number;
  /**
   * complete | interrupted | diverged | failed (from the run), invalid (the scenario was rejected),
   * failed (an internal error or a dead worker), interrupted with zero trials (the sweep was
   * stopped before the run began; error NOT_STARTED).
   */
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

/** The error of a run the sweep's stop reached before the run began (status `interrupted`, no run directory). */
export const NOT_STARTED = 'not started: the sweep was stopped';

/** What a worker is sent: the sweep's base scenario and overrides, one run, and where to write it. */
export interface SweepTask {
  scenario: string;
  set: string[];
  run: SweepRun;
  sweepDir: string;
  /** The sweep's stop flag (shared memory; see stop.ts), for a run on a worker thread. */
  stop?: StopFlag;
  /** Resuming: delete this run's directory from the earlier attempt (any status, or a leftover `.partial`) before running it. */
  replace?: boolean;
}

export function sweepTask(def: SweepDefinition, run: SweepRun, sweepDir: string, extra: Pick<SweepTask, 'stop' | 'replace'> = {}): SweepTask {
  return { scenario: def.scenario, set: def.set ?? [], run, sweepDir, ...extra };
}

/**
 * Runs one point of a sweep into `<sweepDir>/runs/<runId>` and returns its row. A run that
 * cannot be set up (an invalid grid combination) or throws is recorded with its status and error;
 * the sweep goes on. `signal` stops the run between trials (it ends `interrupted`, its directory
 * `<runId>-interrupted`); a run whose signal has fired before it begins is not started.
 */
export async function runSweepPoint(task: SweepTask, signal?: AbortSignal): Promise<SweepRow> {
  const { run, sweepDir } = task;
  if (signal?.aborted === true) return emptyRow(run, 'interrupted', NOT_STARTED);
  try {
    if (task.replace === true) {
      for (const name of RunDirectory.names(runId(run.index))) rmSync(join(sweepDir, 'runs', name), { recursive: true, force: true });
    }
    const overrides = [...task.set, ...run.assignments.map((a) => `${a.path}=${JSON.stringify(a.value)}`)];
    const { scenario, path } = loadScenario(task.scenario, overrides, { seed: run.seed });
    const { result } = await runScenario(scenario, {
      baseDir: scenarioBaseDir(path),
      signal,
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
