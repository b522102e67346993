import { InputError, NonFiniteError } from '../errors.js';

/**
 * Exit codes: 0 success, 1 internal failure or diverged run, 2 bad input or usage, 3 a result
 * that is not finite (hv, hessian, fd-study, bench; `run` uses 3 for a diverged run).
 */
export const EXIT_BAD_INPUT = 2;
export const EXIT_NON_FINITE = 3;

/**
 * Wraps a command action: bad input prints one line on stderr and exits 2 with nothing on
 * stdout (actions compute everything before they print); a non-finite result prints one line
 * and exits 3; anything else is an internal error.
 */
export function action<A extends unknown[]>(fn: (...args: A) => void | Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      reportError(err);
    }
  };
}

/** Prints an error as the CLI does and sets the exit code (2 bad input, 3 non-finite, 1 internal). */
export function reportError(err: unknown): void {
  if (err instanceof InputError) {
    process.stderr.write(`wpsim: error: ${err.message}\n`);
    process.exitCode = EXIT_BAD_INPUT;
    return;
  }
  if (err instanceof NonFiniteError) {
    process.stderr.write(`wpsim: error: ${err.message}\n`);
    process.exitCode = EXIT_NON_FINITE;
    return;
  }
  process.stderr.write(`wpsim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}

/**
 * The first number in a result (depth first, in the order its fields were computed) that is
 * NaN or ±Infinity, with its path ("top[0].value", "hv[3]"); null when all are finite.
 */
export function firstNonFinite(value: unknown, path = ''): { where: string; value: number } | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : { where: path || '(result)', value };
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const list = value as ArrayLike<unknown>;
    for (let k = 0; k < list.length; k++) {
      const found = firstNonFinite(list[k], `${path}[${k}]`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, x] of Object.entries(value)) {
    const found = firstNonFinite(x, path === '' ? key : `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

/**
 * A result for `--json`: "status" first ("ok", or "non-finite" with "nonFinite" naming where),
 * then the result's own fields (non-finite numbers print as null).
 */
export function withStatus(result: object, bad: { where: string } | null): object {
  return bad === null ? { status: 'ok', ...result } : { status: 'non-finite', nonFinite: bad.where, ...result };
}

/** Formats a number for tables: fixed width, scientific. */
export function sci(x: number, digits = 6): string {
  return (x >= 0 ? ' ' : '') + x.toExponential(digits);
}
