import type { Command } from 'commander';
import { resolve } from 'node:path';
import { action } from './run-action.js';

// vega, vega-lite and the PNG/PDF renderers take about a second to load: they are imported
// inside the commands that draw, so that `wpsim --version`, `validate` and the rest start fast.
export function registerPlot(program: Command): void {
  program
    .command('plot')
    .description('SVG figures of a run or sweep directory (Vega-Lite, rendered headless) into DIR/plots/')
    .argument('<dir>', 'run directory or sweep directory')
    .action(action(async (dir: string) => {
      const { writeFigures } = await import('../output/plots.js');
      const { paths } = await writeFigures(resolve(dir));
      process.stdout.write(`${paths.join('\n')}\n`);
    }));
  program
    .command('report')
    .description('one self-contained HTML page (figures, summary, scenario, warnings) of a run or sweep directory')
    .argument('<dir>', 'run directory or sweep directory')
    .action(action(async (dir: string) => {
      const { writeReport } = await import('../output/report.js');
      process.stdout.write(`${await writeReport(resolve(dir))}\n`);
    }));
}
