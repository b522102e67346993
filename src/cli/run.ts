import { fromEvent, merge, throttleTime, type Observable } from 'rxjs';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadScenario } from '../scenario/load.js';
import { buildSimulationSpec, scenarioBaseDir } from '../scenario/problems.js';
import { Simulation } from '../sim/simulation.js';
import { recordRun } from '../output/record.js';
import { action } from './run-action.js';
import { seed } from './options.js';

interface RunOptions {
  set: string[];
  seed?: number;
  out?: string;
  quiet?: boolean;
}

/** Exit codes of `wpsim run`: complete 0, diverged 3, interrupted 130 (as for SIGINT). */
const EXIT_STATUS = { complete: 0, diverged: 3, interrupted: 130 } as const;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
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
    .action(action(async (arg: string, opts: RunOptions) => {
      const { scenario, path } = loadScenario(arg, opts.set, { seed: opts.seed, output: opts.out });
      const spec = buildSimulationSpec(scenario, scenarioBaseDir(path));
      const problem = spec.problem;
      const sim = new Simulation(spec);

      const stop$: Observable<unknown> = merge(fromEvent(process, 'SIGINT'), fromEvent(process, 'SIGTERM'));
      const showBar = !opts.quiet && process.stderr.isTTY === true;
      let bar: cliProgress.SingleBar | null = null;
      if (showBar) {
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: `${scenario.name} [{bar}] {percentage}% | trial {value}/{total} | eta {eta_formatted}`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(scenario.trials, 0);
        sim.progress$.pipe(throttleTime(100, undefined, { leading: true, trailing: true })).subscribe((p) => bar?.update(p.trial));
      }
      // Keep SIGINT from killing the process before the run directory is written.
      const ignore = (): void => {};
      process.on('SIGINT', ignore);
      process.on('SIGTERM', ignore);
      let recorded;
      try {
        recorded = await recordRun(sim, scenario, problem.description, { outDir: scenario.output, stop$ });
      } finally {
        bar?.stop();
        process.off('SIGINT', ignore);
        process.off('SIGTERM', ignore);
      }
      const { summary, runDir } = recorded;
      const lines: string[] = [];
      if (!opts.quiet) {
        lines.push(`scenario   ${scenario.name}: ${scenario.description}`);
        lines.push(`problem    ${problem.description}, ${problem.size} synapses`);
        lines.push(`estimator  ${scenario.estimator.name}, ${scenario.perturbation.distribution} σ = ${scenario.perturbation.sigma}${scenario.perturbation.antithetic ? ', antithetic' : ''}; mode ${scenario.mode}`);
        const results = Object.entries(summary.results);
        if (results.length > 0) lines.push(`results    ${results.map(([k, x]) => `${k} ${typeof x === 'number' ? x.toPrecision(4) : x}`).join(', ')}`);
        const hw = summary.hardware;
        if (hw.deltaEClips + hw.sumClips + hw.dead + hw.stuck + hw.weightClips > 0) {
          lines.push(`hardware   ΔE clips ${hw.deltaEClips}, sum clips ${hw.sumClips}, weight clips ${hw.weightClips}, dead ${hw.dead}, stuck ${hw.stuck}`);
        }
        lines.push(`status     ${summary.status}${summary.reason ? ` (${summary.reason})` : ''} after ${summary.trialsRun} trials, ${summary.evaluations} evaluations of E, ${summary.wallSeconds} s`);
        if (summary.final !== null) {
          lines.push('final      ' + Object.entries(summary.final).filter(([k]) => k !== 'trial' && k !== 'evaluations')
            .map(([k, x]) => `${k} ${x.toPrecision(3)}`).join(', '));
        }
        for (const w of summary.warnings) lines.push(`warning    ${w}`);
      }
      lines.push(runDir);
      process.stdout.write(`${lines.join('\n')}\n`);
      process.exitCode = EXIT_STATUS[summary.status];
    }));
}
