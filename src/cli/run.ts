import type { Command } from 'commander';
import { runScenario } from '../app/run-scenario.js';
import { ProgressBarSink } from '../output/progress-sink.js';
import { RunDirectorySink } from '../output/run-dir-sink.js';
import type { Sink } from '../output/sink.js';
import type { Summary } from '../output/summary.js';
import { loadScenario } from '../scenario/load.js';
import { scenarioBaseDir } from '../scenario/problems.js';
import type { Scenario } from '../scenario/schema.js';
import { action } from './run-action.js';
import { collect, oneOf, positiveInteger, seed } from './options.js';
import { InputError } from '../errors.js';
import { LIMITS } from '../io/limits.js';
import { parseShard } from '../sweep/grid.js';

/** The layered oracle's kernel paths `--kernels` may ask for (the scenario's "kernels" field). */
const KERNELS = ['auto', 'wasm', 'js'] as const;

interface RunOptions {
  set: string[];
  seed?: number;
  out?: string;
  quiet?: boolean;
  kernels?: string;
  workers?: number;
  shard?: string;
}

/** Exit codes of `wpsim run`: complete 0, failed 1 (an internal error during the run), diverged 3, interrupted 130 (as for SIGINT). */
const EXIT_STATUS = { complete: 0, failed: 1, diverged: 3, interrupted: 130 } as const;

/** The perturbation's law as the summary names it: the code where one is given (it sets the law), else the distribution. */
function perturbationLabel(p: Scenario['perturbation']): string {
  const code = p.code;
  if (code === undefined) return p.distribution;
  return code.name === 'cdma' ? `cdma code (ρ = ${code.rho})` : `${code.name} code`;
}

/** The human summary of a run printed above the run directory. */
export function summaryLines(scenario: Scenario, summary: Summary): string[] {
  const lines: string[] = [];
  lines.push(`scenario   ${scenario.name}: ${scenario.description}`);
  lines.push(`problem    ${summary.problem}, ${summary.synapses} synapses${summary.kernels !== null ? `, ${summary.kernels} kernels` : ''}`);
  lines.push(`estimator  ${scenario.estimator.name}, ${perturbationLabel(scenario.perturbation)} σ = ${scenario.perturbation.sigma}${scenario.perturbation.antithetic ? ', antithetic' : ''}; mode ${scenario.mode}`);
  const results = Object.entries(summary.results);
  if (results.length > 0) lines.push(`results    ${results.map(([k, x]) => `${k} ${typeof x === 'number' ? x.toPrecision(4) : x}`).join(', ')}`);
  const hw = summary.hardware;
  if (hw.deltaEClips + hw.sumClips + hw.dead + hw.stuck + hw.weightClips > 0) {
    lines.push(`hardware   ΔE clips ${hw.deltaEClips}, sum clips ${hw.sumClips}, weight clips ${hw.weightClips}, dead ${hw.dead}, stuck ${hw.stuck}`);
  }
  lines.push(`status     ${summary.status}${summary.reason ? ` (${summary.reason})` : ''} after ${summary.trialsRun} trials, ${summary.evaluations} evaluations of E, ${summary.wallSeconds} s`);
  if (summary.final !== null) {
    lines.push('final      ' + Object.entries(summary.final).filter(([k, x]) => k !== 'trial' && k !== 'evaluations' && x !== null)
      .map(([k, x]) => `${k} ${(x as number).toPrecision(3)}`).join(', '));
  }
  for (const w of summary.warnings) lines.push(`warning    ${w}`);
  return lines;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a scenario: synapses estimate ∂E/∂w and Hv by weight perturbation, probed against the exact oracle')
    .argument('<scenario>', 'scenario file, or the name of a ready scenario (wpsim list)')
    .option('--set <path=value>', 'override a scenario field (repeatable), e.g. --set perturbation.sigma=0.02', collect, [])
    .option('--seed <s>', 'override the scenario seed', seed)
    .option('--out <dir>', 'output directory (default: the scenario\'s "output", out/)')
    .option('--quiet', 'no progress bar and no summary, only the run directory')
    .option('--kernels <k>', 'layered nets\' exact oracle: wasm (SIMD) | js | auto (wasm when the module loads); overrides the scenario\'s "kernels"', oneOf(KERNELS))
    .option('--workers <n>', 'estimate runs: worker threads computing blocks of trials (default 1); the bytes do not depend on it', positiveInteger)
    .option('--shard <i/N>', 'estimate runs: run only the i-th of N parts of the blocks into a shard directory; combine shards with wpsim merge')
    .action(action(async (arg: string, opts: RunOptions) => {
      if (opts.workers !== undefined && opts.workers > LIMITS.workers) throw new InputError('--workers', `must be at most ${LIMITS.workers} (docs/formats.md, "Limits")`, opts.workers);
      const shard = opts.shard !== undefined ? parseShard(opts.shard) : null;
      const overrides = opts.kernels !== undefined ? [...opts.set, `kernels=${JSON.stringify(opts.kernels)}`] : opts.set;
      const { scenario, path } = loadScenario(arg, overrides, { seed: opts.seed, output: opts.out });
      if (shard !== null) {
        await runShardCommand(scenario, scenarioBaseDir(path), shard, opts);
        return;
      }
      const runDir = new RunDirectorySink({ outDir: scenario.output });
      const sinks: Sink[] = [runDir];
      if (!opts.quiet && process.stderr.isTTY === true) sinks.push(new ProgressBarSink());
      // SIGINT and SIGTERM stop the run between trials; the run directory is still written.
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        await runScenario(scenario, { sinks, signal: stop.signal, baseDir: scenarioBaseDir(path), workers: opts.workers });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      const summary = runDir.summary as Summary;
      const lines = opts.quiet ? [] : summaryLines(scenario, summary);
      lines.push(runDir.path as string);
      process.stdout.write(`${lines.join('\n')}\n`);
      if (summary.status === 'failed') process.stderr.write(`wpsim: run failed: ${summary.reason}\n`);
      process.exitCode = EXIT_STATUS[summary.status];
    }));
}

/** `wpsim run --shard i/N`: the shard's blocks into a shard directory; its path on stdout. */
async function runShardCommand(scenario: Scenario, baseDir: string, shard: { index: number; count: number }, opts: RunOptions): Promise<void> {
  const { runShard } = await import('../app/shards.js');
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let outcome;
  try {
    outcome = await runShard(scenario, { baseDir, shard, shardText: opts.shard as string, workers: opts.workers, signal: stop.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const lines = opts.quiet ? [] : [
    `scenario   ${scenario.name}: shard ${shard.index}/${shard.count}, blocks ${outcome.blocks.from}…${outcome.blocks.to - 1} (${outcome.blocksRun} run)`,
    `status     ${outcome.status}${outcome.reason !== null ? ` (${outcome.reason})` : ''}`,
  ];
  lines.push(outcome.path);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (outcome.status === 'failed') process.stderr.write(`wpsim: shard failed: ${outcome.reason}\n`);
  process.exitCode = EXIT_STATUS[outcome.status];
}
