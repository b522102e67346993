import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { readJsonFile, validate } from '../io/json.js';
import { LIMITS } from '../io/limits.js';
import { sweepRunCount } from '../io/sweep-record.js';
import { checkOutputDir } from '../output/run-dir.js';
import { loadScenario, resolveScenarioPath } from '../scenario/load.js';
import { outlineProblem } from '../scenario/outline.js';
import { scenarioBaseDir } from '../scenario/problems.js';
import { parseGridOption, parseSeeds, parseShard, type SweepDefinition, type SweepRun } from '../sweep/grid.js';
import { readSweepRecord, resumePlan } from '../sweep/resume.js';
import type { SweepRow } from '../sweep/runner.js';
import { runSweep, shardRuns, writeSweepRecord, type ShardSpec } from '../sweep/sweep.js';
import { action } from './run-action.js';
import { collect, positiveInteger } from './options.js';

interface SweepOptions {
  grid: string[];
  set: string[];
  seeds?: string;
  workers?: number;
  shard?: string;
  out?: string;
  quiet?: boolean;
  resume?: string;
}

/** A sweep file: {"scenario": name or path, "grid": {path: [values]}, "seeds": "a..b" or [..]}. */
const sweepFileSchema = z.object({
  $schema: z.string().optional(),
  description: z.string().optional(),
  scenario: z.string().min(1, 'must name a scenario'),
  grid: z.record(z.string(), z.array(z.unknown()).min(1, 'must list at least one value')),
  seeds: z.union([z.string(), z.array(z.number().int().min(0))]).default('1..1'),
}).strict();

function definitionFrom(arg: string, opts: SweepOptions): SweepDefinition {
  const path = resolveScenarioPath(arg);
  const raw = readJsonFile(path, 'SCENARIO');
  if (raw !== null && typeof raw === 'object' && 'grid' in raw) {
    const f = validate(sweepFileSchema, raw, path);
    const scenarioPath = existsSync(resolve(join(path, '..'), f.scenario)) ? resolve(join(path, '..'), f.scenario) : f.scenario;
    const grid = Object.entries(f.grid).map(([p, values]) => ({ path: p, values }));
    for (const g of opts.grid) grid.push(parseGridOption(g));
    const seeds = opts.seeds !== undefined ? parseSeeds(opts.seeds) : typeof f.seeds === 'string' ? parseSeeds(f.seeds) : f.seeds;
    return { scenario: resolveScenarioPath(scenarioPath, 'scenario'), set: opts.set, grid, seeds };
  }
  return { scenario: path, set: opts.set, grid: opts.grid.map(parseGridOption), seeds: parseSeeds(opts.seeds ?? '1..1') };
}

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('run a grid of scenario variants × seeds on worker threads; one row per run in sweep.csv')
    .argument('[scenario]', 'scenario (file or ready name), or a sweep file with "scenario", "grid", "seeds" (none with --resume)')
    .option('--grid <path=v1,v2,…>', 'a grid axis (repeatable), e.g. --grid perturbation.sigma=0.01,0.03', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--set <path=value>', 'override a base scenario field for every run (repeatable), as for wpsim run', collect, [])
    .option('--seeds <a..b>', 'seeds: a..b or a comma list (default 1..1, or the sweep file\'s)')
    .option('--workers <n>', 'worker threads (default: all cores)', positiveInteger)
    .option('--shard <i/N>', 'run only the deterministic i-th of N parts (for job arrays); combine with wpsim merge')
    .option('--out <dir>', 'sweep directory (default out/<scenario>/sweep-<timestamp>)')
    .option('--quiet', 'no progress bar')
    .option('--resume <dir>', 'finish a stopped sweep: rerun its missing, interrupted and failed runs (the definition and shard come from DIR/rows.json)')
    .action(action(async (arg: string | undefined, opts: SweepOptions) => {
      if (opts.workers !== undefined && opts.workers > LIMITS.workers) throw new InputError('--workers', `must be at most ${LIMITS.workers} (docs/formats.md, "Limits")`, opts.workers);
      if (opts.resume !== undefined) {
        await resumeSweep(arg, opts);
        return;
      }
      if (arg === undefined) throw new InputError('<scenario>', 'is required unless --resume DIR is given', undefined);
      if (opts.out !== undefined) checkOutputDir(opts.out, '--out');
      const def = definitionFrom(arg, opts);
      const planned = sweepRunCount(def.grid.map((a) => a.values.length), def.seeds.length);
      if (planned > LIMITS.sweepRuns) {
        throw new InputError('--grid', `implies ${planned} runs (grid points × seeds), above the limit of ${LIMITS.sweepRuns} (docs/formats.md, "Limits")`, def.grid.map((a) => a.path));
      }
      // An invalid grid combination becomes a recorded row; a base scenario that does not load
      // at all is bad input.
      const { scenario, path: scenarioPath } = loadScenario(def.scenario, def.set);
      // The base problem's sizes within the budget (docs/formats.md, "Limits"), before any run starts.
      outlineProblem(scenario, scenarioBaseDir(scenarioPath));
      const shard = opts.shard !== undefined ? parseShard(opts.shard) : null;
      const runs = shardRuns(def, shard);
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
      const dir = resolve(opts.out ?? join(scenario.output, scenario.name, `sweep-${stamp}${shard ? `-shard-${shard.index}-of-${shard.count}` : ''}`));
      if (existsSync(join(dir, 'rows.json'))) throw new InputError('--out', 'must not be an existing sweep directory', dir);
      await executeSweep({ dir, def, shard, runs, kept: [], workers: opts.workers ?? availableParallelism(), quiet: opts.quiet === true, resumed: false });
    }));
}

/** `wpsim sweep --resume DIR`: the stored sweep's unfinished runs (sweep/resume.ts), into DIR again. */
async function resumeSweep(arg: string | undefined, opts: SweepOptions): Promise<void> {
  const given = [
    arg !== undefined ? '<scenario>' : null, opts.grid.length > 0 ? '--grid' : null, opts.set.length > 0 ? '--set' : null,
    opts.seeds !== undefined ? '--seeds' : null, opts.shard !== undefined ? '--shard' : null, opts.out !== undefined ? '--out' : null,
  ].filter((x) => x !== null);
  if (given.length > 0) throw new InputError('--resume', 'takes the sweep from DIR/rows.json and may not be combined with <scenario>, --grid, --set, --seeds, --shard or --out', given.join(' '));
  const dir = resolve(opts.resume as string);
  const record = readSweepRecord(dir);
  const plan = resumePlan(record, join(dir, 'rows.json'));
  // As for a fresh sweep: a base scenario that no longer loads is bad input.
  loadScenario(record.definition.scenario, record.definition.set ?? []);
  await executeSweep({
    dir, def: record.definition, shard: record.shard, runs: plan.runs, kept: plan.kept,
    workers: opts.workers ?? availableParallelism(), quiet: opts.quiet === true, resumed: true,
  });
}

interface SweepExecution {
  dir: string;
  def: SweepDefinition;
  shard: ShardSpec | null;
  /** The runs to run now. */
  runs: SweepRun[];
  /** Rows of finished runs kept from an earlier attempt (resume). */
  kept: SweepRow[];
  workers: number;
  quiet: boolean;
  /** Resuming: each run replaces its directory from the earlier attempt. */
  resumed: boolean;
}

/**
 * Runs a sweep's runs with SIGINT/SIGTERM trapped: the first signal stops the sweep
 * cooperatively (runs end `interrupted` at their next chunk boundary, runs not begun are listed
 * `interrupted` with zero trials), rows.json and sweep.csv are written with every row, and the
 * exit code is 130 while any run is unfinished; a second signal exits at once (130), leaving
 * `.partial` directories that --resume removes. rows.json and sweep.csv are also written before
 * the first run (with the kept rows only), so a sweep killed outright can be resumed too.
 */
async function executeSweep(x: SweepExecution): Promise<void> {
  const { dir, def, shard, runs, kept, workers } = x;
  writeSweepRecord(dir, { definition: def, shard, rows: kept });
  const bar = !x.quiet && process.stderr.isTTY === true
    ? new cliProgress.SingleBar({ stream: process.stderr, format: `sweep [{bar}] {value}/{total} runs | {status}`, hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(runs.length, 0, { status: '' });
  const progress: Record<string, number> = {};
  const stop = new AbortController();
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    if (signals > 1) {
      bar?.stop();
      process.stderr.write(`wpsim: second signal: exiting now; finish the sweep with: wpsim sweep --resume ${dir}\n`);
      process.exit(130);
    }
    process.stderr.write('wpsim: stopping the sweep at the next chunk boundary (signal again to exit at once)\n');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const t0 = performance.now();
  let rows: SweepRow[];
  try {
    rows = await runSweep(def, runs, dir, workers, (row, done) => {
      progress[row.status] = (progress[row.status] ?? 0) + 1;
      bar?.update(done, { status: Object.entries(progress).map(([k, n]) => `${k} ${n}`).join(', ') });
    }, { signal: stop.signal, replace: x.resumed });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  bar?.stop();
  const all = [...kept, ...rows].sort((a, b) => a.index - b.index);
  writeSweepRecord(dir, { definition: def, shard, rows: all });
  const seconds = (performance.now() - t0) / 1000;
  const counts: Record<string, number> = {};
  for (const row of all) counts[row.status] = (counts[row.status] ?? 0) + 1;
  process.stdout.write(
    `${all.length} runs (${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')})${x.resumed ? `, ${runs.length} of them run now,` : ''} on ${workers} worker(s) in ${seconds.toFixed(1)} s\n${dir}\n`,
  );
  const unfinished = counts.interrupted ?? 0;
  if (unfinished > 0) {
    process.stderr.write(`wpsim: sweep interrupted: ${unfinished} of ${all.length} runs unfinished; finish it with: wpsim sweep --resume ${dir}\n`);
    process.exitCode = 130;
  }
}
