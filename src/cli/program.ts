import { Command, CommanderError } from 'commander';
import { clip, oneLine } from '../errors.js';
import { VERSION } from '../version.js';
import { registerCommands } from './commands.js';
import { EXIT_BAD_INPUT, reportError } from './run-action.js';

/**
 * A fresh wpsim program (commander keeps parsed options on the program: one per run), with the
 * command named by `first` (the first argument) or, when it names none, every command; command
 * modules load on demand (commands.ts).
 */
export async function createProgram(first?: string): Promise<Command> {
  const program = new Command();
  program
    .name('wpsim')
    .description('Weight-perturbation learning simulator with exact Hessian-vector references')
    .version(VERSION)
    .exitOverride()
    // Usage errors are one line like every other error ("wpsim: error: …"), cut if long.
    .configureOutput({ outputError: (text, write) => write(`wpsim: ${clip(oneLine(text.trim().split('\n').map((s) => s.trim()).join(' ')), 400)}\n`) });

  await registerCommands(program, first);

  // plot and report read a run or sweep directory: checked like every other input before use.
  // (The checker pulls in zod and the JSON reader: loaded here only, not for every command.)
  program.hook('preAction', async (_program, command) => {
    if (command.name() === 'plot' || command.name() === 'report') (await import('../io/sweep-record.js')).checkResultDir(command.args[0], 'DIR');
  });
  return program;
}

/**
 * Runs the CLI on `argv` (process.argv form: node, script, arguments…) and returns the exit
 * code: 0 success, 2 bad input or usage, 3 a non-finite result or diverged run, 130 interrupted,
 * 1 an internal error. Output goes to process.stdout and process.stderr.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await (await createProgram(argv[2])).parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are successes; every other parse failure is bad usage.
      const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help';
      process.exitCode = ok ? 0 : EXIT_BAD_INPUT;
    } else {
      reportError(err);
    }
  }
  return Number(process.exitCode ?? 0);
}
