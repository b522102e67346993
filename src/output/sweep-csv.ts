import { stringify } from 'csv-stringify/sync';
import type { GridAxis, SweepDefinition } from '../sweep/grid.js';
import { runId, type SweepRow } from '../sweep/runner.js';

/** Statuses of runs that leave a run directory (the run directory sink renames it by status). */
const WITH_DIRECTORY = new Set(['complete', 'interrupted', 'diverged', 'failed']);

/**
 * A run's directory relative to the sweep directory that ran it (for a merged sweep: relative to
 * the shard directory that ran it), or '' for a run that left none: rejected (invalid), failed
 * or interrupted before any evaluation (an exception while setting up, a worker that died, a sweep
 * stopped before the run began).
 */
export function runDirOf(row: SweepRow): string {
  if (!WITH_DIRECTORY.has(row.status)) return '';
  if ((row.status === 'failed' || row.status === 'interrupted') && row.evaluations === 0) return '';
  return `runs/${runId(row.index)}${row.status === 'complete' ? '' : `-${row.status}`}`;
}

/** `{a: 1, b: {c: 2}}` as [["a", 1], ["b.c", 2]]: nested objects by dotted keys, arrays kept whole. */
function flatten(value: Record<string, unknown>, prefix: string, out: [string, unknown][] = []): [string, unknown][] {
  for (const [k, v] of Object.entries(value)) {
    const key = `${prefix}.${k}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out.push([key, v]);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The flattened columns of an object-valued axis, from the sweep definition alone (so every
 * shard finds the same): the dotted keys of its object values in order of first appearance.
 */
function flatColumns(axis: GridAxis, taken: Set<string>): string[] {
  const columns: string[] = [];
  for (const v of axis.values) {
    if (!isObject(v)) continue;
    for (const [key] of flatten(v, axis.path)) if (!columns.includes(key) && !taken.has(key)) columns.push(key);
  }
  return columns;
}

/** A flattened cell: numbers and strings as they are, booleans as true/false, arrays as JSON, null and missing as ''. */
function cell(v: unknown): string | number {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * sweep.csv: one row per run in run order; columns run, run_dir, each grid path (object values
 * as JSON text) followed by its flattened columns (e.g. estimator.name, estimator.intercept;
 * empty where a value lacks the key), seed, status, error, trials_run, evaluations, then every
 * final metric in order of first appearance. Deterministic in the definition and the rows alone,
 * so shards merge into the same bytes as a single-machine sweep.
 */
export function sweepCsv(def: SweepDefinition, rows: SweepRow[]): string {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  const metricNames: string[] = [];
  for (const r of sorted) for (const k of Object.keys(r.metrics)) if (!metricNames.includes(k)) metricNames.push(k);
  const taken = new Set(def.grid.map((a) => a.path));
  const flat = def.grid.map((axis) => flatColumns(axis, taken));
  const header = ['run', 'run_dir', ...def.grid.flatMap((a, k) => [a.path, ...flat[k]]), 'seed', 'status', 'error', 'trials_run', 'evaluations', ...metricNames];
  const body = sorted.map((r) => [
    r.index,
    runDirOf(r),
    ...r.assignments.flatMap((a, k) => {
      const values = new Map(isObject(a.value) ? flatten(a.value, a.path) : []);
      const whole = typeof a.value === 'number' || typeof a.value === 'string' ? a.value : JSON.stringify(a.value);
      return [whole, ...flat[k].map((c) => cell(values.get(c)))];
    }),
    r.seed, r.status, r.error, r.trialsRun, r.evaluations,
    ...metricNames.map((k) => r.metrics[k] ?? ''),
  ]);
  return stringify(body, { header: true, columns: header });
}
