import { InvalidArgumentError } from 'commander';

/**
 * Option parsers for commander: each validates and throws InvalidArgumentError with the
 * rule; commander names the option and the value, and the program exits 2.
 */
export function positiveNumber(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x <= 0) throw new InvalidArgumentError('must be a positive finite number.');
  return x;
}

export function positiveInteger(value: string): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < 1) throw new InvalidArgumentError('must be a positive integer.');
  return x;
}

export function nonNegativeInteger(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isInteger(x) || x < 0) throw new InvalidArgumentError('must be a non-negative integer.');
  return x;
}

/** Seeds are integers in [0, 2^53). */
export function seed(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(x) || x < 0) throw new InvalidArgumentError('must be a non-negative integer.');
  return x;
}

export function layerList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const sizes = parts.map(Number);
  if (parts.length < 2 || sizes.some((x, k) => parts[k] === '' || !Number.isInteger(x) || x < 1)) {
    throw new InvalidArgumentError('must be a comma-separated list of at least two positive integers, e.g. 784,256,10.');
  }
  return sizes;
}

export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`must be one of ${choices.join(', ')}.`);
    }
    return value as T;
  };
}

/** Collects a repeatable option's values in order (e.g. --set a=1 --set b=2). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
