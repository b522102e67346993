import type { Command } from 'commander';
import { resolve } from 'node:path';
import { writeFigures } from '../output/plots.js';
import { writeReport } from '../output/report.js';
import { action } from './run-action.js';

export function registerPlot(program: Command): void {
  program
    .command('plot')
    .description('SVG figures of a run or sweep directory (Vega-Lite, rendered headless) into DIR/plots/')
    .argument('<dir>', 'run directory or sweep directory')
    .action(action(async (dir: string) => {
      const { paths } = await writeFigures(resolve(dir));
      process.stdout.write(`${paths.join('\n')}\n`);
    }));
  program
    .command('report')
    .description('one self-contained HTML page (figures, summary, scenario, warnings) of a run or sweep directory')
    .argument('<dir>', 'run directory or sweep directory')
    .action(action(async (dir: string) => {
      process.stdout.write(`${await writeReport(resolve(dir))}\n`);
    }));
}
