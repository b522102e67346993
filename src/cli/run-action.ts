import { InputError } from '../errors.js';

/** Exit codes: 0 success, 1 internal failure or diverged run, 2 bad input or usage. */
export const EXIT_BAD_INPUT = 2;

/**
 * Wraps a command action: bad input prints one line on stderr and exits 2 with nothing on
 * stdout (actions compute everything before they print); anything else is an internal error.
 */
export function action<A extends unknown[]>(fn: (...args: A) => void | Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (err instanceof InputError) {
        process.stderr.write(`wpsim: error: ${err.message}\n`);
        process.exitCode = EXIT_BAD_INPUT;
        return;
      }
      process.stderr.write(`wpsim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  };
}

/** Formats a number for tables: fixed width, scientific. */
export function sci(x: number, digits = 6): string {
  return (x >= 0 ? ' ' : '') + x.toExponential(digits);
}
