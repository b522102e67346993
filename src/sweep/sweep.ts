import { Worker } from 'node:worker_threads';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../errors.js';
import { expandSweep, type SweepDefinition, type SweepRun } from './grid.js';
import { runSweepPoint, type SweepRow } from './runner.js';

export interface ShardSpec {
  index: number;
  count: number;
}

/** The runs a shard owns: index ≡ i − 1 (mod N). */
export function shardRuns(def: SweepDefinition, shard: ShardSpec | null): SweepRun[] {
  const all = expandSweep(def);
  return shard === null ? all : all.filter((r) => r.index % shard.count === shard.index - 1);
}

/**
 * Runs the sweep's runs on `workers` worker threads (each a whole simulation at a time, so the
 * cores stay busy without sharing state), reporting each finished run. Rows come back in run
 * order, whatever order the workers finish in.
 */
export async function runSweep(
  def: SweepDefinition, runs: SweepRun[], sweepDir: string, workers: number, onRow: (row: SweepRow, done: number) => void,
): Promise<SweepRow[]> {
  mkdirSync(join(sweepDir, 'runs'), { recursive: true });
  const rows: SweepRow[] = [];
  if (workers <= 1) {
    for (const run of runs) {
      const row = await runSweepPoint(def.scenario, run, sweepDir);
      rows.push(row);
      onRow(row, rows.length);
    }
    return rows;
  }
  const queue = [...runs];
  const url = new URL('./worker.js', import.meta.url);
  await Promise.all(
    Array.from({ length: Math.min(workers, runs.length) }, async () => {
      const worker = new Worker(url);
      try {
        for (let run = queue.shift(); run !== undefined; run = queue.shift()) {
          const current = run;
          const row = await new Promise<SweepRow>((resolve, reject) => {
            const onMessage = (r: SweepRow): void => {
              worker.off('error', onError);
              resolve(r);
            };
            const onError = (err: Error): void => {
              worker.off('message', onMessage);
              reject(err);
            };
            worker.once('message', onMessage);
            worker.once('error', onError);
            worker.postMessage({ scenario: def.scenario, run: current, sweepDir });
          }).catch((err: unknown): SweepRow => ({
            index: current.index, assignments: current.assignments, seed: current.seed, status: 'failed',
            error: err instanceof Error ? err.message : String(err), trialsRun: 0, evaluations: 0, metrics: {},
          }));
          rows.push(row);
          onRow(row, rows.length);
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return rows.sort((a, b) => a.index - b.index);
}

/**
 * sweep.csv: one row per run in run order; columns run, the grid paths, seed, status, error,
 * trials_run, evaluations, then every final metric in order of first appearance. Deterministic
 * in the rows alone, so shards merge into the same bytes as a single-machine sweep.
 */
export function sweepCsv(def: SweepDefinition, rows: SweepRow[]): string {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  const metricNames: string[] = [];
  for (const r of sorted) for (const k of Object.keys(r.metrics)) if (!metricNames.includes(k)) metricNames.push(k);
  const header = ['run', ...def.grid.map((a) => a.path), 'seed', 'status', 'error', 'trials_run', 'evaluations', ...metricNames];
  const body = sorted.map((r) => [
    r.index,
    ...r.assignments.map((a) => (typeof a.value === 'number' || typeof a.value === 'string' ? a.value : JSON.stringify(a.value))),
    r.seed, r.status, r.error, r.trialsRun, r.evaluations,
    ...metricNames.map((k) => (k in r.metrics ? r.metrics[k] : '')),
  ]);
  return stringify(body, { header: true, columns: header });
}

/** What a sweep (or shard) directory records: its definition, shard and rows (rows.json). */
export interface SweepRecord {
  definition: SweepDefinition;
  shard: ShardSpec | null;
  rows: SweepRow[];
}

export function writeSweepRecord(dir: string, record: SweepRecord): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'rows.json'), `${JSON.stringify(record, null, 1)}\n`);
  writeFileSync(join(dir, 'sweep.csv'), sweepCsv(record.definition, record.rows));
}

/** Combines shard directories into the full sweep's rows; checks they are one sweep, complete. */
export function mergeShards(dirs: string[]): SweepRecord {
  const records = dirs.map((d) => {
    try {
      return JSON.parse(readFileSync(join(d, 'rows.json'), 'utf8')) as SweepRecord;
    } catch {
      throw new InputError('DIR', 'must be a sweep or shard directory holding rows.json', d);
    }
  });
  const def = records[0].definition;
  const key = JSON.stringify(def);
  records.forEach((r, k) => {
    if (JSON.stringify(r.definition) !== key) throw new InputError(`DIR ${dirs[k]}`, 'must belong to the same sweep (scenario, grid, seeds) as the first', dirs[k]);
  });
  const rows = records.flatMap((r) => r.rows);
  const expected = expandSweep(def).length;
  const seen = new Set(rows.map((r) => r.index));
  if (seen.size !== rows.length) throw new InputError('DIR', 'must not hold the same run twice (a shard given twice?)', dirs.join(' '));
  if (seen.size !== expected) {
    const missing = expandSweep(def).filter((r) => !seen.has(r.index)).map((r) => r.index);
    throw new InputError('DIR', `must together hold all ${expected} runs of the sweep`, `missing runs ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`);
  }
  return { definition: def, shard: null, rows: rows.sort((a, b) => a.index - b.index) };
}
