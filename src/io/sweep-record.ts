import { statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { checkPathText, errnoCode } from './files.js';
import { readJsonFile, validate } from './json.js';
import { LIMITS } from './limits.js';

/**
 * rows.json of a sweep or shard directory (docs/formats.md, "Sweeps"), validated before `merge`,
 * `plot` or `report` use it: the definition, the shard and one row per run.
 */
const nonNegativeInt = z.number().int('must be an integer').min(0, 'must be non-negative');

export const sweepRecordSchema = z.object({
  definition: z.object({
    scenario: z.string().min(1, 'must name a scenario'),
    set: z.array(z.string()).optional(),
    grid: z.array(z.object({ path: z.string(), values: z.array(z.unknown()).min(1, 'must list at least one value') }).strict()),
    seeds: z.array(nonNegativeInt).min(1, 'must list at least one seed'),
  }).strict(),
  shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }).strict().nullable(),
  rows: z.array(z.object({
    index: nonNegativeInt,
    assignments: z.array(z.object({ path: z.string(), value: z.unknown() }).strict()),
    seed: nonNegativeInt,
    status: z.string(),
    error: z.string(),
    trialsRun: nonNegativeInt,
    evaluations: nonNegativeInt,
    metrics: z.record(z.string(), z.number().nullable()),
  }).strict()),
}).strict().superRefine((r, ctx) => {
  const runs = sweepRunCount(r.definition.grid.map((a) => a.values.length), r.definition.seeds.length);
  if (runs > LIMITS.sweepRuns) {
    ctx.addIssue({ code: 'custom', path: ['definition', 'grid'], message: `implies ${runs} runs, above the limit of ${LIMITS.sweepRuns} (docs/formats.md, "Limits")` });
  }
});

export type CheckedSweepRecord = z.output<typeof sweepRecordSchema>;

/** Grid points × seeds. */
export function sweepRunCount(axisSizes: readonly number[], seeds: number): number {
  return axisSizes.reduce((a, b) => a * b, 1) * seeds;
}

/** Throws unless `dir` names an existing directory; `field` is the argument that named it. */
export function checkInputDir(dir: string, field: string): void {
  checkPathText(dir, field);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    throw new InputError(field, `must be an existing directory (${errnoCode(err)})`, dir);
  }
  if (!isDir) throw new InputError(field, 'must be a directory', dir);
}

/** Reads and validates `dir`/rows.json (a regular file within the size limit). */
export function loadSweepRecord(dir: string, field = 'DIR'): CheckedSweepRecord {
  checkInputDir(dir, field);
  const path = join(dir, 'rows.json');
  if (statOrNull(path) === null) throw new InputError(field, 'must be a sweep or shard directory holding rows.json', dir);
  return validate(sweepRecordSchema, readJsonFile(path, field), path);
}

/**
 * Checks a run or sweep directory before `plot` or `report` reads it: a directory holding
 * rows.json (a sweep, validated as above) or summary.json (a run: a JSON object naming its
 * scenario), each a regular file within the size limit, and CSV files that are regular files.
 */
export function checkResultDir(dir: string, field: string): void {
  checkInputDir(dir, field);
  for (const csv of ['probes.csv', 'sweep.csv']) {
    const stat = statOrNull(join(dir, csv));
    if (stat !== null && !stat.isFile()) throw new InputError(field, `must hold ${csv} as a regular file`, dir);
  }
  if (statOrNull(join(dir, 'rows.json')) !== null) {
    loadSweepRecord(dir, field);
    return;
  }
  if (statOrNull(join(dir, 'summary.json')) === null) {
    throw new InputError(field, 'must be a run directory (with summary.json) or a sweep directory (with rows.json)', dir);
  }
  const path = join(dir, 'summary.json');
  validate(z.looseObject({ scenario: z.string() }), readJsonFile(path, field), path);
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
