import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { readJsonFile, validate } from '../io/json.js';
import { LIMITS } from '../io/limits.js';
import { loadSweepRecord, sweepRunCount } from '../io/sweep-record.js';
import { checkOutputDir } from '../output/run-dir.js';
import { loadScenario, resolveScenarioPath } from '../scenario/load.js';
import { outlineProblem } from '../scenario/outline.js';
import { scenarioBaseDir } from '../scenario/problems.js';
import { parseGridOption, parseSeeds, parseShard, type SweepDefinition } from '../sweep/grid.js';
import { mergeShards, runSweep, shardRuns, writeSweepRecord } from '../sweep/sweep.js';
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
    .argument('<scenario>', 'scenario (file or ready name), or a sweep file with "scenario", "grid", "seeds"')
    .option('--grid <path=v1,v2,…>', 'a grid axis (repeatable), e.g. --grid perturbation.sigma=0.01,0.03', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--set <path=value>', 'override a base scenario field for every run (repeatable), as for wpsim run', collect, [])
    .option('--seeds <a..b>', 'seeds: a..b or a comma list (default 1..1, or the sweep file\'s)')
    .option('--workers <n>', 'worker threads (default: all cores)', positiveInteger)
    .option('--shard <i/N>', 'run only the deterministic i-th of N parts (for job arrays); combine with wpsim merge')
    .option('--out <dir>', 'sweep directory (default out/<scenario>/sweep-<timestamp>)')
    .option('--quiet', 'no progress bar')
    .action(action(async (arg: string, opts: SweepOptions) => {
      if (opts.out !== undefined) checkOutputDir(opts.out, '--out');
      if (opts.workers !== undefined && opts.workers > LIMITS.workers) throw new InputError('--workers', `must be at most ${LIMITS.workers} (docs/formats.md, "Limits")`, opts.workers);
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
      const workers = opts.workers ?? availableParallelism();
      const bar = !opts.quiet && process.stderr.isTTY === true
        ? new cliProgress.SingleBar({ stream: process.stderr, format: `sweep [{bar}] {value}/{total} runs | {status}`, hideCursor: true }, cliProgress.Presets.shades_classic)
        : null;
      bar?.start(runs.length, 0, { status: '' });
      const counts: Record<string, number> = {};
      const t0 = performance.now();
      const rows = await runSweep(def, runs, dir, workers, (row, done) => {
        counts[row.status] = (counts[row.status] ?? 0) + 1;
        bar?.update(done, { status: Object.entries(counts).map(([k, x]) => `${k} ${x}`).join(', ') });
      });
      bar?.stop();
      writeSweepRecord(dir, { definition: def, shard, rows });
      const seconds = (performance.now() - t0) / 1000;
      process.stdout.write(
        `${runs.length} runs (${Object.entries(counts).map(([k, x]) => `${x} ${k}`).join(', ')}) on ${workers} worker(s) in ${seconds.toFixed(1)} s\n${dir}\n`,
      );
    }));

  program
    .command('merge')
    .description('combine shard directories of one sweep into the sweep.csv a single-machine sweep gives')
    .argument('<dirs...>', 'shard directories (each holds rows.json)')
    .requiredOption('--out <dir>', 'directory for the merged sweep.csv and rows.json')
    .action(action((dirs: string[], opts: { out: string }) => {
      checkOutputDir(opts.out, '--out');
      // Each directory's rows.json is checked (regular file, size, schema) before merging.
      for (const d of dirs) loadSweepRecord(d, 'DIR');
      const record = mergeShards(dirs);
      writeSweepRecord(resolve(opts.out), record);
      process.stdout.write(`${record.rows.length} runs merged\n${resolve(opts.out)}\n`);
    }));
}
