import type { Command } from 'commander';
import { resolve } from 'node:path';
import { action } from './run-action.js';
import { oneOf } from './options.js';

interface PlotOptions {
  y: string[];
  x: 'trial' | 'evaluations' | 'chip_time';
  format: 'svg' | 'png' | 'pdf';
}

// vega, vega-lite and the PNG/PDF renderers take about a second to load: they are imported
// inside the commands that draw, so that `wpsim --version`, `validate` and the rest start fast.
export function registerPlot(program: Command): void {
  program
    .command('plot')
    .description('figures of a run or sweep directory (Vega-Lite, rendered headless) into DIR/plots/, sized for a paper column')
    .argument('<dir>', 'run directory or sweep directory')
    .option('--y <column>', 'a probes.csv column to draw (repeatable; default: the mode\'s own figures)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--x <axis>', 'x axis of learning curves: trial, evaluations or chip_time', oneOf(['trial', 'evaluations', 'chip_time']), 'trial')
    .option('--format <f>', 'svg, png (300 dpi) or pdf', oneOf(['svg', 'png', 'pdf']), 'svg')
    .action(action(async (dir: string, opts: PlotOptions) => {
      const { writeFigures } = await import('../output/plots.js');
      const { paths } = await writeFigures(resolve(dir), opts);
      process.stdout.write(`${paths.join('\n')}\n`);
    }));
  program
    .command('report')
    .description('one self-contained HTML page (headline numbers, warnings, figures, tables) of a run or sweep directory')
    .argument('<dir>', 'run directory or sweep directory')
    .action(action(async (dir: string) => {
      const { writeReport } = await import('../output/report.js');
      process.stdout.write(`${await writeReport(resolve(dir))}\n`);
    }));
}
