import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { InvalidArgumentError } from 'commander';
import { loadScenario } from '../scenario/load.js';
import { scenarioBaseDir } from '../scenario/problems.js';
import { runScenario } from '../app/run-scenario.js';
import { InputError } from '../errors.js';
import { action } from './run-action.js';
import { collect } from './options.js';

interface SigmaOptions {
  sigmas: number[];
  set: string[];
  csv?: string;
}

function sigmaList(value: string): number[] {
  const xs = value.split(',').map((s) => Number(s.trim()));
  if (xs.length < 2 || xs.some((x) => !Number.isFinite(x) || x <= 0)) {
    throw new InvalidArgumentError('must be a comma-separated list of at least two positive numbers, e.g. 1e-3,3e-3,1e-2.');
  }
  return xs;
}

/**
 * The σ U curve (docs/theory.md, "Weight perturbation"): the same scenario, estimate mode, at each σ. Too large a σ and the
 * O(σ³) terms of ΔE bias ẑ by O(σ²); too small and measurement noise or ADC quantisation δ
 * dominates as δ/σ². One row per σ with the final errors.
 */
export function registerSigmaStudy(program: Command): void {
  program
    .command('sigma-study')
    .description('error of ĝ and ẑ against the perturbation size σ (the U curve), one run per σ')
    .argument('<scenario>', 'scenario file or ready scenario name (estimate mode)')
    .option('--sigmas <list>', 'σ values, comma-separated', sigmaList, [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1])
    .option('--set <path=value>', 'override a scenario field (repeatable)', collect, [])
    .option('--csv <file>', 'write the table as CSV')
    .action(action(async (arg: string, opts: SigmaOptions) => {
      const { scenario, path } = loadScenario(arg, opts.set);
      if (scenario.mode !== 'estimate') throw new InputError('mode', 'must be "estimate" for a σ study', scenario.mode);
      const rows: (number | string)[][] = [];
      let header: string[] = [];
      for (const sigma of opts.sigmas) {
        const { result } = await runScenario({ ...scenario, perturbation: { ...scenario.perturbation, sigma } }, { baseDir: scenarioBaseDir(path) });
        const last = result.lastRow;
        if (last === null) continue;
        header = ['sigma', 'status', ...result.header.filter((h) => h !== 'trial')];
        rows.push([sigma, result.status, ...last.filter((_, k) => result.header[k] !== 'trial').map((x) => x ?? '')]);
      }
      const csv = stringify(rows, { header: true, columns: header });
      if (opts.csv !== undefined) writeFileSync(opts.csv, csv);
      const show = ['sigma', 'status', 'g_rel_err', 'z_rel_err', 'z_se_rel', 'z_limit_rel_err', 'z_offdiag_rel_err'].filter((h) => header.includes(h));
      const lines = [`σ study of ${scenario.name} (${scenario.trials} trials per σ)`, '', show.map((h) => h.padStart(16)).join('')];
      for (const r of rows) {
        lines.push(show.map((h) => {
          const x = r[header.indexOf(h)];
          return (typeof x === 'number' ? x.toExponential(3) : x).padStart(16);
        }).join(''));
      }
      if (opts.csv !== undefined) lines.push('', `csv: ${opts.csv}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }));
}
