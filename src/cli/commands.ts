import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * The command modules, loaded on demand: each pulls in its own dependencies (the simulator and
 * rxjs for run, zod for the scenario commands, vega for plot), so `wpsim --version` loads none of
 * them and `wpsim validate` only the scenario commands (bench/startup.mjs measures both).
 */
const MODULES: { commands: string[]; load: () => Promise<Register> }[] = [
  { commands: ['run'], load: async () => (await import('./run.js')).registerRun },
  { commands: ['list', 'validate', 'schema'], load: async () => (await import('./scenarios.js')).registerScenarioCommands },
  { commands: ['sigma-study'], load: async () => (await import('./sigma-study.js')).registerSigmaStudy },
  { commands: ['sweep'], load: async () => (await import('./sweep.js')).registerSweep },
  { commands: ['merge'], load: async () => (await import('./merge.js')).registerMerge },
  { commands: ['plot', 'report'], load: async () => (await import('./plot.js')).registerPlot },
  { commands: ['hv'], load: async () => (await import('./hv.js')).registerHv },
  { commands: ['hessian'], load: async () => (await import('./hessian.js')).registerHessian },
  { commands: ['fd-study'], load: async () => (await import('./fd-study.js')).registerFdStudy },
  { commands: ['bench'], load: async () => (await import('./bench.js')).registerBench },
];

/**
 * Registers the command named by the first argument, or every command (in the order the help
 * lists them) when the first argument names none: --help, --version, a typo (for commander's
 * suggestion) or nothing.
 */
export async function registerCommands(program: Command, first: string | undefined): Promise<void> {
  const named = MODULES.find((m) => first !== undefined && m.commands.includes(first));
  if (named !== undefined) {
    (await named.load())(program);
    return;
  }
  if (first === '--version' || first === '-V') return;
  for (const register of await Promise.all(MODULES.map((m) => m.load()))) register(program);
}
