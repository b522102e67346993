import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { expandSweep, type SweepDefinition, type SweepRun } from './grid.js';
import { Piscina } from 'piscina';
import { emptyRow, runSweepPoint, sweepTask, type SweepRow } from './runner.js';
import { createStopFlag, raiseStop } from './stop.js';
import { sweepCsv } from '../output/sweep-csv.js';

export interface ShardSpec {
  index: number;
  count: number;
}

/** The runs a shard owns: index ≡ i − 1 (mod N). */
export function shardRuns(def: SweepDefinition, shard: ShardSpec | null): SweepRun[] {
  const all = expandSweep(def);
  return shard === null ? all : all.filter((r) => r.index % shard.count === shard.index - 1);
}

export interface SweepPoolOptions {
  /** The worker module (default: ./worker.js); its default export runs one SweepTask. */
  workerFile?: URL;
  /**
   * Stops the sweep: running runs end `interrupted` at their next chunk boundary (their run
   * directories written), runs not yet begun come back `interrupted` with zero trials.
   */
  signal?: AbortSignal;
  /** Resuming: each run first deletes its directory from the earlier attempt (runner.ts). */
  replace?: boolean;
}

/**
 * Runs the sweep's runs on `workers` worker threads from a piscina pool (each a whole simulation
 * at a time, so the cores stay busy without sharing state), reporting each finished run. A task
 * that throws, or whose worker dies, becomes a `failed` row with the error and the sweep goes on
 * (piscina replaces the dead worker). Rows come back in run order, whatever order the workers
 * finish in. `options.signal` stops the sweep cooperatively: the workers see it through a shared
 * stop flag (stop.ts), never by being terminated, so every started run keeps its directory.
 */
export async function runSweep(
  def: SweepDefinition, runs: SweepRun[], sweepDir: string, workers: number,
  onRow: (row: SweepRow, done: number) => void, options: SweepPoolOptions = {},
): Promise<SweepRow[]> {
  mkdirSync(join(sweepDir, 'runs'), { recursive: true });
  const rows: SweepRow[] = [];
  const record = (row: SweepRow): void => {
    rows.push(row);
    onRow(row, rows.length);
  };
  const { signal, replace } = options;
  if (workers <= 1 && options.workerFile === undefined) {
    for (const run of runs) record(await runSweepPoint(sweepTask(def, run, sweepDir, { replace }), signal));
    return rows;
  }
  const stop = createStopFlag();
  const onAbort = (): void => raiseStop(stop);
  if (signal?.aborted === true) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const threads = Math.max(1, Math.min(workers, runs.length));
  const pool = new Piscina({
    filename: (options.workerFile ?? new URL('./worker.js', import.meta.url)).href,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 1,
    // Runs begin in run order (piscina would otherwise send a task that found no ready worker
    // to the back of the queue), so a stopped sweep's finished runs are near a prefix.
    stricterFIFO: true,
  });
  // A stray worker message reaches piscina's 'error' event, which unheard is an uncaught
  // exception: heard here, it ends the sweep with that error once the runs have settled.
  let poolError: unknown = null;
  pool.on('error', (err: unknown) => {
    poolError ??= err;
  });
  try {
    await Promise.all(runs.map(async (run) => {
      let row: SweepRow;
      try {
        row = (await pool.run(sweepTask(def, run, sweepDir, { stop, replace }))) as SweepRow;
      } catch (err) {
        row = emptyRow(run, 'failed', `worker: ${err instanceof Error ? err.message : String(err)}`);
      }
      record(row);
    }));
    if (poolError !== null) throw poolError instanceof Error ? poolError : new Error(String(poolError));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
  return rows.sort((a, b) => a.index - b.index);
}

export { sweepCsv } from '../output/sweep-csv.js';

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
