import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Scenario } from '../scenario/schema.js';
import type { Row } from '../sim/probe.js';
import { RunDirectory } from './run-dir.js';
import type { RunInfo, RunRecord, Sink } from './sink.js';
import { summarize, type Summary } from './summary.js';

/** The name a net file is copied to inside a run directory. */
export const NET_COPY = 'net.json';

/**
 * The scenario as a run directory records it: resolved (defaults filled in), without the
 * editor's `$schema` pointer, and rerunnable from inside the run directory: a net file is copied
 * into the directory as net.json and the scenario points at that copy.
 */
export function rerunnableScenario(scenario: Scenario): Scenario {
  const { $schema: _editorPointer, ...rest } = scenario;
  if (rest.problem.kind !== 'net-file') return rest;
  return { ...rest, problem: { ...rest.problem, path: NET_COPY } };
}

const cell = (x: number | null): number | string => (x === null ? '' : x);

/**
 * Writes a run directory (docs/formats.md): scenario.json (rerunnable), probes.csv (the rows;
 * deterministic: same scenario and seed, same bytes), timing.csv (wall clock per row, kept apart
 * so that probes.csv stays reproducible), the mode's final tables (synapses.csv, weights.csv or
 * direction.csv) and summary.json. The directory appears under its final name only at the end,
 * named by status.
 */
export class RunDirectorySink implements Sink {
  private dir: RunDirectory | null = null;
  private t0 = 0;
  /** The run directory, once finished. */
  path: string | null = null;
  summary: Summary | null = null;

  /** A sweep names its runs itself (outDir/runId); a single run gets outDir/<scenario>/<timestamp-seed>. */
  constructor(private readonly options: { outDir: string; runId?: string }) {}

  start(info: RunInfo): void {
    const { outDir, runId } = this.options;
    const { scenario } = info;
    const parent = runId !== undefined ? outDir : join(outDir, scenario.name);
    const dir = new RunDirectory(parent, runId ?? RunDirectory.freshId(parent, scenario.seed, info.startedAt));
    this.dir = dir;
    this.t0 = performance.now();
    dir.writeJson('scenario.json', rerunnableScenario(scenario));
    if (scenario.problem.kind === 'net-file') copyFileSync(resolve(info.baseDir, scenario.problem.path), join(dir.tempPath, NET_COPY));
    dir.csvStart('probes.csv', info.header);
    dir.csvStart('timing.csv', ['trial', 'elapsed_s']);
  }

  row(row: Row): void {
    const dir = this.opened();
    dir.csvRows('probes.csv', [row.map(cell)]);
    dir.csvRows('timing.csv', [[cell(row[0]), ((performance.now() - this.t0) / 1000).toFixed(3)]]);
  }

  finish(record: RunRecord): void {
    const dir = this.opened();
    const files = ['scenario.json', ...(record.info.scenario.problem.kind === 'net-file' ? [NET_COPY] : []), 'probes.csv', 'timing.csv'];
    for (const table of record.result.tables) {
      dir.csvStart(table.file, table.header);
      dir.csvRows(table.file, table.rows);
      files.push(table.file);
    }
    files.push('summary.json');
    this.summary = summarize(record, files);
    dir.writeJson('summary.json', this.summary);
    this.path = dir.finish(record.result.status);
  }

  private opened(): RunDirectory {
    if (this.dir === null) throw new Error('RunDirectorySink: start was not called');
    return this.dir;
  }
}
