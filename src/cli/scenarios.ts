import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { listScenarios, loadScenario } from '../scenario/load.js';
import { scenarioJsonSchema } from '../scenario/schema.js';
import { outlineProblem } from '../scenario/outline.js';
import { action } from './run-action.js';

export function registerScenarioCommands(program: Command): void {
  program
    .command('list')
    .description('list the ready scenarios')
    .action(action(() => {
      const rows = listScenarios();
      const width = Math.max(...rows.map((r) => r.name.length), 4);
      process.stdout.write(`${rows.map((r) => `${r.name.padEnd(width)}  ${r.description}`).join('\n')}\n`);
    }));

  program
    .command('validate')
    .description('validate a scenario and print it resolved (defaults filled in)')
    .argument('<scenario>', 'scenario file or ready scenario name')
    .option('--set <path=value>', 'override a field (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .action(action((arg: string, opts: { set: string[] }) => {
      const { scenario, path } = loadScenario(arg, opts.set);
      // Checks sizes and reads a net file, but builds nothing (no weights, no oracle).
      // The scenario's folder (as scenarioBaseDir gives it), without loading the problem builders.
      const problem = outlineProblem(scenario, dirname(resolve(path)));
      process.stdout.write(`${JSON.stringify(scenario, null, 2)}\n`);
      process.stderr.write(`ok: ${path} (${problem.description}, ${problem.size} synapses)\n`);
    }));

  program
    .command('schema')
    .description('print the scenario JSON Schema (for editors)')
    .action(action(() => {
      process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    }));
}
