import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { readJsonFile, validate } from '../io/json.js';
import type { SweepRun } from './grid.js';
import type { SweepRow } from './runner.js';
import { shardRuns, type SweepRecord } from './sweep.js';

/**
 * Statuses a resumed sweep keeps: the run came to its end and a rerun would give the same row
 * (complete, diverged, invalid are deterministic in the scenario and seed). `interrupted` runs
 * (stopped mid-run or never begun), `failed` runs (an exception or a dead worker, which may not
 * recur) and runs missing from rows.json are rerun (docs/formats.md, "Interrupted sweeps and
 * --resume").
 */
export const FINISHED_STATUSES: readonly string[] = ['complete', 'diverged', 'invalid'];

const int = z.number().int('must be an integer');

const rowSchema = z.object({
  index: int.min(0, 'must be non-negative'),
  assignments: z.array(z.object({ path: z.string(), value: z.unknown() }).strict()),
  seed: int.min(0, 'must be non-negative'),
  status: z.string(),
  error: z.string(),
  trialsRun: int,
  evaluations: int,
  metrics: z.record(z.string(), z.number().nullable()),
}).strict();

/** rows.json as `writeSweepRecord` writes it. */
const recordSchema = z.object({
  definition: z.object({
    scenario: z.string().min(1, 'must name the base scenario'),
    set: z.array(z.string()).optional(),
    grid: z.array(z.object({ path: z.string(), values: z.array(z.unknown()).min(1, 'must list at least one value') }).strict()),
    seeds: z.array(int.min(0, 'must be non-negative')).min(1, 'must list at least one seed'),
  }).strict(),
  shard: z.object({ index: int.min(1, 'must be at least 1'), count: int.min(1, 'must be at least 1') }).strict().nullable(),
  rows: z.array(rowSchema),
}).strict();

/** Reads and checks `DIR/rows.json` of a sweep or shard directory. */
export function readSweepRecord(dir: string): SweepRecord {
  const path = join(dir, 'rows.json');
  if (!existsSync(path)) throw new InputError('--resume', 'must be a sweep directory holding rows.json', dir);
  const raw = readJsonFile(path);
  const record = validate(recordSchema, raw, path) as SweepRecord;
  if (record.shard !== null && record.shard.index > record.shard.count) {
    throw new InputError('shard.index', 'must not exceed shard.count', record.shard.index, path);
  }
  return record;
}

/** What a resume does: the rows it keeps (in run order) and the runs it (re)runs. */
export interface ResumePlan {
  kept: SweepRow[];
  runs: SweepRun[];
}

/**
 * The runs of the stored sweep (or shard) whose rows are missing or not finished, and the
 * finished rows kept as they are. A row must be one of the sweep's runs with its grid values
 * and seed, or rows.json does not belong to its definition.
 */
export function resumePlan(record: SweepRecord, source: string): ResumePlan {
  const expected = new Map(shardRuns(record.definition, record.shard).map((r) => [r.index, r]));
  const kept = new Map<number, SweepRow>();
  const seen = new Set<number>();
  for (const row of record.rows) {
    const run = expected.get(row.index);
    if (run === undefined || run.seed !== row.seed || JSON.stringify(run.assignments) !== JSON.stringify(row.assignments)) {
      throw new InputError(`rows[index ${row.index}]`, 'must be a run of the stored sweep definition (same index, grid values and seed)', row.index, source);
    }
    if (seen.has(row.index)) throw new InputError(`rows[index ${row.index}]`, 'must appear once', row.index, source);
    seen.add(row.index);
    if (FINISHED_STATUSES.includes(row.status)) kept.set(row.index, row);
  }
  return {
    kept: [...kept.values()].sort((a, b) => a.index - b.index),
    runs: [...expected.values()].filter((r) => !kept.has(r.index)),
  };
}
