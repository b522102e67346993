#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerHv } from './hv.js';
import { registerFdStudy } from './fd-study.js';
import { registerBench } from './bench.js';
import { registerRun } from './run.js';
import { registerHessian } from './hessian.js';
import { registerSigmaStudy } from './sigma-study.js';
import { registerSweep } from './sweep.js';
import { registerPlot } from './plot.js';
import { registerScenarioCommands } from './scenarios.js';
import { EXIT_BAD_INPUT } from './run-action.js';

const program = new Command();
program
  .name('wpsim')
  .description('Weight-perturbation learning simulator with exact Hessian-vector references')
  .version(VERSION)
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');

registerRun(program);
registerScenarioCommands(program);
registerSigmaStudy(program);
registerSweep(program);
registerPlot(program);
registerHv(program);
registerHessian(program);
registerFdStudy(program);
registerBench(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version are successes; every other parse failure is bad usage.
    const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help';
    process.exitCode = ok ? 0 : EXIT_BAD_INPUT;
  } else {
    throw err;
  }
}
