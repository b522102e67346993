import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { loadSweepRecord } from '../io/sweep-record.js';
import { checkOutputDir } from '../output/run-dir.js';
import { RunDirectorySink } from '../output/run-dir-sink.js';
import type { Summary } from '../output/summary.js';
import { SHARD_MANIFEST } from '../parallel/shard-files.js';
import { mergeShards, writeSweepRecord } from '../sweep/sweep.js';
import { action } from './run-action.js';

/** Exit codes as for `wpsim run`: the merged run's status. */
const EXIT_STATUS = { complete: 0, failed: 1, diverged: 3, interrupted: 130 } as const;

/**
 * `wpsim merge DIR...`: shard directories of one sweep (rows.json) into its sweep.csv, or shard
 * directories of one estimate run (shard.json, from `wpsim run --shard i/N`) into the run
 * directory the unsharded run writes. Which, is read from the first directory.
 */
export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('combine shard directories: of one sweep into its sweep.csv, or of one estimate run (wpsim run --shard) into its run directory')
    .argument('<dirs...>', 'shard directories (each holds rows.json, or shard.json)')
    .option('--out <dir>', 'sweeps: directory for the merged sweep.csv and rows.json (required); runs: output directory (default: the scenario\'s)')
    .option('--quiet', 'runs: only the run directory on stdout')
    .action(action(async (dirs: string[], opts: { out?: string; quiet?: boolean }) => {
      if (opts.out !== undefined) checkOutputDir(opts.out, '--out');
      if (existsSync(join(dirs[0], SHARD_MANIFEST))) {
        await mergeRun(dirs, opts);
        return;
      }
      if (opts.out === undefined) throw new InputError('--out', 'is required to merge sweep shards', undefined);
      // Each directory's rows.json is checked (regular file, size, schema) before merging.
      for (const d of dirs) loadSweepRecord(d, 'DIR');
      const record = mergeShards(dirs);
      writeSweepRecord(resolve(opts.out), record);
      process.stdout.write(`${record.rows.length} runs merged\n${resolve(opts.out)}\n`);
    }));
}

async function mergeRun(dirs: string[], opts: { out?: string; quiet?: boolean }): Promise<void> {
  const { mergeShardRuns } = await import('../app/shards.js');
  const { summaryLines } = await import('./run.js');
  let sink: RunDirectorySink | null = null;
  const record = await mergeShardRuns(dirs, {
    outDir: opts.out,
    sinks: (scenario) => {
      sink = new RunDirectorySink({ outDir: scenario.output });
      return [sink];
    },
  });
  const runDir = sink as unknown as RunDirectorySink;
  const summary = runDir.summary as Summary;
  const lines = opts.quiet === true ? [] : [`merged     ${dirs.length} shards`, ...summaryLines(record.info.scenario, summary)];
  lines.push(runDir.path as string);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (summary.status === 'failed') process.stderr.write(`wpsim: merged run failed: ${summary.reason}\n`);
  process.exitCode = EXIT_STATUS[summary.status];
}
